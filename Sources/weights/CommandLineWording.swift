import WeightsKit

/// Library errors and reasons in this command line's words: the library says what
/// happened ("file exists", "matches keep pattern X"); the CLI names the flag that
/// changes it ("use --force", "--keep X").
enum CommandLineWording {
    /// The one-line message for any error the library throws.
    static func message(for error: any Error) -> String {
        switch error {
        case let error as FileError where error.isExistingOutput:
            "\(error) (use --force to replace it)"
        case let error as WeightsFileError where error.isExistingOutput:
            "\(error) (use --force to replace it)"
        case let error as WeightsFileError where error.isNonFiniteInput:
            "\(error) (--allow-nonfinite converts it anyway)"
        case let PolicyError.invalidPattern(list, pattern):
            "--\(list.rawValue) \(pattern): not a valid regular expression"
        default:
            "\(error)"
        }
    }

    /// Why `convert` kept a tensor, as its summary and `--report` show it.
    static func reason(_ reason: KeepReason) -> String {
        switch reason {
        case let .keepPattern(pattern): "--keep \(pattern)"
        case .notMatchedByOnlyPatterns: "not matched by --only"
        case .noTarget: "no --dtype given"
        default: reason.description
        }
    }

    /// A missing config, with the option that supplies one (only `validate` has it).
    static func suggestingConfigOption(_ error: ModelConfigError) -> ModelConfigError {
        guard case .notFound = error else { return error }
        return .unreadable("\(error); pass --config FILE")
    }
}

extension WeightsFileError {
    /// Whether the reason is `ConversionError.nonFiniteInput` (a NaN in a row to quantize).
    var isNonFiniteInput: Bool {
        if case .conversion(.nonFiniteInput) = reason { return true }
        return false
    }
}
