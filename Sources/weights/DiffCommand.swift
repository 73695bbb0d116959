import ArgumentParser
import WeightsKit

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two models in any formats and encodings.",
        discussion: """
        Reports tensors only in A or only in B, dtype or shape differences, and for
        tensors in both the numeric error after dequantizing both to F32: max abs,
        RMSE, SNR, cosine similarity and the count of differing elements.

        Exit status follows diff(1): 0 identical (or within --tolerance), 1 different,
        2 trouble (an input cannot be read). Usage errors exit 64 like every command.

        Examples:
          weights diff model.safetensors model-int8.wpk
          weights diff a.safetensors b.safetensors --tolerance 1e-6 --json
        """
    )

    @Argument(help: "First model: a file, an index.json, a model directory, or ORG/NAME[@REVISION] in the Hugging Face cache.")
    var a: String

    @Argument(help: "Second model.")
    var b: String

    @Option(help: "Tensors whose values differ by at most this (absolute) count as equal.")
    var tolerance: Double = 0

    @Flag(help: "Print one JSON object.")
    var json = false

    func validate() throws {
        guard tolerance.isFinite, tolerance >= 0 else {
            throw ValidationError("--tolerance \(tolerance): expected a finite number, 0 or more")
        }
    }

    func run() throws {
        let a = try ModelArgument.resolve(self.a)
        let b = try ModelArgument.resolve(self.b)
        var left: any TensorSource
        var right: any TensorSource
        do {
            left = try ModelLoader.open(a)
            right = try ModelLoader.open(b)
        } catch {
            Output.error(CommandLineWording.message(for: error))
            throw ExitCode(2)
        }
        // A BERT GGUF compared with anything else is compared under its Hugging Face names.
        if (left is GGUFFile) != (right is GGUFFile) {
            left = GGUFHuggingFaceNames.wrapping(left)
            right = GGUFHuggingFaceNames.wrapping(right)
        }
        let comparison: ModelComparison
        do {
            comparison = try ModelComparison(left, right, tolerance: tolerance)
        } catch {
            Output.error(CommandLineWording.message(for: error))
            throw ExitCode(2)
        }
        if json {
            print(comparison.json(a: a, b: b).rendered())
        } else {
            print(comparison.text(a: a, b: b), terminator: "")
        }
        if !comparison.identical { throw ExitCode(1) }
    }
}
