import ArgumentParser
import WeightsKit

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Rewrite a model as safetensors, WeightPack or GGUF, streaming tensor by tensor.",
        discussion: """
        Lossless: every tensor's bytes and the input's metadata are kept exactly, so
        converting a file written by the Python safetensors package reproduces it byte
        for byte, and safetensors -> .wpk -> safetensors gives back the same file. IN
        may be a file (.safetensors, .wpk, .gguf, or a PyTorch .bin/.pt/.pth), an
        index.json or a model directory (shards are merged unless --shard-size splits
        the output again). A BERT GGUF (general.architecture = bert, as llama.cpp's
        converter writes it) gets its tensors' Hugging Face names back
        (token_embd.weight -> embeddings.word_embeddings.weight, ...); F32/F16/BF16
        tensors are copied exactly, Q8_0 is kept in .wpk, Q4_0/Q4_1/Q5_0/Q5_1 need
        --dtype f32 (or f16, bf16) to be dequantized; other ggml types are refused
        (unsupported-gguf-type).

        NaN and infinities: --dtype int8 and q8_0 refuse a row (int8) or 32-value
        block (q8_0) holding one, naming it, and write nothing; with --allow-nonfinite
        it is quantized as numpy and gguf-py do (scale NaN or +inf, all its values read
        back as NaN). The summary counts the input's non-finite values and every value
        that changed between finite, NaN and infinite (an F16 overflow, for one).

        The output format follows OUT's extension (.wpk: WeightPack, .safetensors:
        safetensors, .gguf: GGUF) or --to. Writing WeightPack embeds the config.json
        found beside IN.

        GGUF (BERT models only): the file llama.cpp's convert_hf_to_gguf.py writes for
        the same model folder: tensor names, types, metadata and vocabulary (from
        config.json, tokenizer.json, README.md and the sentence-transformers pooling).
        --dtype is its --outtype: f32, f16, bf16 or q8_0 for the matrices (norms,
        biases, position and token-type embeddings stay F32); without --dtype, as its
        "auto": bf16 for a BF16 model, else f16. --keep/--only do not apply.

        Model folders: when OUT ends in "/", is an existing directory, or --to dir is
        given, OUT is a complete model folder: the converted weights
        (model.safetensors, shards and index with --shard-size, or model.wpk with --to
        wpk), in the subfolder the weights came from (0_Transformer/ for such
        sentence-transformers folders), plus a copy of every other file of IN's folder
        and its subfolders (config.json, tokenizer files, modules.json, 1_Pooling/,
        README.md...). Weights files of any format (.bin, .onnx, other .safetensors,
        indexes...), hidden entries, symlinks leading outside the folder and special
        files are not copied (listed on stderr). config.json is updated where the
        conversion changes it: torch_dtype (or dtype) for --dtype f32/f16/bf16; for
        int8 safetensors the compressed-tensors quantization_config that transformers
        reads (removed when the output holds no int8 any more). The folder appears
        complete under its name or not at all. An existing OUT needs --force, which
        replaces the files this conversion writes and nothing else (it refuses when
        OUT holds other weights files, which would then disagree). OUT may not be
        inside IN's folder, nor hold it; a file of IN's folder that changes while it
        converts, and a sentence-transformers module folder that is a symlink, are
        refused.

        OUT gets its name only when complete: until then it is an unnamed file in
        OUT's directory, so an error, a signal or kill -9 leaves nothing behind, and
        shards appear together with their index or not at all. An existing OUT (even a
        dangling symlink) needs --force; of two converts racing for one OUT, one wins
        and the other fails. IN (its shards, index and config.json) is never
        overwritten, and --report may not name an input or an output.

        Examples:
          weights convert model.safetensors model.wpk
          weights convert model.wpk model.safetensors
          weights convert sharded-model/ merged.safetensors
          weights convert model.safetensors out/model.safetensors --shard-size 2GB
          weights convert all-MiniLM-L6-v2/ minilm-int8/ --dtype int8
          weights convert all-MiniLM-L6-v2/ minilm-q8_0.gguf --dtype q8_0
          weights convert minilm-q8_0.gguf minilm.safetensors --dtype f32
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case safetensors, wpk, gguf, dir
    }

    @Argument(help: "Input: a .safetensors, .wpk, .gguf or PyTorch (.bin, .pt, .pth) file, an index.json, a model directory, or ORG/NAME[@REVISION] in the Hugging Face cache.")
    var input: String

    @Argument(help: "Output file (.safetensors, .wpk or .gguf; with --shard-size: the stem of the shards and index), or a model folder (OUT/).")
    var output: String

    @Option(help: "Output format, when OUT's extension does not say (safetensors, wpk, gguf, dir: a model folder holding model.safetensors); with OUT/ the weights file's format in the folder (safetensors or wpk).")
    var to: Format?

    @Option(help: "Split safetensors output into shards of at most this many bytes (e.g. 500MB, 2GB, 1GiB) with an index.json.")
    var shardSize: String?

    @Flag(help: "WeightPack only: byte-shuffle + deflate each tensor (smaller file; tensors are inflated on access).")
    var compress = false

    @Option(help: ArgumentHelp("Convert floating-point tensors to f32, f16, bf16, f8_e4m3, f8_e5m2 (FP8, rounded as ml_dtypes), int8 (per row) or q8_0 (WeightPack, GGUF).",
                               discussion: "Quantizing and narrowing follow the policy (see --keep/--only); widening and dequantizing apply to every tensor."))
    var dtype: ConversionPolicy.Target?

    @Flag(name: .customLong("allow-nonfinite"),
          help: "With --dtype int8 or q8_0: quantize a row (int8) or 32-value block (q8_0) holding a NaN or infinity as numpy and gguf-py do: its scale becomes NaN (or +inf) and all its values read back as NaN (default: refuse, naming the row or block).")
    var allowNonFinite = false

    @Option(help: "Keep tensors whose name matches this regular expression as they are (repeatable).")
    var keep: [String] = []

    @Option(help: "Convert exactly the floating-point tensors whose name matches (repeatable; replaces the default rules).")
    var only: [String] = []

    @Option(help: "Write the per-tensor conversion report (decision, rule, error) to this JSON file.")
    var report: String?

    @Flag(help: "No progress bar and no summary.")
    var quiet = false

    @Flag(help: "Replace OUT if it exists.")
    var force = false

    @Flag(help: "Skip the fsync before the rename (as cp does): faster; the file is still complete when it appears, but a power loss just after may lose it.")
    var noSync = false

    /// For the tests, never shown in help: see `stoppingBeforeLastTensor`.
    @Flag(name: .customLong("stop-before-last-tensor"), help: .private)
    var stopBeforeLastTensor = false

    /// OUT is a model folder: it ends in "/", is a directory, or --to dir says so.
    var writesFolder: Bool {
        to == .dir || output.hasSuffix("/") || Paths.isDirectory(output)
    }

    /// The weights' format (in the folder, when `writesFolder`).
    var format: Format? {
        if writesFolder { return to == .wpk ? .wpk : to == .gguf ? .gguf : .safetensors }
        return to ?? (output.hasSuffix(".wpk") ? .wpk : output.hasSuffix(".safetensors") ? .safetensors : output.hasSuffix(".gguf") ? .gguf : nil)
    }

    func validate() throws {
        guard let format else {
            throw ValidationError("cannot tell the output format from \(output): end it in .safetensors, .wpk or .gguf (or / for a model folder), or pass --to")
        }
        if format == .gguf {
            if writesFolder { throw ValidationError("GGUF output is one file: name it OUT.gguf, not a folder") }
            if shardSize != nil { throw ValidationError("--shard-size applies to safetensors output only") }
            if !(keep.isEmpty && only.isEmpty) { throw ValidationError("--keep and --only do not apply to GGUF output (it follows llama.cpp's converter)") }
            if let dtype, [.int8, .f8E4M3, .f8E5M2].contains(dtype) {
                throw ValidationError("--dtype \(dtype.rawValue): llama.cpp's converter writes no such GGUF type; use f32, f16, bf16 or q8_0")
            }
        }
        if let shardSize {
            guard ByteSize.parse(shardSize) != nil else {
                throw ValidationError("--shard-size \(shardSize): expected a size such as 500MB, 2GB or 1GiB")
            }
            guard format == .safetensors else { throw ValidationError("--shard-size applies to safetensors output only") }
        }
        if compress && format != .wpk { throw ValidationError("--compress applies to WeightPack (.wpk) output only") }
        if dtype == nil && !(keep.isEmpty && only.isEmpty) { throw ValidationError("--keep and --only need --dtype") }
        if allowNonFinite && dtype != .int8 && dtype != .q8_0 { throw ValidationError("--allow-nonfinite applies to --dtype int8 and q8_0") }
    }

    func run() throws {
        let input = try ModelArgument.resolve(self.input)
        if writesFolder { return try runFolder(input: input) }
        let opened = try reportingFailures { try ModelLoader.open(input) }
        let source = GGUFHuggingFaceNames.wrapping(opened)
        if format == .gguf { return try writeGGUF(source, input: input) }
        let policy = try reportingFailures { try dtype.map { try ConversionPolicy(target: $0, keep: keep, only: only) } }
        let plan = try reportingFailures {
            try ModelConversion(source: source, policy: policy, format: format == .wpk ? .weightPack : .safetensors)
        }
        let payloads = stoppingBeforeLastTensor(try reportingFailures { try plan.payloads() })
        let shardLimit = format == .safetensors ? shardSize.flatMap(ByteSize.parse) : nil
        let outputs = shardLimit.map { ShardedWriter.outputPaths(for: output, tensors: payloads, maxShardBytes: $0) } ?? [output]
        try refuseCollisions(inputs: inputFiles(source, input: input), outputs: outputs)

        let progress = ProgressBar(total: plan.bytesToConvert, enabled: !quiet)
        for entry in plan.entries {
            entry.conversion?.onProgress = { progress.advance(by: $0) }
            entry.conversion?.allowsNonFinite = allowNonFinite
        }
        let clock = ContinuousClock()
        let started = clock.now
        try reportingFailures {
            switch format {
            case .wpk:
                try WeightPackWriter.write(payloads, metadata: plan.outputMetadata, config: ModelLocation(input).configText(source: source),
                                           options: .init(compress: compress, durable: !noSync), to: output, overwrite: force)
            case .safetensors, .gguf, .dir, nil:
                if let shardLimit {
                    try ShardedWriter.write(payloads, metadata: plan.outputMetadata, to: output, maxShardBytes: shardLimit, overwrite: force, durable: !noSync)
                } else {
                    try SafetensorsWriter.write(payloads, metadata: plan.outputMetadata, to: output, overwrite: force, durable: !noSync)
                }
            }
        }
        progress.finish()
        let summary = ConversionSummary(plan: plan, input: input, output: output, seconds: (clock.now - started).seconds)
        if let report {
            try reportingFailures { try (summary.json().rendered() + "\n").write(toFile: report, durable: !noSync) }
        }
        if !quiet && dtype != nil { print(summary.text(), terminator: "") }
    }

    /// `payloads`, each counting the tensors streamed; with --stop-before-last-tensor the
    /// last one streamed (in whatever order the writer takes them) first stops the process
    /// (SIGSTOP) until it is sent SIGCONT. It stops with OUT open and every other tensor
    /// written, before the last tensor's input bytes are read and before OUT (or the
    /// folder) is published: a test can then send a signal or truncate the input at a
    /// known point instead of racing the conversion. Safetensors and WeightPack outputs,
    /// files and folders; GGUF output ignores it.
    func stoppingBeforeLastTensor(_ payloads: [TensorPayload]) -> [TensorPayload] {
        guard stopBeforeLastTensor else { return payloads }
        final class Countdown { var remaining: Int; init(_ count: Int) { remaining = count } }
        let countdown = Countdown(payloads.count)
        return payloads.map { payload in
            TensorPayload(name: payload.name, dtype: payload.dtype, shape: payload.shape, encoding: payload.encoding) { sink in
                countdown.remaining -= 1
                if countdown.remaining == 0 { System.stopUntilContinued() }
                try payload.produce(sink)
            }
        }
    }

    /// Every file convert reads: the source's files (shards and index) and the config.json beside them.
    func inputFiles(_ source: any TensorSource, input: String) -> [String] {
        let config = ModelLocation(input).configFile
        return source.inputFiles + (Paths.exists(config) ? [config] : [])
    }

    /// Before anything is written: no output (OUT, its shards and index, --report) may be
    /// an input, even through a symlink, a hard link or another spelling, and --report
    /// may not be an output.
    func refuseCollisions(inputs: [String], outputs: [String]) throws {
        let index = Paths.EntryIndex(inputs)
        for target in outputs + (report.map { [$0] } ?? []) {
            if let path = index.match(target) { throw Failure("\(target): refusing to overwrite the input file \(path)") }
        }
        if let report, let clash = outputs.first(where: { Paths.refersToSame($0, report) }) {
            throw Failure("\(report): --report names the output file \(clash)")
        }
    }
}

extension ConversionPolicy.Target: ExpressibleByArgument {}
