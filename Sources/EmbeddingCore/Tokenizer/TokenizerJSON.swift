import WeightsKit

/// What a Hugging Face tokenizer.json says about a BERT WordPiece tokenizer.
///
/// Anything that would change the output but is not BERT's pipeline (another normalizer,
/// pre-tokenizer, model or template) is refused rather than ignored. The decoder, padding
/// and the pair template do not affect encoding one text and are not read.
struct TokenizerJSON {
    var normalizer: BertNormalizer?
    var vocabulary: Vocabulary
    var unknownToken = "[UNK]"
    var continuingSubwordPrefix = "##"
    var maxInputCharsPerWord = 100
    var addedTokens: [AddedToken] = []
    var prefix = WordPieceTokenizer.Encoding()
    var suffix = WordPieceTokenizer.Encoding()
    var maxLength: Int?

    init(bytes: [UInt8], path: String) throws(TokenizerError) {
        let reader = JSONFields(path: path)
        let root = try reader.parse(bytes)
        guard root.kind == .object else { throw .invalidFile(path: path, reason: "not a tokenizer.json: expected an object, found \(JSONFields.kindName(root))") }

        // The model first: a Unigram or BPE model means this is not a WordPiece tokenizer at all.
        let model = try reader.object(root.member("model"), "model")
        let type = try reader.string(model?.member("type"), "model.type")
        guard let model, type == "WordPiece" else { throw .noWordPieceVocabulary(path: path, found: type ?? "unnamed") }
        guard let entries = try reader.object(model.member("vocab"), "model.vocab")?.members else {
            throw .invalidFile(path: path, reason: "model.vocab is missing")
        }
        // A token written twice keeps its last id (serde_json's map; Vocabulary keeps the last).
        var ids: [([UInt8], Int)] = []
        ids.reserveCapacity(entries.count)
        for (token, value) in entries {
            guard let id = value.integer, id >= 0 else { throw .invalidFile(path: path, reason: "model.vocab[\"\(token)\"]: expected a non-negative integer id") }
            ids.append((Array(token.utf8), id))
        }
        vocabulary = Vocabulary(ids: ids)
        unknownToken = try reader.string(model.member("unk_token"), "model.unk_token") ?? unknownToken
        continuingSubwordPrefix = try reader.string(model.member("continuing_subword_prefix"), "model.continuing_subword_prefix") ?? continuingSubwordPrefix
        maxInputCharsPerWord = try reader.int(model.member("max_input_chars_per_word"), "model.max_input_chars_per_word") ?? maxInputCharsPerWord

        if let settings = try reader.object(root.member("normalizer"), "normalizer") {
            let type = try reader.string(settings.member("type"), "normalizer.type") ?? "unnamed"
            guard type == "BertNormalizer" else { throw .unsupported(path: path, component: "normalizer", value: type) }
            normalizer = BertNormalizer(
                cleanText: try reader.bool(settings.member("clean_text"), "normalizer.clean_text") ?? true,
                handleChineseChars: try reader.bool(settings.member("handle_chinese_chars"), "normalizer.handle_chinese_chars") ?? true,
                stripAccents: try reader.bool(settings.member("strip_accents"), "normalizer.strip_accents"),
                lowercase: try reader.bool(settings.member("lowercase"), "normalizer.lowercase") ?? true)
        }

        let preTokenizer = try reader.object(root.member("pre_tokenizer"), "pre_tokenizer")
        let preTokenizerType = try preTokenizer.flatMap { node throws(TokenizerError) in try reader.string(node.member("type"), "pre_tokenizer.type") } ?? "none"
        guard preTokenizerType == "BertPreTokenizer" else { throw .unsupported(path: path, component: "pre_tokenizer", value: preTokenizerType) }

        for (position, entry) in try reader.array(root.member("added_tokens"), "added_tokens").enumerated() {
            let name = "added_tokens[\(position)]"
            guard let content = try reader.string(entry.member("content"), name + ".content"),
                  let id = try reader.int(entry.member("id"), name + ".id") else {
                throw .invalidFile(path: path, reason: "\(name) needs content and id")
            }
            // tokenizers' default: special tokens match the raw text, others the normalized text.
            let special = try reader.bool(entry.member("special"), name + ".special") ?? false
            addedTokens.append(AddedToken(content: content, id: id, normalized: try reader.bool(entry.member("normalized"), name + ".normalized") ?? !special))
        }

        if let processor = try reader.object(root.member("post_processor"), "post_processor") {
            (prefix, suffix) = try Self.template(processor, reader: reader)
        }
        if let truncation = try reader.object(root.member("truncation"), "truncation") {
            maxLength = try reader.int(truncation.member("max_length"), "truncation.max_length")
        }
    }

