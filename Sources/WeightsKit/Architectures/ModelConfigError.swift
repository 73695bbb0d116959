/// Why a config.json cannot describe a supported model. Every message is one line that
/// names the field; `weights validate` reports these with the code "config".
public indirect enum ModelConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No config.json beside the weights and none embedded in the file.
    case notFound(directory: String)
    /// The file could not be read (its message names the path).
    case unreadable(String)
    case tooLarge(bytes: Int, limit: Int)
    case invalidJSON(reason: String)
    case notAnObject(kind: String)
    case missingModelType
    case unsupportedModelType(String)
    /// A field of the wrong JSON type: "hidden_size: expected an integer, got string "384"".
    case invalidField(key: String, expected: String, actual: String)
    case outOfRange(key: String, value: Int, range: ClosedRange<Int>)
    /// Values that transformers itself refuses together (hidden size not divisible by heads).
    case inconsistent(String)
    /// A setting this tool does not model, with the reason.
    case unsupportedSetting(key: String, value: String, reason: String)
    /// Any of the above, found in the file at `path` (or "embedded config").
    case located(String, ModelConfigError)

    public var description: String {
        switch self {
        case let .notFound(directory):
            return "no config.json in \(directory) and none embedded in the file"
        case let .unreadable(message): return message
        case let .tooLarge(bytes, limit):
            return "config is \(bytes) bytes, more than the \(limit) a config.json can plausibly need (not a config file?)"
        case let .invalidJSON(reason): return "not valid JSON: \(reason)"
        case let .notAnObject(kind): return "expected a JSON object, got \(kind)"
        case .missingModelType:
            return "no model_type (supported: \(ModelConfig.supportedModelTypes.joined(separator: ", ")))"
        case let .unsupportedModelType(type):
            return "model_type \"\(type)\" is not supported (supported: \(ModelConfig.supportedModelTypes.joined(separator: ", ")))"
        case let .invalidField(key, expected, actual): return "\(key): expected \(expected), got \(actual)"
        case let .outOfRange(key, value, range):
            return "\(key) is \(value), outside \(range.lowerBound)...\(range.upperBound) (corrupt config?)"
        case let .inconsistent(reason): return reason
        case let .unsupportedSetting(key, value, reason): return "\(key) \(value) is not supported: \(reason)"
        case let .located(origin, error): return "\(origin): \(error)"
        }
    }
}
