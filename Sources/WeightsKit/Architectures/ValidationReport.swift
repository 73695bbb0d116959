/// What `ModelValidator` found: the problems, sorted, and whether the model is usable.
public struct ValidationReport: Sendable {
    /// nil when the config could not be read.
    public let modelType: String?
    public let tensorCount: Int
    public let problems: [ValidationProblem]

    public var errorCount: Int { problems.count { $0.severity == .error } }
    public var warningCount: Int { problems.count { $0.severity == .warning } }
    /// Valid means no errors; warnings are allowed.
    public var isValid: Bool { errorCount == 0 }

    /// `{"model_type", "valid", "problems": [{"code", "severity", "tensor", "expected", "actual", "message"}]}`;
    /// `expected`/`actual` are a shape (array of integers), a string, or null.
    package var json: JSONValue {
        .object([
            "model_type": modelType.map(JSONValue.string) ?? .null,
            "valid": .bool(isValid),
            "problems": .array(problems.map { problem in
                .object([
                    "code": .string(problem.code.rawValue),
                    "severity": .string(problem.severity.rawValue),
                    "tensor": problem.tensor.map(JSONValue.string) ?? .null,
                    "expected": Self.json(problem.expected),
                    "actual": Self.json(problem.actual),
                    "message": .string(problem.message),
                ])
            }),
        ])
    }

    private static func json(_ detail: ValidationProblem.Detail?) -> JSONValue {
        switch detail {
        case let .shape(shape): .array(shape.dims.map(JSONValue.int))
        case let .text(text): .string(text)
        case nil: .null
        }
    }
}
