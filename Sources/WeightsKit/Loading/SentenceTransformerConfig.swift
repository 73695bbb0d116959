#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a sentence-transformers folder says to do around the encoder, read from its
/// modules.json, the Transformer module's sentence_bert_config.json and 1_Pooling/config.json:
/// how long a text may be, whether to lowercase it, how to pool the token vectors, and
/// whether to L2-normalise the result.
///
/// ```swift
/// let folder = try ModelLocation("all-MiniLM-L6-v2").sentenceTransformerConfig()
/// folder?.maxSequenceLength   // 256
/// folder?.pooling             // [.mean]
/// folder?.normalize           // true
/// ```
///
/// The modules followed are sentence-transformers' Transformer (first, at the folder itself
/// or a subfolder such as 0_Transformer), then optionally Pooling, then optionally Normalize;
/// any other module (Dense, custom code) or order is refused, since the embeddings would
/// differ. Type names are accepted in both spellings sentence-transformers writes
/// (`sentence_transformers.models.Pooling`, `sentence_transformers.….pooling.Pooling`).
/// The Transformer and Pooling folders must be folders of the model folder, not symlinks
/// (`moduleFolderNotInside`); the files in them may be symlinks (the Hugging Face cache).
public struct SentenceTransformerConfig: Sendable, Equatable {
    /// One way of pooling token vectors, named as sentence-transformers' `pooling_mode`.
    public enum PoolingMode: String, Sendable, CaseIterable {
        case cls, max, mean
        case meanSqrtLength = "mean_sqrt_len_tokens"
        case weightedMean = "weightedmean"
        case lastToken = "lasttoken"

        /// The legacy boolean key of each mode, in the order sentence-transformers
        /// concatenates them when several are true.
        static let legacyKeys: [(key: String, mode: PoolingMode)] = [
            ("pooling_mode_cls_token", .cls), ("pooling_mode_max_tokens", .max), ("pooling_mode_mean_tokens", .mean),
            ("pooling_mode_mean_sqrt_len_tokens", .meanSqrtLength), ("pooling_mode_weightedmean_tokens", .weightedMean),
            ("pooling_mode_lasttoken", .lastToken),
        ]
    }

    /// The folder holding modules.json.
    public let directory: String
    /// Where the Transformer module lives: "" (the folder itself) or a subfolder.
    public let transformerPath: String
    /// `max_seq_length` of sentence_bert_config.json: the most tokens, [CLS] and [SEP]
    /// included; nil when unset (sentence-transformers then uses the model's
    /// max_position_embeddings).
    public let maxSequenceLength: Int?
    /// `do_lower_case`: lowercase the text before tokenizing.
    public let lowercase: Bool
    /// The pooling modes, concatenated in this order; empty when modules.json lists no
    /// Pooling module (the folder gives token vectors only).
    public let pooling: [PoolingMode]
    /// `include_prompt` (true unless the file says otherwise). Only prompts prepended to
    /// the text are affected, and this tool prepends none.
    public let includePrompt: Bool
    /// `embedding_dimension` (`word_embedding_dimension` in older files), if given.
    public let embeddingDimension: Int?
    /// A Normalize module follows Pooling: the pooled vector is L2-normalised.
    public let normalize: Bool

    /// The directory of the Transformer module: where config.json, the weights and the
    /// tokenizer are.
    public var transformerDirectory: String {
        transformerPath.isEmpty ? directory : Paths.join(directory, transformerPath)
    }

    /// A config file larger than this is not one (they are a few hundred bytes).
    static let maximumBytes = 1 << 20

