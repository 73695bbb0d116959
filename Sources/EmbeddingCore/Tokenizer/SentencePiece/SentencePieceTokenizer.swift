/// DeBERTa-v3's tokenizer: a sentencepiece unigram model (spm.model) with BERT-style special
/// tokens, giving the ids of transformers' sentencepiece-backed DebertaV2Tokenizer.
///
/// The pipeline, per input text:
/// 1. split at the special tokens typed in the text ([CLS], [SEP], [UNK], [PAD], [MASK]:
///    leftmost match, longest first, exact and case-sensitive), as transformers' added-token
///    trie does;
/// 2. encode each piece of text between them with the model (`SentencePieceModel`), so the
///    spaces around a special token are dropped by the model's normalizer;
/// 3. wrap in [CLS] … [SEP], truncating first if asked.
///
/// ```swift
/// let tokenizer = try SentencePieceTokenizer(modelPath: "deberta-v3-xsmall")
/// tokenizer.encode("Hello [MASK] world").tokens   // ["[CLS]", "▁Hello", "[MASK]", "▁world", "[SEP]"]
/// ```
public struct SentencePieceTokenizer: TextTokenizer {
    /// SentencePiece models case text only through their normalization rules.
    public var lowercasesText: Bool { false }

    public let model: SentencePieceModel
    private let specialTokens: AddedTokenMatcher
    public let prefix: TokenEncoding
    public let suffix: TokenEncoding
    public let maxLength: Int?
    /// Names for ids past the model's pieces (added tokens such as deberta-v3's [MASK]).
    private let addedTokenNames: [Int: String]

    /// - Parameters:
    ///   - model: the sentencepiece model.
    ///   - specialTokens: matched in the raw text; each keeps its id. Those with an id past the
    ///     model's pieces name themselves in `tokens`.
    ///   - prefix: added before every encoding ([CLS]).
    ///   - suffix: added after every encoding ([SEP]).
    ///   - maxLength: a truncation length from the tokenizer's files, kept for callers.
    public init(model: SentencePieceModel, specialTokens: [AddedToken], prefix: TokenEncoding, suffix: TokenEncoding, maxLength: Int? = nil) {
        self.model = model
        self.specialTokens = AddedTokenMatcher(specialTokens.map { (Array($0.content.unicodeScalars), $0) })
        self.prefix = prefix
        self.suffix = suffix
        self.maxLength = maxLength
        var names: [Int: String] = [:]
        for token in specialTokens where token.id >= model.count { names[token.id] = token.content }
        addedTokenNames = names
    }

    public func encode(_ text: String, maxLength: Int? = nil, addSpecialTokens: Bool = true) -> TokenEncoding {
        var body = TokenEncoding()
        let scalars = Array(text.unicodeScalars)
        for piece in specialTokens.split(scalars[...]) {
            switch piece {
            case let .token(token, id):
                body.append(token, id)
            case let .text(text):
                var bytes: [UInt8] = []
                for scalar in text { bytes.append(contentsOf: UTF8.encode(scalar)!) }
                for id in model.encode(utf8: bytes) { body.append(token(id), id) }
            }
        }
        return body.framed(prefix: prefix, suffix: suffix, maxLength: maxLength, addSpecialTokens: addSpecialTokens)
    }

    /// The piece of `id`, or the added token's name for ids past the model.
    public func token(_ id: Int) -> String {
        model.piece(id) ?? addedTokenNames[id] ?? "<\(id)>"
    }
}
