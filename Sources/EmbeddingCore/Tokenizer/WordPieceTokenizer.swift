/// BERT's WordPiece tokenizer, giving the same tokens and ids as Hugging Face `tokenizers`
/// for a BERT tokenizer.json (BertNormalizer, BertPreTokenizer, WordPiece, [CLS] … [SEP]).
///
/// The pipeline, per input text:
/// 1. split at added tokens typed in the raw text ("[SEP]", "[MASK]"; see `AddedTokenMatcher`);
/// 2. normalize each remaining piece (`BertNormalizer`), then split at normalized added tokens;
/// 3. pre-tokenize into words at whitespace and punctuation (`BertPreTokenizer`);
/// 4. WordPiece each word (`WordPiece`);
/// 5. wrap in the template's special tokens ([CLS] … [SEP]), truncating first if asked.
///
/// ```swift
/// let tokenizer = try WordPieceTokenizer(modelPath: "all-MiniLM-L6-v2")
/// tokenizer.encode("Hello world").tokens   // ["[CLS]", "hello", "world", "[SEP]"]
/// tokenizer.encode("Hello world").ids      // [101, 7592, 2088, 102]
/// ```
public struct WordPieceTokenizer: TextTokenizer {
    public var lowercasesText: Bool { normalizer?.lowercase == true }

    /// The tokens of one text and their ids, position by position.
    public typealias Encoding = TokenEncoding

    /// nil when the tokenizer.json has no normalizer (text is used as is).
    let normalizer: BertNormalizer?
    let wordPiece: WordPiece
    private let rawAddedTokens: AddedTokenMatcher
    private let normalizedAddedTokens: AddedTokenMatcher
    /// Special tokens put before and after the text ([CLS] and [SEP] for BERT).
    public let prefix: Encoding
    public let suffix: Encoding
    /// The tokenizer.json's truncation length (128 for all-MiniLM-L6-v2), if it sets one.
    public let maxLength: Int?

    public var vocabulary: Vocabulary { wordPiece.vocabulary }

    /// The general initializer that the file loaders call.
    ///
    /// - Parameters:
    ///   - vocabulary: the WordPiece vocabulary (token → id).
    ///   - normalizer: applied to the text first; nil uses the text as is.
    ///   - unknownToken: the token for a word that has no pieces in the vocabulary.
    ///   - continuingSubwordPrefix: marks a piece that continues a word ("##").
    ///   - maxInputCharsPerWord: a longer word becomes `unknownToken`.
    ///   - addedTokens: matched in the text before WordPiece ([CLS], [SEP], [MASK]...).
    ///   - prefix: added before every encoding.
    ///   - suffix: added after every encoding.
    ///   - maxLength: the tokenizer.json's truncation length, kept for callers of `encode`.
    ///   - path: named in errors.
    public init(vocabulary: Vocabulary, normalizer: BertNormalizer?, unknownToken: String = "[UNK]",
                continuingSubwordPrefix: String = "##", maxInputCharsPerWord: Int = 100,
                addedTokens: [AddedToken], prefix: Encoding, suffix: Encoding, maxLength: Int? = nil,
                path: String = "<memory>") throws(TokenizerError) {
        wordPiece = try WordPiece(vocabulary: vocabulary, unknownToken: unknownToken, continuingSubwordPrefix: continuingSubwordPrefix,
                                  maxInputCharsPerWord: maxInputCharsPerWord, path: path)
        self.normalizer = normalizer
        rawAddedTokens = AddedTokenMatcher(addedTokens.filter { !$0.normalized }.map { (Array($0.content.unicodeScalars), $0) })
        normalizedAddedTokens = AddedTokenMatcher(addedTokens.filter(\.normalized).map { token in
            let pattern = Array(token.content.unicodeScalars)
            return (normalizer?.normalize(pattern) ?? pattern, token)
        })
        self.prefix = prefix
        self.suffix = suffix
        self.maxLength = maxLength
    }

    /// Tokenizes `text`.
    ///
    /// - Parameters:
    ///   - text: the text to tokenize.
    ///   - maxLength: the most ids to return, special tokens included: the text's tokens are
    ///     cut to `maxLength - prefix.count - suffix.count` (`tokenizers`' truncation of a single
    ///     sequence). A limit below the special-token count keeps only the special tokens.
    ///   - addSpecialTokens: wrap in [CLS] … [SEP] (or the tokenizer's template).
    public func encode(_ text: String, maxLength: Int? = nil, addSpecialTokens: Bool = true) -> Encoding {
        var body = Encoding()
        let scalars = Array(text.unicodeScalars)
        for piece in rawAddedTokens.split(scalars[...]) {
            switch piece {
            case let .token(token, id):
                body.append(token, id)
            case let .text(raw):
                let normalized = normalizer.map { $0.normalize(Array(raw)) } ?? Array(raw)
                for inner in normalizedAddedTokens.split(normalized[...]) {
                    switch inner {
                    case let .token(token, id):
                        body.append(token, id)
                    case let .text(text):
                        for word in BertPreTokenizer.words(text) { wordPiece.tokenize(word, into: &body) }
                    }
                }
            }
        }
        return body.framed(prefix: prefix, suffix: suffix, maxLength: maxLength, addSpecialTokens: addSpecialTokens)
    }
}
