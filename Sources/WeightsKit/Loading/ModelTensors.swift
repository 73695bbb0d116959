/// A model's tensors by role, resolved once from any `TensorSource` through the schema
/// its config implies, so an inference core never deals with names or prefixes:
///
/// ```swift
/// let model = try ModelTensors(source: source, config: config)
/// let query = try model.view(.query(layer: 0, .weight))   // [hidden, hidden]
/// ```
///
/// Creating one checks the header (every required tensor present, shapes as the config
/// says, floats where needed), so a view of a required role cannot fail for a missing
/// tensor later. Values are not read until viewed; `weights validate` checks those.
public final class ModelTensors: Sendable {
    public let source: any TensorSource
    public let config: ModelConfig
    public let schema: ModelSchema
    private let names: [TensorRole: String]

    /// Checks `source` against `config`'s schema. A BERT GGUF file is read under the Hugging Face names its tensors came from
    /// (`GGUFHuggingFaceNames`), so `source` then is that view of it.
    public init(source: any TensorSource, config: ModelConfig) throws(ModelTensorsError) {
        let source = GGUFHuggingFaceNames.wrapping(source)
        let schema = config.schema
        let match = SchemaMatch(schema: schema, tensors: source.tensors)
        let problems = StructuralCheck.problems(match, schema: schema, strict: false).filter { $0.severity == .error }
        guard problems.isEmpty else { throw .mismatch(modelType: schema.modelType, problems: problems.sorted()) }
        var names: [TensorRole: String] = [:]
        for (expected, info) in match.found where expected.presence != .tolerated {
            names[expected.role] = info.name
        }
        self.source = source
        self.config = config
        self.schema = schema
        self.names = names
    }

    /// Opens the model at `path` (file, index.json or directory) with the config beside
    /// it or embedded in it, or `config` when given.
    public static func open(_ path: String, config: ModelConfig? = nil) throws(ModelTensorsError) -> ModelTensors {
        let location = ModelLocation(path)
        let source: any TensorSource
        do { source = try ModelLoader.open(location) } catch { throw .unreadable(error) }
        let resolved: ModelConfig
        if let config {
            resolved = config
        } else {
            do { resolved = try location.config(source: source) } catch { throw .config(error) }
        }
        return try ModelTensors(source: source, config: resolved)
    }

    /// Whether the model has a tensor for `role` (optional ones such as the pooler may be absent).
    public func contains(_ role: TensorRole) -> Bool { names[role] != nil }

    /// The name the file uses for `role`.
    public func name(of role: TensorRole) -> String? { names[role] }

    /// The header entry for `role`: dtype, shape, encoding.
    public func info(_ role: TensorRole) -> TensorInfo? {
        guard let name = names[role] else { return nil }
        return source.tensors.first { $0.name.isByteEqual(to: name) }
    }

    /// A view of the tensor for `role`. Throws `.notInModel` for a role this model does
    /// not have (check `contains` for optional ones) and `.unreadable` when a compressed
    /// payload does not inflate.
    public func view(_ role: TensorRole) throws(ModelTensorsError) -> TensorView {
        guard let name = names[role] else { throw .notInModel(role: role, modelType: schema.modelType) }
        let view: TensorView?
        do { view = try source.view(name) } catch { throw .unreadable(error) }
        guard let view else { throw .notInModel(role: role, modelType: schema.modelType) }
        return view
    }
}

/// Why `ModelTensors` cannot serve a model; every description is one line.
public enum ModelTensorsError: Error, Sendable, CustomStringConvertible {
    /// The file does not match its config: required tensors missing, wrong shapes or dtypes.
    case mismatch(modelType: String, problems: [ValidationProblem])
    /// A role the model does not have (DeBERTa-v3 has no position embeddings).
    case notInModel(role: TensorRole, modelType: String)
    case unreadable(WeightsFileError)
    case config(ModelConfigError)

    public var description: String {
        switch self {
        case let .mismatch(modelType, problems):
            let first = problems.first.map { "\($0.message) [\($0.code.rawValue)]" } ?? "no details"
            let more = problems.count > 1 ? " (and \(problems.count - 1) more; run `weights validate` for all)" : ""
            return "weights do not match the \(modelType) config: \(first)\(more)"
        case let .notInModel(role, modelType): return "this \(modelType) model has no \(role)"
        case let .unreadable(error): return error.description
        case let .config(error): return "config: \(error) [config]"
        }
    }
}
