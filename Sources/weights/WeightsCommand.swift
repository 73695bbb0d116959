import ArgumentParser
import WeightsKit

@main
struct WeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weights",
        abstract: "Load, check, convert and quantize transformer weight files.",
        discussion: """
        Exit status: 0 success, 1 failure (bad input, failed write), 64 usage error.
        Every error is one line on stderr naming the file, the tensor and the rule
        broken. A model argument may also be ORG/NAME[@REVISION], read offline from
        the Hugging Face cache ($HF_HUB_CACHE, $HF_HOME/hub,
        ~/.cache/huggingface/hub); a path that exists wins.

        Example:
          weights inspect SampleModels/tiny-deberta
        """,
        version: "0.1.0",
        subcommands: [InspectCommand.self, ConvertCommand.self, VerifyCommand.self, DiffCommand.self, ValidateCommand.self, TokenizeCommand.self, EmbedCommand.self]
    )

    static func main() {
        // `weights --version` answers before the argument parser reflects over every
        // subcommand's options (most of its start-up time); the output is the parser's own.
        if CommandLine.arguments.count == 2, CommandLine.arguments[1] == "--version" {
            Output.writeStdout(configuration.version + "\n")
            return
        }
        // A write past `ulimit -f` must fail with EFBIG (and clean up), not kill the process.
        System.ignoreFileSizeLimitSignal()
        // A model folder's members are held open until it is committed (thousands of files).
        System.raiseOpenFileLimit()
        // INT/TERM/HUP remove half-published outputs; SIGBUS on a shrinking input is an error naming it.
        SignalCleanup.install(errorPrefix: "weights: error: ")
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as Failure {
            Output.error(failure.message)
            System.exit(1)
        } catch {
            exit(withError: error)
        }
    }
}
