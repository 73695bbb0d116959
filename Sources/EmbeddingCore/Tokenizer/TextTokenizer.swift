/// What `weights tokenize` and `weights embed --text` need of a tokenizer, whichever kind the
/// model has: `WordPieceTokenizer` (BERT) or `SentencePieceTokenizer` (DeBERTa-v3).
/// `TokenizerLoader.load(modelPath:)` picks one from a model folder's files.
public protocol TextTokenizer: Sendable {
    /// Tokenizes `text`, wrapped in the model's special tokens ([CLS] … [SEP]) unless
    /// `addSpecialTokens` is false; `maxLength` caps the ids, special tokens included, keeping
    /// the final [SEP].
    func encode(_ text: String, maxLength: Int?, addSpecialTokens: Bool) -> TokenEncoding

    /// The truncation length the tokenizer's files set, if any.
    var maxLength: Int? { get }

    /// True when the tokenizer lowercases text itself (an uncased WordPiece model).
    var lowercasesText: Bool { get }
}

extension TextTokenizer {
    /// `encode(text, maxLength: maxLength, addSpecialTokens: true)`.
    public func encode(_ text: String, maxLength: Int? = nil) -> TokenEncoding {
        encode(text, maxLength: maxLength, addSpecialTokens: true)
    }
}
