import WeightsKit

/// What happens around the encoder for one model, as sentence-transformers does it: how a
/// text is cased and cut before tokenizing, and how token vectors become one embedding.
///
/// A sentence-transformers folder gives all three (sentence_bert_config.json's
/// `max_seq_length` and `do_lower_case`; the Pooling and Normalize modules). Without one,
/// texts are cut at the model's `max_position_embeddings`, as sentence-transformers does
/// for a plain transformers folder, and nothing is pooled.
///
/// ```swift
/// let location = ModelLocation("all-MiniLM-L6-v2")
/// let settings = try TextEmbeddingSettings(folder: location.sentenceTransformerConfig(), model: config)
/// let encoding = settings.encode(longText, with: tokenizer)   // at most 256 ids, [SEP] last
/// let embedding = settings.pooling?.pooled(states, mask: batch.mask)
/// ```
public struct TextEmbeddingSettings: Sendable, Equatable {
    /// The most ids a text becomes, [CLS] and [SEP] included.
    public var maxLength: Int
    /// Lowercase the text before tokenizing (`do_lower_case`).
    public var lowercase: Bool
    /// nil: token vectors only.
    public var pooling: SentencePooling?

    public init(maxLength: Int, lowercase: Bool = false, pooling: SentencePooling? = nil) {
        self.maxLength = maxLength
        self.lowercase = lowercase
        self.pooling = pooling
    }

    /// The folder's settings (`folder` from `ModelLocation.sentenceTransformerConfig()`),
    /// or a plain model's: cut at `max_position_embeddings`, no pooling.
    public init(folder: SentenceTransformerConfig?, model: ModelConfig) {
        self.init(maxLength: folder?.maxSequenceLength ?? model.maxPositionEmbeddings, lowercase: folder?.lowercase ?? false,
                  pooling: folder.flatMap(SentencePooling.init))
    }

    /// The ids of `text`: lowercased if the folder says so, then tokenized and cut to
    /// `maxLength` with the end token ([SEP]) kept, as the tokenizer's truncation does.
    public func encode(_ text: String, with tokenizer: any TextTokenizer) -> TokenEncoding {
        tokenizer.encode(prepared(text, for: tokenizer), maxLength: maxLength)
    }

    /// `encode`, refusing where the tokenizer would need more memory than is available
    /// (`TextTokenizer.budgetedEncode`).
    public func budgetedEncode(_ text: String, with tokenizer: any TextTokenizer) throws(MemoryLimitError) -> TokenEncoding {
        try tokenizer.budgetedEncode(prepared(text, for: tokenizer), maxLength: maxLength, addSpecialTokens: true)
    }

    /// `text` as the tokenizer should see it. sentence-transformers adds a Lowercase step only
    /// when the tokenizer does not lowercase already, so special tokens typed in the text
    /// ("[SEP]") still match when it does; otherwise the whole text is lowercased first
    /// (Swift's `lowercased()`, Unicode's full mapping).
    public func prepared(_ text: String, for tokenizer: any TextTokenizer) -> String {
        lowercase && !tokenizer.lowercasesText ? text.lowercased() : text
    }
}
