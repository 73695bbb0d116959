import ArgumentParser
import WeightsKit

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a model's tensors against its config.json: names, shapes, dtypes, values.",
        discussion: """
        Derives every tensor the architecture has (BERT, DeBERTa-v2/v3) from the
        config and reports, in one pass, every problem at once, sorted by tensor name:
        missing and unexpected tensors, wrong shapes, non-float dtypes, NaN or
        infinite values, all-zero weight matrices and embedding tables, and damaged
        WeightPack payloads (CRC-32). Task heads (classifier, cls, lm_predictions,
        ...) are accepted as they are.

        The config is config.json beside PATH, the one embedded in a .wpk file, the
        one a BERT GGUF's metadata stands for (its tensors are checked under the
        Hugging Face names they came from), or --config. Unexpected tensors are
        warnings; with --strict they are errors.

        Exit status: 0 valid (warnings allowed), 1 invalid or unreadable, 64 usage
        error.

        Examples:
          weights validate SampleModels/tiny-deberta
          weights validate model.wpk --json
          weights validate model.safetensors --config config.json --strict
        """
    )

    @Argument(help: "A .safetensors, .wpk, .gguf or PyTorch (.bin, .pt) file, an index.json, a model directory, or ORG/NAME[@REVISION] in the Hugging Face cache.")
    var path: String

    @Option(help: "The config.json to check against (default: beside PATH, embedded in a .wpk file, or derived from a BERT GGUF's metadata).")
    var config: String?

    @Flag(help: "Print one JSON object: {\"model_type\", \"valid\", \"problems\"}.")
    var json = false

    @Flag(help: "Treat unexpected tensors as errors.")
    var strict = false

    func run() throws {
        let path = try ModelArgument.resolve(self.path)
        // A BERT GGUF is checked under the Hugging Face names its tensors came from, as
        // every other command reads it.
        let source = GGUFHuggingFaceNames.wrapping(try reportingFailures { try ModelLoader.open(path) })
        for warning in source.warnings { Output.warning("\(path): \(warning)") }
        let modelConfig = Result { () throws(ModelConfigError) in
            if let config { return try ModelConfig(contentsOf: config) }
            return try ModelConfig.find(for: path, source: source)
        }.mapError(CommandLineWording.suggestingConfigOption)
        let report = ModelValidator.validate(source, config: modelConfig, strict: strict)
        if json {
            print(report.json.rendered())
        } else {
            for problem in report.problems { print(Output.escaped(problem.description)) }
            print(summary(report))
        }
        if !report.isValid {
            throw Failure("\(path): \(report.modelType.map { "not a valid \($0) model" } ?? "cannot be validated"): "
                + "\(counted(report.errorCount, "error")), \(counted(report.warningCount, "warning"))")
        }
    }

    /// "valid: deberta-v2, 38 tensors, 0 errors, 1 warning".
    private func summary(_ report: ValidationReport) -> String {
        "\(report.isValid ? "valid" : "invalid"): \(report.modelType ?? "unknown model type"), "
            + "\(counted(report.tensorCount, "tensor")), \(counted(report.errorCount, "error")), \(counted(report.warningCount, "warning"))"
    }

    private func counted(_ count: Int, _ noun: String) -> String {
        "\(Output.grouped(count)) \(noun)\(count == 1 ? "" : "s")"
    }
}
