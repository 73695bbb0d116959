import WeightsKit

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
        encode(text, maxLength: maxLength, addSpecialTokens: addSpecialTokens, check: SentencePieceModel.noCheck)
    }

    /// `encode`, refusing when the model's normalization could expand the text beyond the
    /// memory available (a hostile charsmap rule may write thousands of bytes per character).
    /// With `maxLength`, each part of the text is segmented only as far as the ids kept need.
    public func budgetedEncode(_ text: String, maxLength: Int?, addSpecialTokens: Bool) throws(MemoryLimitError) -> TokenEncoding {
        try encode(text, maxLength: maxLength, addSpecialTokens: addSpecialTokens, check: SentencePieceModel.checkMemory)
    }

    /// How many ids `encode(text)` gives, keeping none of them.
    public func budgetedCount(_ text: String) throws(MemoryLimitError) -> Int {
        var count = prefix.count + suffix.count
        for piece in specialTokens.split(Array(text.unicodeScalars)[...]) {
            switch piece {
            case .token: count += 1
            case let .text(text): count += try model.count(utf8: Self.utf8(text))
            }
        }
        return count
    }

    private func encode<E: Error>(_ text: String, maxLength: Int?, addSpecialTokens: Bool, check: (Int) throws(E) -> Void) throws(E) -> TokenEncoding {
        // The most body ids `framed` keeps: no part of the text is segmented past them.
        let keep = maxLength.map { max(0, $0 - (addSpecialTokens ? prefix.count + suffix.count : 0)) }
        var body = TokenEncoding()
        let scalars = Array(text.unicodeScalars)
        for piece in specialTokens.split(scalars[...]) {
            if let keep, body.count >= keep { break }
            switch piece {
            case let .token(token, id):
                body.append(token, id)
            case let .text(text):
                let ids = try model.ids(utf8: Self.utf8(text), maxIDs: keep.map { $0 - body.count },
                                        bytesPerID: MemoryLayout<String>.size, check: check)
                for id in ids { body.append(token(id), id) }
            }
        }
        return body.framed(prefix: prefix, suffix: suffix, maxLength: maxLength, addSpecialTokens: addSpecialTokens)
    }

    private static func utf8(_ scalars: ArraySlice<Unicode.Scalar>) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in scalars { bytes.append(contentsOf: scalar.utf8) }
        return bytes
    }

    /// The piece of `id`, or the added token's name for ids past the model.
    public func token(_ id: Int) -> String {
        model.piece(id) ?? addedTokenNames[id] ?? "<\(id)>"
    }
}
