/// One thing wrong with a model file, measured against its config: what `weights validate`
/// prints and what `ModelTensors` refuses to load.
public struct ValidationProblem: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Stable codes, for scripts (`--json`) and tests. Declaration order is report order
    /// among problems of one tensor.
    public enum Code: String, Sendable, CaseIterable {
        case config, missing, unexpected, shape, dtype, nonfinite, zero, checksum
    }

    public enum Severity: String, Sendable {
        /// The model cannot be used as it is.
        case error
        /// Worth knowing, but the model loads (an unexpected tensor without --strict).
        case warning
    }

    /// An expected or actual value: a shape, or a short text ("float", "F32", "3 NaN").
    public enum Detail: Sendable, Hashable, CustomStringConvertible {
        case shape(Shape)
        case text(String)

        public var description: String {
            switch self {
            case let .shape(shape): shape.description
            case let .text(text): text
            }
        }
    }

    public let code: Code
    public let severity: Severity
    /// The tensor as the file spells it; for a missing tensor, as it is expected to be
    /// spelled; nil for problems with the config itself.
    public let tensor: String?
    public let expected: Detail?
    public let actual: Detail?
    /// One line, naming the tensor: `tensor "x": shape [32, 64], expected [64, 32]`.
    public let message: String

    public init(code: Code, severity: Severity = .error, tensor: String?, expected: Detail? = nil, actual: Detail? = nil, message: String) {
        self.code = code
        self.severity = severity
        self.tensor = tensor
        self.expected = expected
        self.actual = actual
        self.message = message
    }

    /// "error: tensor "x": missing, expected [32, 32] [missing]", the way the CLI prints errors.
    public var description: String { "\(severity.rawValue): \(message) [\(code.rawValue)]" }

    /// Config problems first, then by tensor name (bytewise), then by code.
    public static func < (left: ValidationProblem, right: ValidationProblem) -> Bool {
        let leftName = left.tensor ?? "", rightName = right.tensor ?? ""
        if !leftName.isByteEqual(to: rightName) { return leftName.bytePrecedes(rightName) }
        if left.code != right.code { return left.code.order < right.code.order }
        return left.message.utf8.lexicographicallyPrecedes(right.message.utf8)
    }
}

extension ValidationProblem.Code {
    var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
