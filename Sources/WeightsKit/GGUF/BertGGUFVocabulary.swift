/// A BERT WordPiece vocabulary as llama.cpp's converter writes it (convert_hf_to_gguf.py
/// `BertModel.set_vocab`, `get_vocab_base`, and gguf-py's `SpecialVocab`), read from the
/// folder's tokenizer.json, tokenizer_config.json and config.json:
///
/// - one token per id below config.json's `vocab_size`: an id with no token is
///   "[PAD<id>]" (UNUSED); an added token is CONTROL when `special` (USER_DEFINED otherwise);
///   every other token NORMAL;
/// - phantom-space form: CONTROL tokens as they are, a "##" continuation without its
///   "##", every other token with "▁" (U+2581) in front;
/// - special ids bos, eos, unk, sep, pad, mask (bos/eos fall back to cls/sep), from the
///   tokenizer_config's `*_token` strings looked up among the added tokens, then
///   config.json's `*_token_id`; add_bos/add_eos/add_sep from the post-processor's
///   template (a BERT template `[CLS] $A [SEP]` / `[CLS] $A [SEP] $B [SEP]` gives
///   true, true, false); `normalizer.lowercase` from a BertNormalizer's `lowercase`.
public struct BertGGUFVocabulary: Sendable {
    /// gguf-py's `TokenType`.
    public enum TokenType: Int32, Sendable {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    public var tokens: [String] = []
    public var types: [TokenType] = []
    /// (kind, id) in the order gguf-py writes them: bos, eos, unk, sep, pad, mask.
    public var specialIDs: [(kind: String, id: Int)] = []
    /// (kind, flag) for add_bos_token, add_eos_token, add_sep_token, in that order.
    public var addFlags: [(kind: String, value: Bool)] = []
    public var lowercase: Bool?
    public var stripAccents: Bool?

    /// Reads the vocabulary of the model folder `directory` for a model of `vocabSize` ids.
    public init(directory: String, vocabSize: Int) throws(GGUFConversionError) {
        let tokenizerFile = Paths.join(directory, "tokenizer.json")
        guard let tokenizer = try JSONFile.read(tokenizerFile) else { throw .missingFile(tokenizerFile) }
        let tokenizerConfig = try JSONFile.read(Paths.join(directory, "tokenizer_config.json"))
        let config = try JSONFile.read(Paths.join(directory, "config.json"))

        guard let vocab = tokenizer.member("model")?.member("vocab"), vocab.kind == .object else {
            throw .invalidTokenizer(tokenizerFile, "model.vocab is not an object (a WordPiece vocabulary)")
        }
        var byID: [Int: String] = [:]
        for (token, id) in vocab.members {
            guard let id = id.integer, id >= 0 else { throw .invalidTokenizer(tokenizerFile, "token \"\(token)\" has no valid id") }
            byID[id] = token
        }
        var added: [(content: String, id: Int, special: Bool)] = []
        for entry in tokenizer.member("added_tokens")?.elements ?? [] {
            guard let content = entry.member("content")?.string, let id = entry.member("id")?.integer else { continue }
            added.append((content, id, entry.member("special")?.bool ?? false))
            byID[id] = content
        }
        guard (byID.keys.max() ?? -1) < vocabSize else {
            throw .invalidTokenizer(tokenizerFile, "a token id is not below config.json's vocab_size \(vocabSize)")
        }
        let addedContents = Dictionary(added.map { ($0.content, $0.special) }, uniquingKeysWith: { _, last in last })
        for id in 0..<vocabSize {
            guard let token = byID[id] else {
                tokens.append("▁[PAD\(id)]")
                types.append(.unused)
                continue
            }
            let type: TokenType
            if let special = addedContents[token] {
                type = special || Self.looksSpecial(token) ? .control : .userDefined
            } else {
                type = .normal
            }
            types.append(type)
            let text = type == .userDefined ? token.replacingScalar("\u{2581}", with: " ") : token
            tokens.append(Self.phantom(text, type))
        }

        // Special tokens: tokenizer_config names them, the added tokens give their ids.
        var named: [String: String] = [:]
        for kind in Self.specialKinds {
            if let value = tokenizerConfig?.member("\(kind)_token") {
                if let text = value.string { named[kind] = text } else if let text = value.member("content")?.string { named[kind] = text }
            }
        }
        if tokenizerConfig != nil {
            if named["bos"] == nil, let cls = named["cls"] { named["bos"] = cls }
            if named["eos"] == nil, let sep = named["sep"] { named["eos"] = sep }
        }
        readTemplate(tokenizer.member("post_processor"), named: named)
        for kind in Self.specialKinds {
            if let add = tokenizerConfig?.member("add_\(kind)_token")?.bool, !addFlags.contains(where: { $0.kind == kind }) {
                addFlags.append((kind, add))
            }
            if let text = named[kind], let id = added.first(where: { $0.content == text })?.id {
                setSpecial(kind, id)
            }
        }
        for kind in Self.specialKinds {
            if let id = config?.member("\(kind)_token_id")?.integer { setSpecial(kind, id) }
        }
        specialIDs.removeAll { $0.kind == "cls" }  // gguf-py has no cls key and skips it

        if let normalizer = tokenizer.member("normalizer") { readNormalizer(normalizer) }
    }

