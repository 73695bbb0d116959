/// Where a model's files are, resolved once from the path a user gives: a weights file,
/// a shard index, a model directory, or another file of a model directory (config.json,
/// vocab.txt), which stands for its directory.
///
/// ```swift
/// let location = ModelLocation("models/minilm/model.safetensors")
/// location.directory    // "models/minilm": where config.json and the tokenizer live
/// location.tokenizer    // .tokenizerJSON("models/minilm/tokenizer.json"), if present
/// ```
///
/// `ModelLoader` opens `path` for the weights; the config comes from the weights when
/// they embed one (WeightPack), else from `configFile`.
public struct ModelLocation: Sendable, Equatable {
    /// The files a tokenizer is read from.
    public enum Tokenizer: Sendable, Equatable {
        /// A sentencepiece model (spm.model, DeBERTa-v3's), with the tokenizer_config.json
        /// beside it (which may be absent) for its special tokens.
        case sentencePiece(String, configuration: String)
        /// A Hugging Face tokenizer.json (it carries the whole configuration).
        case tokenizerJSON(String)
        /// A vocab.txt, with the settings of the tokenizer_config.json beside it (which
        /// may be absent: uncased BERT's defaults then).
        case vocabulary(String, configuration: String)
        /// A GGUF file's own vocabulary (`tokenizer.ggml.*`, as llama.cpp's converter
        /// writes a BERT's WordPiece vocabulary).
        case gguf(String)
    }

    /// The path as given; the weights are opened from it.
    public let path: String
    /// The directory the model's side files (config.json, tokenizer files) live in.
    public let directory: String
    /// `directory`/config.json (which may not exist).
    public let configFile: String
    /// The tokenizer files: `path` itself when it names one (any `*tokenizer*.json` but
    /// tokenizer_config.json, a `.txt` vocabulary, or a `.model` sentencepiece model), else
    /// the directory's spm.model or spiece.model (a folder with one is a sentencepiece
    /// model even when it also has a converted tokenizer.json: sentencepiece is the
    /// reference), else its tokenizer.json, else its vocab.txt, else its one `.gguf` file;
    /// nil when there is none. A `.gguf` path is its own tokenizer (the file names one model).
    public let tokenizer: Tokenizer?

    public init(_ path: String) {
        self.path = path
        let isDirectory = Paths.isDirectory(path)
        directory = isDirectory ? path : Paths.directory(of: path)
        configFile = Paths.join(directory, "config.json")
        tokenizer = ModelLocation.tokenizer(path: path, isDirectory: isDirectory, directory: directory)
    }

    /// A side file of the model: `name` in `directory`.
    public func sideFile(_ name: String) -> String {
        Paths.join(directory, name)
    }

    private static func tokenizer(path: String, isDirectory: Bool, directory: String) -> Tokenizer? {
        let join = { (name: String) in Paths.join(directory, name) }
        if !isDirectory {
            let name = Paths.lastComponent(path)
            if name.hasSuffix(".json") && name.contains("tokenizer") && name != "tokenizer_config.json" { return .tokenizerJSON(path) }
            if name.hasSuffix(".txt") { return .vocabulary(path, configuration: join("tokenizer_config.json")) }
            if name.hasSuffix(".model") { return .sentencePiece(path, configuration: join("tokenizer_config.json")) }
            if name.hasSuffix(".gguf") { return .gguf(path) }
        }
        for name in ["spm.model", "spiece.model"] where Paths.exists(join(name)) {
            return .sentencePiece(join(name), configuration: join("tokenizer_config.json"))
        }
        if Paths.exists(join("tokenizer.json")) { return .tokenizerJSON(join("tokenizer.json")) }
        if Paths.exists(join("vocab.txt")) { return .vocabulary(join("vocab.txt"), configuration: join("tokenizer_config.json")) }
        let ggufs = Paths.contents(of: directory).filter { $0.hasSuffix(".gguf") }
        return ggufs.count == 1 ? .gguf(join(ggufs[0])) : nil
    }

    /// The model's config.json text: embedded in `source` (opened from `path`), else the
    /// file beside the weights, else the one `source` derives from its metadata (a GGUF's);
    /// nil when there is none.
    public func configText(source: any TensorSource) -> String? {
        if let config = source.embeddedConfig { return config }
        if let file = try? MappedFile(path: configFile) { return file.withBytes { String(validating: $0, as: UTF8.self) } }
        return try? source.derivedConfig()
    }

    /// The model's config, parsed: embedded in `source` (opened from `path`), else
    /// config.json beside the weights, else derived from `source`'s metadata (a BERT GGUF's
    /// hyper-parameters, `GGUFModelConfig`). Errors name the file they come from.
    public func config(source: any TensorSource) throws(ModelConfigError) -> ModelConfig {
        if let text = source.embeddedConfig {
            do { return try ModelConfig(parsing: text) } catch { throw .located("\(source.paths.first ?? path): embedded config", error) }
        }
        if Paths.exists(configFile) { return try ModelConfig(contentsOf: configFile) }
        guard let text = try source.derivedConfig() else { throw .notFound(directory: directory) }
        do { return try ModelConfig(parsing: text) } catch { throw .located("\(source.paths.first ?? path): GGUF metadata", error) }
    }
}

extension ModelConfig {
    /// The config of the model at `path` (opened as `source`): embedded in a WeightPack
    /// file, else config.json beside the weights (see `ModelLocation`).
    public static func find(for path: String, source: any TensorSource) throws(ModelConfigError) -> ModelConfig {
        try ModelLocation(path).config(source: source)
    }
}
