import WeightsKit

extension WordPieceTokenizer {
    /// Loads the tokenizer of a model: `path` is a model directory, a tokenizer.json (any
    /// `*tokenizer*.json`), a vocab.txt (any `.txt`), or another file of a model directory
    /// (config.json, model.safetensors), which stands for the directory.
    ///
    /// A directory's tokenizer.json is preferred (it carries the whole configuration); a
    /// directory with only vocab.txt takes its settings from tokenizer_config.json
    /// (do_lower_case, strip_accents, tokenize_chinese_chars, the special tokens), with
    /// uncased BERT's defaults when that is missing.
    public init(modelPath path: String) throws(TokenizerError) {
        guard Paths.exists(path) else {
            throw .unreadable(path: path, reason: "No such file or directory")
        }
        switch ModelLocation(path).tokenizer {
        case let .tokenizerJSON(file)?: try self.init(tokenizerJSON: file)
        case let .vocabulary(file, configuration)?: try self.init(vocabularyFile: file, configuration: configuration)
        case let .gguf(file)?: try self.init(gguf: file)
        case .sentencePiece?: throw .noWordPieceVocabulary(path: path, found: "SentencePiece (spm.model)")
        case nil: throw .noWordPieceVocabulary(path: path, found: nil)
        }
    }

    /// Loads vocab.txt (one token per line, the id is the line number) with BERT's pipeline:
    /// `normalizer`, [CLS] text [SEP], and the special tokens matched in the text.
    public init(vocabularyFile path: String, normalizer: BertNormalizer = BertNormalizer(),
                specialTokens: BertSpecialTokens = BertSpecialTokens()) throws(TokenizerError) {
        let vocabulary = try Vocabulary.parseLines(Self.read(path), path: path)
        func id(_ token: String, _ role: String) throws(TokenizerError) -> Int {
            guard let id = vocabulary.id(for: token) else { throw .missingToken(path: path, token: token, role: role) }
            return id
        }
        let classifier = try id(specialTokens.classifier, "classifier")
        let separator = try id(specialTokens.separator, "separator")
        let special = [specialTokens.padding, specialTokens.unknown, specialTokens.classifier, specialTokens.separator, specialTokens.mask]
        try self.init(vocabulary: vocabulary, normalizer: normalizer, unknownToken: specialTokens.unknown,
                      addedTokens: special.compactMap { token in vocabulary.id(for: token).map { AddedToken(content: token, id: $0) } },
                      prefix: Encoding(tokens: [specialTokens.classifier], ids: [classifier]),
                      suffix: Encoding(tokens: [specialTokens.separator], ids: [separator]), path: path)
    }

    /// Loads a Hugging Face tokenizer.json whose model is WordPiece, with a BertNormalizer
    /// (or none), the BertPreTokenizer and a TemplateProcessing or BertProcessing template.
    public init(tokenizerJSON path: String) throws(TokenizerError) {
        let file = try TokenizerJSON(bytes: Self.read(path), path: path)
        try self.init(vocabulary: file.vocabulary, normalizer: file.normalizer, unknownToken: file.unknownToken,
                      continuingSubwordPrefix: file.continuingSubwordPrefix, maxInputCharsPerWord: file.maxInputCharsPerWord,
                      addedTokens: file.addedTokens, prefix: file.prefix, suffix: file.suffix, maxLength: file.maxLength, path: path)
    }

    /// Normalizer and special tokens from a tokenizer_config.json (the keys `transformers`'
    /// BertTokenizer reads), if there is one. A token entry is a string or an AddedToken
    /// object with `content`.
    init(vocabularyFile path: String, configuration: String) throws(TokenizerError) {
        guard Paths.exists(configuration) else {
            try self.init(vocabularyFile: path)
            return
        }
        let reader = JSONFields(path: configuration)
        let config = try reader.parse(Self.read(configuration))
        guard config.kind == .object else { throw .invalidFile(path: configuration, reason: "expected an object, found \(JSONFields.kindName(config))") }
        func token(_ key: String) throws(TokenizerError) -> String? {
            let node = config.member(key)
            if let node, node.kind == .object { return try reader.string(node.member("content"), key + ".content") }
            return try reader.string(node, key)
        }
        var special = BertSpecialTokens()
        special.unknown = try token("unk_token") ?? special.unknown
        special.classifier = try token("cls_token") ?? special.classifier
        special.separator = try token("sep_token") ?? special.separator
        special.padding = try token("pad_token") ?? special.padding
        special.mask = try token("mask_token") ?? special.mask
        let normalizer = BertNormalizer(handleChineseChars: try reader.bool(config.member("tokenize_chinese_chars"), "tokenize_chinese_chars") ?? true,
                                        stripAccents: try reader.bool(config.member("strip_accents"), "strip_accents"),
                                        lowercase: try reader.bool(config.member("do_lower_case"), "do_lower_case") ?? true)
        try self.init(vocabularyFile: path, normalizer: normalizer, specialTokens: special)
    }

    static func read(_ path: String) throws(TokenizerError) -> [UInt8] {
        do {
            return try MappedFile(path: path).withBytes { Array($0) }
        } catch {
            throw .unreadable(path: path, reason: error.message)
        }
    }
}
