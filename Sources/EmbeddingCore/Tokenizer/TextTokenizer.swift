import WeightsKit

/// What `weights tokenize` and `weights embed --text` need of a tokenizer, whichever kind the
/// model has: `WordPieceTokenizer` (BERT) or `SentencePieceTokenizer` (DeBERTa-v3).
/// `TokenizerLoader.load(modelPath:)` picks one from a model folder's files.
public protocol TextTokenizer: Sendable {
    /// Tokenizes `text`, wrapped in the model's special tokens ([CLS] … [SEP]) unless
    /// `addSpecialTokens` is false; `maxLength` caps the ids, special tokens included, keeping
    /// the final [SEP].
    func encode(_ text: String, maxLength: Int?, addSpecialTokens: Bool) -> TokenEncoding

    /// `encode`, refusing with `MemoryLimitError` where tokenizing would need more memory than
    /// is available (a SentencePiece charsmap may expand each character thousands of times).
    /// By default `encode`, for tokenizers whose memory follows the text's length.
    func budgetedEncode(_ text: String, maxLength: Int?, addSpecialTokens: Bool) throws(MemoryLimitError) -> TokenEncoding

    /// How many ids `encode(text)` gives (special tokens included), refusing as
    /// `budgetedEncode` does. By default `encode(text).count`.
    func budgetedCount(_ text: String) throws(MemoryLimitError) -> Int

    /// The truncation length the tokenizer's files set, if any.
    var maxLength: Int? { get }

    /// True when the tokenizer lowercases text itself (an uncased WordPiece model).
    var lowercasesText: Bool { get }
}

extension TextTokenizer {
    public func budgetedEncode(_ text: String, maxLength: Int?, addSpecialTokens: Bool) throws(MemoryLimitError) -> TokenEncoding {
        encode(text, maxLength: maxLength, addSpecialTokens: addSpecialTokens)
    }

    public func budgetedCount(_ text: String) throws(MemoryLimitError) -> Int {
        encode(text, maxLength: nil, addSpecialTokens: true).count
    }

    /// `encode(text, maxLength: maxLength, addSpecialTokens: true)`.
    public func encode(_ text: String, maxLength: Int? = nil) -> TokenEncoding {
        encode(text, maxLength: maxLength, addSpecialTokens: true)
    }
}