    /// The special tokens before and after the text in a single-sequence encoding:
    /// TemplateProcessing's `single` is `[{"SpecialToken": {"id": "[CLS]"}}, {"Sequence": {"id": "A"}}, ...]`
    /// with the ids in `special_tokens`; BertProcessing has `"cls": ["[CLS]", 101]` and `sep`.
    private static func template(_ processor: StrictJSON.Value, reader: JSONFields) throws(TokenizerError) -> (WordPieceTokenizer.Encoding, WordPieceTokenizer.Encoding) {
        let type = try reader.string(processor.member("type"), "post_processor.type") ?? "unnamed"
        switch type {
        case "BertProcessing":
            func pair(_ key: String) throws(TokenizerError) -> WordPieceTokenizer.Encoding {
                let items = try reader.array(processor.member(key), "post_processor.\(key)")
                guard items.count == 2, let token = items[0].string, let id = items[1].integer else {
                    throw .invalidFile(path: reader.path, reason: "post_processor.\(key): expected [token, id]")
                }
                return WordPieceTokenizer.Encoding(tokens: [token], ids: [id])
            }
            return (try pair("cls"), try pair("sep"))
        case "TemplateProcessing":
            var prefix = WordPieceTokenizer.Encoding()
            var suffix = WordPieceTokenizer.Encoding()
            var seenSequence = false
            for piece in try reader.array(processor.member("single"), "post_processor.single") {
                if piece.member("Sequence") != nil {
                    seenSequence = true
                    continue
                }
                guard let name = try reader.string(piece.member("SpecialToken")?.member("id"), "post_processor.single[].SpecialToken.id"),
                      let special = processor.member("special_tokens")?.member(name) else {
                    throw .invalidFile(path: reader.path, reason: "post_processor.single names a special token without defining its ids")
                }
                let tokens = try reader.array(special.member("tokens"), "post_processor.special_tokens.\(name).tokens")
                let ids = try reader.array(special.member("ids"), "post_processor.special_tokens.\(name).ids")
                guard tokens.count == ids.count else {
                    throw .invalidFile(path: reader.path, reason: "post_processor.special_tokens.\(name): tokens and ids differ in length")
                }
                for (token, id) in zip(tokens, ids) {
                    guard let token = token.string, let id = id.integer else {
                        throw .invalidFile(path: reader.path, reason: "post_processor.special_tokens.\(name): expected strings and integer ids")
                    }
                    if seenSequence { suffix.append(token, id) } else { prefix.append(token, id) }
                }
            }
            return (prefix, suffix)
        default:
            throw .unsupported(path: reader.path, component: "post_processor", value: type)
        }
    }
}

/// Typed reads from a parsed JSON file: a missing member or null is nil, a wrong type is
/// an error naming the key path.
struct JSONFields {
    let path: String

    /// Reads the file with the strict reader; a key repeated in one object keeps its last
    /// value, as `tokenizers` (serde_json into a map) does.
    func parse(_ bytes: [UInt8]) throws(TokenizerError) -> StrictJSON.Value {
        let parsed = bytes.withUnsafeBytes { raw in
            Result { () throws(StrictJSON.ParseError) in try StrictJSON.parse(raw, duplicateKeys: .lastWins) }
        }
        switch parsed {
        case let .success(document): return document.root
        case let .failure(error): throw .invalidFile(path: path, reason: "invalid JSON at byte \(error.offset): \(error.reason)")
        }
    }

    func object(_ node: StrictJSON.Value?, _ name: String) throws(TokenizerError) -> StrictJSON.Value? {
        guard let node, node.kind != .null else { return nil }
        guard node.kind == .object else { throw mismatch(name, "an object", node) }
        return node
    }

    func array(_ node: StrictJSON.Value?, _ name: String) throws(TokenizerError) -> [StrictJSON.Value] {
        guard let node, node.kind != .null else { return [] }
        guard node.kind == .array else { throw mismatch(name, "an array", node) }
        return node.elements
    }

    func string(_ node: StrictJSON.Value?, _ name: String) throws(TokenizerError) -> String? {
        guard let node, node.kind != .null else { return nil }
        guard let text = node.string else { throw mismatch(name, "a string", node) }
        return text
    }

    func bool(_ node: StrictJSON.Value?, _ name: String) throws(TokenizerError) -> Bool? {
        guard let node, node.kind != .null else { return nil }
        guard let value = node.bool else { throw mismatch(name, "true or false", node) }
        return value
    }

    /// An integer literal that fits in Int; a fraction, an exponent or a larger integer is
    /// a mismatch.
    func int(_ node: StrictJSON.Value?, _ name: String) throws(TokenizerError) -> Int? {
        guard let node, node.kind != .null else { return nil }
        guard let value = node.integer else { throw mismatch(name, "an integer", node) }
        return value
    }

    /// The JSON type as a user would name it, for error messages.
    static func kindName(_ node: StrictJSON.Value) -> String {
        node.kind == .bool ? "boolean" : node.kindName
    }

    private func mismatch(_ name: String, _ expected: String, _ found: StrictJSON.Value) -> TokenizerError {
        .invalidFile(path: path, reason: "\(name): expected \(expected), found \(Self.kindName(found))")
    }
}
