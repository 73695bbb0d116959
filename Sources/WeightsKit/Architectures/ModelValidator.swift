/// Checks a model file against its config in one pass and reports every problem at once.
public enum ModelValidator {
    /// Runs every check: names and shapes against the schema (when the config could be
    /// read), values, and WeightPack CRCs. With `strict`, unexpected tensors are errors.
    /// A config that cannot be read is itself a problem; the value checks still run.
    public static func validate(_ source: any TensorSource, config: Result<ModelConfig, ModelConfigError>,
                                strict: Bool = false) -> ValidationReport {
        var problems: [ValidationProblem] = []
        var zeroChecked = Set<ExactName>()
        var modelType: String?
        switch config {
        case let .success(config):
            let schema = config.schema
            modelType = schema.modelType
            let match = SchemaMatch(schema: schema, tensors: source.tensors)
            problems += StructuralCheck.problems(match, schema: schema, strict: strict)
            zeroChecked = Set(match.found.filter { $0.expected.mustNotBeZero }.map(\.info.name.exact))
        case let .failure(error):
            problems.append(ValidationProblem(code: .config, tensor: nil, message: "config: \(error)"))
        }
        problems += ValueCheck.problems(source, zeroChecked: zeroChecked)
        return ValidationReport(modelType: modelType, tensorCount: source.tensors.count, problems: problems.sorted())
    }
}
