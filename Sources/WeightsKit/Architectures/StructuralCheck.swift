/// The checks that need only the file's header: every required tensor present, nothing
/// unknown, every shape as the config implies, floats where the maths needs floats.
/// Shared by `ModelValidator` (which adds value checks) and `ModelTensors` (which refuses
/// to load a model that fails them).
enum StructuralCheck {
    static func problems(_ match: SchemaMatch, schema: ModelSchema, strict: Bool) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        for expected in match.missing {
            let name = match.spelling(of: expected)
            problems.append(ValidationProblem(
                code: .missing, tensor: name, expected: .shape(expected.shape),
                message: "tensor \"\(name)\": missing (the \(expected.role), expected \(expected.shape))"))
        }
        for (info, duplicateOf) in match.unexpected {
            let severity: ValidationProblem.Severity = strict ? .error : .warning
            let why = duplicateOf.map { "another spelling of \"\($0)\", which is also present" }
                ?? "not part of a \(schema.modelType) model with this config"
            problems.append(ValidationProblem(
                code: .unexpected, severity: severity, tensor: info.name, actual: .shape(info.shape),
                message: "tensor \"\(info.name)\": unexpected, \(why)"))
        }
        // A tolerated tensor is ignored by the model (as transformers ignores it), so its
        // shape and dtype do not matter.
        for (expected, info) in match.found where expected.presence != .tolerated {
            if info.shape != expected.shape {
                problems.append(ValidationProblem(
                    code: .shape, tensor: info.name, expected: .shape(expected.shape), actual: .shape(info.shape),
                    message: "tensor \"\(info.name)\": shape \(info.shape), expected \(expected.shape)\(hint(expected: expected.shape, actual: info.shape))"))
            }
            let isFloat = info.encoding != .plain || info.dtype.isFloatingPoint
            if expected.needsFloat && !isFloat {
                problems.append(ValidationProblem(
                    code: .dtype, tensor: info.name, expected: .text("float"), actual: .text(info.dtype.name),
                    message: "tensor \"\(info.name)\": dtype \(info.dtype.name), expected a floating-point type"))
            }
        }
        return problems
    }

    /// Names the likely cause of a shape mismatch when the numbers suggest one.
    private static func hint(expected: Shape, actual: Shape) -> String {
        if expected.rank == 2, actual.dims == expected.dims.reversed() { return " (transposed?)" }
        return ""
    }
}
