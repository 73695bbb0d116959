/// A model's config.json, parsed into the typed config of its architecture.
public enum ModelConfig: Sendable, Equatable {
    case bert(BertConfig)
    case debertaV2(DebertaV2Config)

    /// The `model_type` values this tool knows, for error messages.
    static let supportedModelTypes = ["bert", "deberta-v2"]

    /// A config.json larger than this is not a config (they are a few kB).
    static let maximumBytes = 16 << 20

    /// Parses config.json text. Absent fields take transformers' defaults; a field of the
    /// wrong type or an absurd size is an error naming the field.
    public init(parsing text: String) throws(ModelConfigError) {
        var text = text
        self = try text.withUTF8 { bytes in
            Result { () throws(ModelConfigError) in try ModelConfig(parsing: UnsafeRawBufferPointer(bytes)) }
        }.get()
    }

    init(parsing bytes: UnsafeRawBufferPointer) throws(ModelConfigError) {
        guard bytes.count <= ModelConfig.maximumBytes else { throw .tooLarge(bytes: bytes.count, limit: ModelConfig.maximumBytes) }
        self = try JSONDocument.withRoot(parsing: bytes, parseError: { error -> ModelConfigError in
            switch error {
            case .invalidUTF8: .invalidJSON(reason: "not UTF-8")
            case let .syntax(reason): .invalidJSON(reason: reason)
            case let .trailingCharacters(offset): .invalidJSON(reason: "unexpected text at byte \(offset)")
            }
        }) { root throws(ModelConfigError) in try ModelConfig(root: root) }
    }

    private init(root: JSONNode) throws(ModelConfigError) {
        guard root.kind == .object else { throw .notAnObject(kind: root.kindName) }
        guard let typeNode = root.member("model_type") else { throw .missingModelType }
        guard let modelType = typeNode.string else {
            throw .invalidField(key: "model_type", expected: "a string", actual: typeNode.kindName)
        }
        let fields = ConfigFields(object: root)
        switch modelType {
        case "bert": self = .bert(try BertConfig(fields))
        case "deberta-v2": self = .debertaV2(try DebertaV2Config(fields))
        default: throw .unsupportedModelType(modelType)
        }
    }

    /// Reads and parses the config file at `path`; errors name the path.
    public init(contentsOf path: String) throws(ModelConfigError) {
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            throw .unreadable(error.description)
        }
        do {
            self = try file.withBytes { bytes throws(ModelConfigError) in try ModelConfig(parsing: bytes) }
        } catch {
            throw .located(path, error)
        }
    }

    public var modelType: String {
        switch self {
        case .bert: "bert"
        case .debertaV2: "deberta-v2"
        }
    }

    /// Every tensor this architecture has for this config.
    public var schema: ModelSchema {
        switch self {
        case let .bert(config): config.schema
        case let .debertaV2(config): config.schema
        }
    }

    public var hiddenSize: Int {
        switch self {
        case let .bert(config): config.hiddenSize
        case let .debertaV2(config): config.hiddenSize
        }
    }

    var layerCount: Int {
        switch self {
        case let .bert(config): config.numHiddenLayers
        case let .debertaV2(config): config.numHiddenLayers
        }
    }

    var attentionHeads: Int {
        switch self {
        case let .bert(config): config.numAttentionHeads
        case let .debertaV2(config): config.numAttentionHeads
        }
    }

    var layerNormEpsilon: Double {
        switch self {
        case let .bert(config): config.layerNormEps
        case let .debertaV2(config): config.layerNormEps
        }
    }
}
