import ArgumentParser
import WeightsKit

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Rewrite a model into another file layout, streaming tensor by tensor.",
        discussion: """
        Lossless: every tensor's bytes and the input's metadata are kept exactly, so
        converting a file written by the Python safetensors package reproduces it byte
        for byte. IN may be a file, an index.json or a model directory (shards are
        merged into one file unless --shard-size splits the output again).

        The output is written to a temporary file beside OUT and renamed into place
        only when complete; on any error nothing is left behind. IN is never
        overwritten, and an existing OUT needs --force.

        Examples:
          weights convert model.safetensors copy.safetensors
          weights convert sharded-model/ merged.safetensors
          weights convert model.safetensors out/model.safetensors --shard-size 2GB
        """
    )

    @Argument(help: "Input: a .safetensors file, an index.json, or a model directory.")
    var input: String

    @Argument(help: "Output .safetensors file (with --shard-size: the stem of the shards and index).")
    var output: String

    @Option(help: "Split the output into shards of at most this many bytes (e.g. 500MB, 2GB, 1GiB) with an index.json.")
    var shardSize: String?

    @Flag(help: "Replace OUT if it exists.")
    var force = false

    func validate() throws {
        guard output.hasSuffix(".safetensors") else {
            throw ValidationError("OUT must end in .safetensors (got \(output))")
        }
        if let shardSize, ByteSize.parse(shardSize) == nil {
            throw ValidationError("--shard-size \(shardSize): expected a size such as 500MB, 2GB or 1GiB")
        }
    }

    func run() throws {
        let source = try reportingFailures { try ModelLoader.open(input) }
        try refuseOverwritingInput(source)
        let payloads = source.views.map(TensorPayload.init(copying:))
        try reportingFailures {
            if let shardSize, let limit = ByteSize.parse(shardSize) {
                try ShardedWriter.write(payloads, metadata: source.metadata, to: output, maxShardBytes: limit, overwrite: force)
            } else {
                try SafetensorsWriter.write(payloads, metadata: source.metadata, to: output, overwrite: force)
            }
        }
    }

    /// The output must not be one of the files being read (even through another path).
    private func refuseOverwritingInput(_ source: any TensorSource) throws {
        guard let target = FileIdentity(output) else { return }
        for path in source.paths where FileIdentity(path) == target {
            throw Failure("\(output): refusing to overwrite the input file \(path)")
        }
    }
}
