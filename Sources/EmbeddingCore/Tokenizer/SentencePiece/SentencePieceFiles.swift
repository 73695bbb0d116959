import WeightsKit

extension SentencePieceTokenizer {
    /// Loads the tokenizer of a model whose folder has spm.model (DeBERTa-v3): `path` is the
    /// folder, spm.model itself, or another file of the folder.
    public init(modelPath path: String) throws(TokenizerError) {
        guard Paths.exists(path) else { throw .unreadable(path: path, reason: "No such file or directory") }
        guard case let .sentencePiece(file, configuration)? = ModelLocation(path).tokenizer else {
            throw .noTokenizer(path: path, found: nil)
        }
        try self.init(modelFile: file, configuration: configuration)
    }

    /// Loads spm.model, with the special tokens of the tokenizer_config.json beside it (which
    /// may be absent) as transformers' DebertaV2Tokenizer sets them up:
    ///
    /// - the tokens are `cls_token`, `sep_token`, `unk_token`, `pad_token` and `mask_token`
    ///   (default [CLS], [SEP], [UNK], [PAD], [MASK]); a string or an object with `content`;
    /// - a token's id is the model's piece of that text (deberta-v3: [PAD] 0, [CLS] 1, [SEP] 2,
    ///   [UNK] 3), else its id in added_tokens.json or tokenizer_config.json's
    ///   added_tokens_decoder, else the next id after the model's pieces, in the order
    ///   [CLS] [SEP] [UNK] [PAD] [MASK] (deberta-v3's [MASK] is 128000 this way);
    /// - every one is matched where typed in the text; [CLS] and [SEP] wrap every encoding.
    public init(modelFile path: String, configuration: String? = nil) throws(TokenizerError) {
        let model: SentencePieceModel
        do { model = try SentencePieceModel(bytes: WordPieceTokenizer.read(path)) } catch let error as SentencePieceModelError {
            throw .sentencePiece(path: path, error)
        } catch let error as TokenizerError {
            throw error
        } catch {
            throw .invalidFile(path: path, reason: "\(error)")
        }
        var names = ["cls_token": "[CLS]", "sep_token": "[SEP]", "unk_token": "[UNK]", "pad_token": "[PAD]", "mask_token": "[MASK]"]
        var addedIDs: [String: Int] = [:]
        let directory = Paths.directory(of: path)
        if let configuration, Paths.exists(configuration) {
            let reader = JSONFields(path: configuration)
            let config = try reader.parse(WordPieceTokenizer.read(configuration))
            guard config.kind == .object else { throw .invalidFile(path: configuration, reason: "expected an object, found \(JSONFields.kindName(config))") }
            for key in names.keys {
                let node = config.member(key)
                let name = node?.kind == .object ? try reader.string(node?.member("content"), key + ".content") : try reader.string(node, key)
                if let name { names[key] = name }
            }
            if let decoder = config.member("added_tokens_decoder"), decoder.kind == .object {
                for (key, token) in decoder.members {
                    guard let id = Int(key), id >= 0, let content = try reader.string(token.member("content"), "added_tokens_decoder.\(key).content") else {
                        throw .invalidFile(path: configuration, reason: "added_tokens_decoder: \"\(key)\" is not an id with a content")
                    }
                    addedIDs[content] = id
                }
            }
        }
        let addedTokensFile = Paths.join(directory, "added_tokens.json")
        if Paths.exists(addedTokensFile) {
            let reader = JSONFields(path: addedTokensFile)
            let added = try reader.parse(WordPieceTokenizer.read(addedTokensFile))
            guard added.kind == .object else { throw .invalidFile(path: addedTokensFile, reason: "expected an object, found \(JSONFields.kindName(added))") }
            for (content, node) in added.members {
                guard let id = try reader.int(node, content), id >= 0 else {
                    throw .invalidFile(path: addedTokensFile, reason: "\"\(content)\": expected a non-negative id")
                }
                addedIDs[content] = id
            }
        }
        var nextID = model.count
        var special: [AddedToken] = []
        for key in ["cls_token", "sep_token", "unk_token", "pad_token", "mask_token"] {
            let content = names[key]!
            guard !special.contains(where: { $0.content == content }) else { continue }
            let id: Int
            if let known = model.id(forPiece: content) ?? addedIDs[content] {
                id = known
            } else {
                id = nextID
                nextID += 1
            }
            special.append(AddedToken(content: content, id: id))
        }
        func token(_ key: String) -> TokenEncoding {
            let found = special.first { $0.content == names[key] }!
            return TokenEncoding(tokens: [found.content], ids: [found.id])
        }
        self.init(model: model, specialTokens: special, prefix: token("cls_token"), suffix: token("sep_token"))
    }
}