    /// Reads the folder at `directory` (which must hold modules.json). Errors name the file
    /// and the field.
    public init(directory: String) throws(SentenceTransformerConfigError) {
        self.directory = directory
        let modulesFile = Paths.join(directory, "modules.json")
        let modules = ConfigFile(path: modulesFile, module: "modules.json")
        guard let list = try modules.read() else { throw .missingFile(path: modulesFile, neededBy: "a sentence-transformers folder") }
        guard list.kind == .array else {
            throw .invalidField(path: modulesFile, field: "(top level)", expected: "a list of modules", found: ConfigFile.describe(list))
        }
        var transformer: String?, poolingPath: String?, normalize = false
        var transformerIndex = 0, poolingIndex = 0
        for (index, entry) in list.elements.enumerated() {
            guard entry.kind == .object else {
                throw .invalidField(path: modulesFile, field: "[\(index)]", expected: "an object", found: ConfigFile.describe(entry))
            }
            let type = try modules.string(entry.member("type"), "[\(index)].type")
            let path = try modules.string(entry.member("path"), "[\(index)].path")
            let kind = try Self.moduleKind(type, index: index, file: modulesFile)
            guard path.isEmpty || Paths.isPlainName(path) else {
                throw .unsupportedModule(path: modulesFile, index: index, type: type, reason: "path \"\(path)\" is not a folder inside the model folder")
            }
            func refuse(_ reason: String) -> SentenceTransformerConfigError {
                .unsupportedModule(path: modulesFile, index: index, type: type, reason: reason)
            }
            switch kind {
            case "Transformer":
                guard index == 0 else { throw refuse("the Transformer must be the first module") }
                transformer = path
                transformerIndex = index
            case "Pooling":
                guard transformer != nil, poolingPath == nil, !normalize else { throw refuse("Pooling must come right after the Transformer") }
                poolingPath = path
                poolingIndex = index
            default:
                guard poolingPath != nil, !normalize else { throw refuse("Normalize must come right after Pooling") }
                normalize = true
            }
        }
        guard let transformer else {
            throw .invalidField(path: modulesFile, field: "(top level)", expected: "a Transformer module first", found: "an empty list")
        }
        transformerPath = transformer
        self.normalize = normalize
        try Self.checkModuleFolders([(transformerIndex, transformer), (poolingIndex, poolingPath ?? "")], in: directory, file: modulesFile)

        let settingsFile = Paths.join(transformer.isEmpty ? directory : Paths.join(directory, transformer), "sentence_bert_config.json")
        let settings = ConfigFile(path: settingsFile, module: "Transformer")
        if let root = try settings.read() {
            // Below 2 there is no room for [CLS] and [SEP]: transformers' tokenizer then fails to
            // truncate and returns the whole text, so no cut would give its ids.
            maxSequenceLength = try settings.integer(root.member("max_seq_length"), "max_seq_length", minimum: 2)
            lowercase = try settings.bool(root.member("do_lower_case"), "do_lower_case") ?? false
        } else {
            maxSequenceLength = nil
            lowercase = false
        }

        guard let poolingPath else {
            pooling = []
            includePrompt = true
            embeddingDimension = nil
            return
        }
        let poolingFile = ConfigFile(path: Paths.join(poolingPath.isEmpty ? directory : Paths.join(directory, poolingPath), "config.json"),
                                     module: "Pooling")
        guard let root = try poolingFile.read() else { throw .missingFile(path: poolingFile.path, neededBy: "the Pooling module of modules.json") }
        pooling = try Self.poolingModes(root, poolingFile)
        includePrompt = try poolingFile.bool(root.member("include_prompt"), "include_prompt") ?? true
        let dimensionKey = root.member("embedding_dimension") != nil ? "embedding_dimension" : "word_embedding_dimension"
        embeddingDimension = try poolingFile.integer(root.member(dimensionKey), dimensionKey, minimum: 1)
    }

    /// The folders of the modules whose files are read (`path` of the Transformer and
    /// Pooling) must be folders of `directory` itself, looked at through a descriptor of it
    /// without following a symlink: a symlink would lead the weights, the tokenizer and the
    /// settings out of the model folder (and `convert` would carry the weights but not the
    /// module's other files). An absent folder is left to the reader of its files.
    private static func checkModuleFolders(_ modules: [(index: Int, path: String)], in directory: String,
                                           file: String) throws(SentenceTransformerConfigError) {
        let modules = modules.filter { !$0.path.isEmpty }
        guard !modules.isEmpty else { return }
        let folder: DirectoryDescriptor
        do { folder = try DirectoryDescriptor(path: directory) } catch { throw .unreadable(path: directory, reason: error.message) }
        for (index, path) in modules {
            guard let info = folder.entryStatus(path), info.st_mode & S_IFMT != S_IFDIR else { continue }
            throw .moduleFolderNotInside(path: file, index: index, folder: path, found: MappedFile.kind(of: info.st_mode))
        }
    }

    /// "Transformer", "Pooling" or "Normalize" from a module type such as
    /// `sentence_transformers.models.Pooling`; anything else is refused.
    private static func moduleKind(_ type: String, index: Int, file: String) throws(SentenceTransformerConfigError) -> String {
        let name = type.split(separator: ".").last.map(String.init) ?? type
        guard type.hasPrefix("sentence_transformers.") else {
            throw .unsupportedModule(path: file, index: index, type: type, reason: "not a sentence-transformers module (custom code is never run)")
        }
        switch name {
        case "Transformer", "Pooling", "Normalize": return name
        case "Dense":
            throw .unsupportedModule(path: file, index: index, type: type,
                                     reason: "Dense layers after pooling are not supported (the embedding would differ)")
        default:
            throw .unsupportedModule(path: file, index: index, type: type,
                                     reason: "not supported (supported: Transformer, Pooling, Normalize)")
        }
    }

