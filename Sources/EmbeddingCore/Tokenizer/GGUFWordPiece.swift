import WeightsKit

/// A BERT WordPiece vocabulary read back from a GGUF file (`tokenizer.ggml.model = "bert"`).
///
/// llama.cpp's converter (convert_hf_to_gguf.py, `BertModel.set_vocab`) rewrites each token
/// into "phantom space" form: a CONTROL token ([CLS], [SEP]...) is kept, a continuation
/// "##x" becomes "x", and every other token "w" becomes "▁w" (U+2581). That is one-to-one,
/// so it is undone exactly: CONTROL kept, a leading "▁" dropped, anything else given "##"
/// back. UNUSED entries are the "[PADn]" fillers the converter writes for ids the original
/// vocabulary lacked, and are left out.
///
/// The normalizer is llama.cpp's: `tokenizer.ggml.normalizer.lowercase` (default true) and
/// `tokenizer.ggml.normalizer.strip_accents` (default: as lowercase), as BertNormalizer's
/// defaults are. [CLS] is `tokenizer.ggml.bos_token_id` (llama.cpp's BERT starts with BOS),
/// [SEP] `tokenizer.ggml.seperator_token_id` (sic; else eos), [UNK] `unknown_token_id`.
enum GGUFWordPiece {
    /// gguf-py's `TokenType`.
    static let control = 3, userDefined = 4, unused = 5
    static let phantomSpace = "\u{2581}"

    /// The original token of a GGUF token of type `type`; nil for UNUSED fillers.
    static func original(_ token: String, type: Int) -> String? {
        if type == unused { return nil }
        if type == control { return token }
        if token.utf8.starts(with: phantomSpace.utf8) { return String(token.utf8.dropFirst(phantomSpace.utf8.count)) ?? token }
        return "##" + token
    }
}

extension WordPieceTokenizer {
    /// Loads the WordPiece tokenizer a BERT GGUF file carries (see `GGUFWordPiece`).
    public init(gguf path: String) throws(TokenizerError) {
        let file: GGUFFile
        do { file = try GGUFFile(path: path) } catch { throw .unreadable(path: path, reason: error.reason.description) }
        guard let model = file.value("tokenizer.ggml.model") else {
            throw .invalidFile(path: path, reason: "no tokenizer.ggml.model: the GGUF file carries no vocabulary")
        }
        guard model.text == "bert" else {
            throw .unsupported(path: path, component: "tokenizer.ggml.model", value: model.text ?? model.type.name)
        }
        guard let entries = file.value("tokenizer.ggml.tokens")?.elements else {
            throw .invalidFile(path: path, reason: "tokenizer.ggml.tokens: expected an array of strings")
        }
        func id(_ key: String) throws(TokenizerError) -> Int? {
            guard let value = file.value(key) else { return nil }
            guard let id = value.integer, entries.indices.contains(id) else {
                throw .invalidFile(path: path, reason: "\(key): expected a token id below \(entries.count)")
            }
            return id
        }
        func required(_ key: String, _ role: String) throws(TokenizerError) -> Int {
            guard let id = try id(key) else { throw .invalidFile(path: path, reason: "no \(key) (the \(role) token's id)") }
            return id
        }
        let unknown = try required("tokenizer.ggml.unknown_token_id", "unknown")
        let classifier = try required("tokenizer.ggml.bos_token_id", "classifier")
        let separator: Int
        if let id = try id("tokenizer.ggml.seperator_token_id") { separator = id } else { separator = try required("tokenizer.ggml.eos_token_id", "separator") }
        var special: Set = [unknown, classifier, separator]
        for key in ["tokenizer.ggml.padding_token_id", "tokenizer.ggml.mask_token_id"] { if let id = try id(key) { special.insert(id) } }
        var types: [Int]?
        if let values = file.value("tokenizer.ggml.token_type") {
            // gguf-py's TokenType: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte.
            guard let elements = values.elements else {
                throw .invalidFile(path: path, reason: "tokenizer.ggml.token_type: expected an array of token types, got \(values.type.name)")
            }
            types = []
            for (index, element) in elements.enumerated() {
                guard let type = element.integer, (1...6).contains(type) else {
                    let actual = element.integer.map(String.init) ?? element.type.name
                    throw .invalidFile(path: path, reason: "tokenizer.ggml.token_type[\(index)]: expected a token type 1...6, got \(actual)")
                }
                types?.append(type)
            }
        }
        if let types, types.count != entries.count {
            throw .invalidFile(path: path, reason: "tokenizer.ggml.token_type has \(types.count) entries for \(entries.count) tokens")
        }
        var tokens: [(String, Int)] = []
        var originals: [Int: String] = [:]
        var added: [AddedToken] = []
        for (index, entry) in entries.enumerated() {
            guard let text = entry.text else {
                throw .invalidFile(path: path, reason: "tokenizer.ggml.tokens[\(index)]: expected a UTF-8 string")
            }
            // Without token types, the special ids are the CONTROL tokens.
            let type = types?[index] ?? (special.contains(index) ? GGUFWordPiece.control : 1)
            guard let token = GGUFWordPiece.original(text, type: type) else { continue }
            tokens.append((token, index))
            originals[index] = token
            if type == GGUFWordPiece.control { added.append(AddedToken(content: token, id: index)) }
            if type == GGUFWordPiece.userDefined { added.append(AddedToken(content: token, id: index, normalized: true)) }
        }
        func flag(_ key: String) throws(TokenizerError) -> Bool? {
            guard let value = file.value(key) else { return nil }
            guard let flag = Self.bool(value) else { throw .invalidFile(path: path, reason: "\(key): expected a BOOL, got \(value.type.name)") }
            return flag
        }
        let lowercase = try flag("tokenizer.ggml.normalizer.lowercase") ?? true
        let stripAccents = try flag("tokenizer.ggml.normalizer.strip_accents")
        func token(_ id: Int, _ role: String) throws(TokenizerError) -> String {
            guard let token = originals[id] else { throw .invalidFile(path: path, reason: "the \(role) token \(id) is an unused filler") }
            return token
        }
        try self.init(vocabulary: Vocabulary(ids: tokens.map { (Array($0.0.utf8), $0.1) }),
                      normalizer: BertNormalizer(stripAccents: stripAccents, lowercase: lowercase),
                      unknownToken: try token(unknown, "unknown"), addedTokens: added,
                      prefix: Encoding(tokens: [try token(classifier, "classifier")], ids: [classifier]),
                      suffix: Encoding(tokens: [try token(separator, "separator")], ids: [separator]), path: path)
    }

    private static func bool(_ value: GGUFMetadataValue) -> Bool? {
        if case let .bool(flag) = value { return flag }
        return nil
    }
}
