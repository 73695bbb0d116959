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
    /// A number the architecture cannot use: "layer_norm_eps is -1.0, must be a finite number above 0".
    case numberOutOfRange(key: String, value: Double, requirement: String)
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
        case let .numberOutOfRange(key, value, requirement): return "\(key) is \(value), must be \(requirement) (corrupt config?)"
        case let .inconsistent(reason): return reason
        case let .unsupportedSetting(key, value, reason): return "\(key) \(value) is not supported: \(reason)"
        case let .located(origin, error): return "\(origin): \(error)"
        }
    }

    /// The same error with each field name `rename` knows replaced (a GGUF file's config
    /// speaks of its metadata keys); a reason that names fields gets the new names appended.
    package func renamingFields(_ rename: (String) -> String?) -> ModelConfigError {
        switch self {
        case let .invalidField(key, expected, actual): return .invalidField(key: rename(key) ?? key, expected: expected, actual: actual)
        case let .outOfRange(key, value, range): return .outOfRange(key: rename(key) ?? key, value: value, range: range)
        case let .numberOutOfRange(key, value, requirement): return .numberOutOfRange(key: rename(key) ?? key, value: value, requirement: requirement)
        case let .unsupportedSetting(key, value, reason): return .unsupportedSetting(key: rename(key) ?? key, value: value, reason: reason)
        case let .located(origin, error): return .located(origin, error.renamingFields(rename))
        case let .inconsistent(reason):
            let words = reason.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).map(String.init)
            var named: [String] = []
            for word in words { if let name = rename(word), !named.contains("\(word) is \(name)") { named.append("\(word) is \(name)") } }
            return named.isEmpty ? self : .inconsistent("\(reason) (\(named.joined(separator: ", ")))")
        default: return self
        }
    }
}