    /// `pooling_mode` (a name or a list of names) when present, else the legacy
    /// `pooling_mode_*` flags in their fixed order, else mean (as sentence-transformers).
    private static func poolingModes(_ root: StrictJSON.Value, _ file: ConfigFile) throws(SentenceTransformerConfigError) -> [PoolingMode] {
        let accepted = "one of " + PoolingMode.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        func mode(_ node: StrictJSON.Value, _ field: String) throws(SentenceTransformerConfigError) -> PoolingMode {
            guard let name = node.string, let mode = PoolingMode(rawValue: name) else {
                throw .invalidField(path: file.path, field: field, expected: accepted, found: ConfigFile.describe(node))
            }
            return mode
        }
        if let node = root.member("pooling_mode"), node.kind != .null {
            if node.kind == .string { return [try mode(node, "pooling_mode")] }
            guard node.kind == .array, node.count > 0 else {
                throw .invalidField(path: file.path, field: "pooling_mode", expected: "a mode name or a non-empty list of them", found: ConfigFile.describe(node))
            }
            var modes: [PoolingMode] = []
            for (index, element) in node.elements.enumerated() { modes.append(try mode(element, "pooling_mode[\(index)]")) }
            return modes
        }
        var modes: [PoolingMode] = []
        for (key, mode) in PoolingMode.legacyKeys where try file.bool(root.member(key), key) == true { modes.append(mode) }
        return modes.isEmpty ? [.mean] : modes
    }
}

extension ModelLocation {
    /// The folder's modules.json: present in a sentence-transformers folder.
    public var modulesFile: String { sideFile("modules.json") }

    /// The sentence-transformers settings of the folder, or nil when it has no modules.json
    /// (a plain transformers folder, or a WeightPack file).
    public func sentenceTransformerConfig() throws(SentenceTransformerConfigError) -> SentenceTransformerConfig? {
        Paths.exists(modulesFile) ? try SentenceTransformerConfig(directory: directory) : nil
    }
}

extension ModelConfig {
    /// `max_position_embeddings`: the longest sequence the model was built for, and the
    /// default limit on a text's tokens when a folder gives none.
    public var maxPositionEmbeddings: Int {
        switch self {
        case let .bert(config): config.maxPositionEmbeddings
        case let .debertaV2(config): config.maxPositionEmbeddings
        }
    }
}

/// One small JSON settings file of a sentence-transformers folder, read strictly (a key
/// repeated in one object keeps its last value, as Python's `json` does).
private struct ConfigFile {
    let path: String
    let module: String

    /// The parsed root, or nil when the file is absent (the caller decides whether that is
    /// an error).
    func read() throws(SentenceTransformerConfigError) -> StrictJSON.Value? {
        guard Paths.exists(path) else { return nil }
        guard let size = Paths.size(path), size <= SentenceTransformerConfig.maximumBytes else {
            throw .unreadable(path: path, reason: "not a small regular file (a settings file is a few hundred bytes)")
        }
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch { throw .unreadable(path: path, reason: error.message) }
        let parsed = file.withBytes { bytes in
            Result { () throws(StrictJSON.ParseError) in try StrictJSON.parse(bytes, duplicateKeys: .lastWins) }
        }
        switch parsed {
        case let .success(document):
            let root = document.root
            guard module == "modules.json" || root.kind == .object else {
                throw .invalidField(path: path, field: "(top level)", expected: "an object", found: Self.describe(root))
            }
            return root
        case let .failure(error): throw .invalidJSON(path: path, reason: error.description)
        }
    }

    func string(_ node: StrictJSON.Value?, _ field: String) throws(SentenceTransformerConfigError) -> String {
        guard let node, let string = node.string else {
            throw .invalidField(path: path, field: field, expected: "a string", found: node.map(Self.describe) ?? "nothing")
        }
        return string
    }

    /// Absent or null: nil.
    func bool(_ node: StrictJSON.Value?, _ field: String) throws(SentenceTransformerConfigError) -> Bool? {
        guard let node, node.kind != .null else { return nil }
        guard let bool = node.bool else { throw .invalidField(path: path, field: field, expected: "true or false", found: Self.describe(node)) }
        return bool
    }

    /// Absent or null: nil.
    func integer(_ node: StrictJSON.Value?, _ field: String, minimum: Int) throws(SentenceTransformerConfigError) -> Int? {
        guard let node, node.kind != .null else { return nil }
        guard let value = node.integer, value >= minimum, value <= 1 << 24 else {
            throw .invalidField(path: path, field: field, expected: "an integer from \(minimum) to \(1 << 24)", found: Self.describe(node))
        }
        return value
    }

    /// "string "yes"", "number -3", "a list": enough to see what went wrong, never long.
    static func describe(_ node: StrictJSON.Value) -> String {
        switch node.kind {
        case .string:
            let text = node.string ?? ""
            return "string \"" + (text.count > 40 ? String(text.prefix(40)) + "..." : text) + "\""
        case .number:
            if let value = node.integer { return "number \(value)" }
            return node.isInteger ? "a large integer" : "a fractional number"
        case .bool: return node.bool == true ? "true" : "false"
        case .array: return node.count == 0 ? "an empty list" : "a list"
        case .object: return "an object"
        case .null: return "null"
        }
    }
}
