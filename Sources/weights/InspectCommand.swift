import ArgumentParser
import WeightsKit

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a model file's tensors, dtypes, sizes and metadata.",
        discussion: """
        PATH is a .safetensors, .wpk, GGUF (.gguf) or PyTorch (.bin, .pt, .pth) file,
        a sharded checkpoint's index.json, or a model directory. For GGUF, the ggml
        type of each tensor and the typed metadata are shown (long arrays such as
        tokenizer.ggml.tokens as their count and first elements; --json has every
        value). Opening reads only the header, so this is instant even on
        multi-gigabyte files (--stats reads every value once).

        Examples:
          weights inspect SampleModels/tiny-deberta
          weights inspect model.safetensors --json
          weights inspect model.safetensors --tensor embeddings.word_embeddings.weight
        """
    )

    @Argument(help: "A .safetensors, .wpk, .gguf or PyTorch (.bin, .pt) file, an index.json, a model directory, or ORG/NAME[@REVISION] in the Hugging Face cache.")
    var path: String

    @Flag(help: "Print one JSON object instead of the human summary.")
    var json = false

    @Option(help: "Show only this tensor, with its first values.")
    var tensor: String?

    @Flag(help: "Add min, max, mean, std and NaN/Inf counts per tensor (reads all data once).")
    var stats = false

    @Option(help: "How many values --tensor prints.")
    var values = 8

    func validate() throws {
        if values < 0 { throw ValidationError("--values \(values): must be 0 or more") }
    }

    func run() throws {
        let path = try ModelArgument.resolve(self.path)
        let source = try reportingFailures { try ModelLoader.open(path) }
        for warning in source.warnings { Output.warning("\(path): \(warning)") }
        var selected = source.tensors
        if let tensor {
            guard let info = source.tensors.first(where: { $0.name.isByteEqual(to: tensor) }) else {
                throw Failure("\(path): no tensor named \"\(tensor)\" (\(source.tensors.count) tensors; run `weights inspect \(path)` to list them)")
            }
            selected = [info]
        }
        var statistics: [ExactName: TensorStatistics] = [:]
        if stats || tensor != nil {
            for info in selected {
                if let view = try reportingFailures({ try source.view(info.name) }), let stat = TensorStatistics.compute(view) {
                    statistics[info.name.exact] = stat
                }
            }
        }
        let firstValues = try tensor.flatMap { name in try reportingFailures { try source.view(name)?.floats().map { Array($0.prefix(values)) } } }
        // Kept until the exit below, which skips freeing it (a tenth of `--json`'s time on a
        // 20,000-tensor file).
        var report: JSONValue?
        if json {
            report = InspectReport.json(source: source, tensors: selected, statistics: statistics, firstValues: firstValues)
            // Written as it is rendered: a GGUF's long arrays make megabytes of text.
            report?.write { Output.writeStdout($0) }
            Output.writeStdout("\n")
        } else {
            Output.writeStdout(InspectReport.text(source: source, path: path, tensors: selected, statistics: statistics,
                                                  firstValues: firstValues))
        }
        // The report is written; freeing every tensor's name and shape (a tenth of the
        // time on a 20,000-tensor file) would only delay the exit. Under AddressSanitizer
        // everything is freed, for its leak check.
        if !System.isAddressSanitized { System.exit(0) }
        withExtendedLifetime(report) {}
    }
}