    static let specialKinds = ["bos", "eos", "unk", "sep", "pad", "cls", "mask"]

    private mutating func setSpecial(_ kind: String, _ id: Int) {
        guard id >= 0, id < tokens.count, !specialIDs.contains(where: { $0.kind == kind }) else { return }
        specialIDs.append((kind, id))
    }

    /// gguf-py's crude reading of a TemplateProcessing: a leading special token adds bos,
    /// a trailing one eos, a separator between $A and $B (with no trailing token) sep.
    private mutating func readTemplate(_ processor: StrictJSON.Value?, named: [String: String]) {
        guard let processor else { return }
        let processors = processor.member("processors")?.elements ?? [processor]
        for processor in processors {
            switch processor.member("type")?.string {
            case "ByteLevel":
                if !addFlags.contains(where: { $0.kind == "bos" }) { addFlags.append(("bos", false)) }
                if !addFlags.contains(where: { $0.kind == "eos" }) { addFlags.append(("eos", false)) }
            case "RobertaProcessing", "BertProcessing":
                setFlag("bos", true)
                setFlag("eos", true)
                setFlag("sep", processor.member("type")?.string == "RobertaProcessing")
            case "TemplateProcessing":
                let single = processor.member("single")?.elements ?? []
                let specialID = { (item: StrictJSON.Value?) in item?.member("SpecialToken")?.member("id")?.string }
                var first: String?, last: String?
                if single.count > 1 {
                    first = specialID(single.first)
                    if let first { setFlag("bos", first == named["bos"] || first == named["cls"]) }
                    last = specialID(single.last)
                    if let last { setFlag("eos", last == named["eos"]) }
                }
                var pair = processor.member("pair")?.elements ?? []
                if let first, specialID(pair.first) == first { pair.removeFirst() }
                if let last, specialID(pair.last) == last { pair.removeLast() }
                guard pair.count > 2, pair.first?.member("Sequence")?.member("id")?.string == "A",
                      pair.last?.member("Sequence")?.member("id")?.string == "B" else { continue }
                let middle = Array(pair.dropFirst().dropLast())
                var addSep = false
                let separators = [named["sep"], named["eos"]]
                if let entry = specialID(middle.first), separators.contains(entry), last == nil { addSep = true }
                if middle.count == 2, let entry = specialID(middle[1]), separators.contains(entry) { addSep = true }
                setFlag("sep", addSep)
            default: break
            }
        }
    }

    private mutating func setFlag(_ kind: String, _ value: Bool) {
        if let index = addFlags.firstIndex(where: { $0.kind == kind }) { addFlags[index].value = value } else { addFlags.append((kind, value)) }
    }

    private mutating func readNormalizer(_ normalizer: StrictJSON.Value) {
        switch normalizer.member("type")?.string {
        case "Lowercase": lowercase = true
        case "StripAccents": stripAccents = true
        case "BertNormalizer":
            if let value = normalizer.member("lowercase") { lowercase = value.bool }
            if let value = normalizer.member("strip_accents") { stripAccents = value.bool }
        case "Sequence":
            for inner in normalizer.member("normalizers")?.elements ?? [] { readNormalizer(inner) }
        default: break
        }
    }

    /// convert_hf_to_gguf's `phantom`: word starts get "▁", "##" continuations lose it.
    static func phantom(_ token: String, _ type: TokenType) -> String {
        if type == .control { return token }
        if token.hasBytePrefix("##") { return String(token.utf8.dropFirst(2)) ?? token }
        return "\u{2581}" + token
    }

    /// convert_hf_to_gguf's `does_token_look_special`.
    static func looksSpecial(_ token: String) -> Bool {
        ["<pad>", "<mask>", "<2mass>", "[@BOS@]"].contains(token)
            || (token.hasPrefix("<|") && token.hasSuffix("|>"))
            || (token.hasPrefix("<｜") && token.hasSuffix("｜>"))
            || (token.hasPrefix("<unused") && token.hasSuffix(">"))
    }
}

extension String {
    /// The text with every `scalar` replaced by `replacement`.
    fileprivate func replacingScalar(_ scalar: Unicode.Scalar, with replacement: Unicode.Scalar) -> String {
        var scalars = String.UnicodeScalarView()
        for s in unicodeScalars { scalars.append(s == scalar ? replacement : s) }
        return String(scalars)
    }
}

/// A small JSON side file (tokenizer.json, tokenizer_config.json, config.json) parsed
/// strictly, a repeated key keeping its last value as Python's `json` does.
enum JSONFile {
    static func read(_ path: String) throws(GGUFConversionError) -> StrictJSON.Value? {
        guard Paths.exists(path) else { return nil }
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch { throw .unreadable(path, error.message) }
        let parsed = file.withBytes { bytes in
            Result { () throws(StrictJSON.ParseError) in try StrictJSON.parse(bytes, duplicateKeys: .lastWins) }
        }
        switch parsed {
        case let .success(document): return document.root
        case let .failure(error): throw .unreadable(path, error.description)
        }
    }
}
