import Testing
@testable import EmbeddingCore

/// Every sentence of Formats/vectors/tokenizer/corpus.json gives exactly the tokens and ids
/// Hugging Face `tokenizers` gave for it.
@Suite("WordPiece tokenizer matches Hugging Face tokenizers on the corpus")
struct TokenizerCorpusTests {
    @Test("the corpus is the size the brief asks for")
    func corpusIsLarge() {
        #expect(TokenizerFixtures.corpus.minilm.count >= 120)
        #expect(TokenizerFixtures.corpus.minilm.contains { $0.text.isEmpty })
    }

    @Test("every corpus case is loaded: 392 MiniLM, 46 truncated, 394 cased")
    func corpusCounts() {
        #expect(TokenizerFixtures.corpus.minilm.count == 392)
        #expect(TokenizerFixtures.corpus.minilmTruncated.count == 46)
        #expect(TokenizerFixtures.corpus.cased.count == 394)
    }

    @Test("all-MiniLM-L6-v2: identical tokens and ids for every sentence", arguments: TokenizerFixtures.Loader.allCases)
    func minilmMatchesOracle(_ loader: TokenizerFixtures.Loader) {
        let tokenizer = loader.tokenizer
        for expected in TokenizerFixtures.corpus.minilm {
            let encoding = tokenizer.encode(expected.text)
            #expect(encoding.tokens == expected.tokens, "\(describe(expected.text))")
            #expect(encoding.ids == expected.ids, "\(describe(expected.text))")
        }
    }

    @Test("all-MiniLM-L6-v2: truncation keeps the first tokens and closes with [SEP]", arguments: TokenizerFixtures.Loader.allCases)
    func truncationMatchesOracle(_ loader: TokenizerFixtures.Loader) {
        let tokenizer = loader.tokenizer
        for expected in TokenizerFixtures.corpus.minilmTruncated {
            let encoding = tokenizer.encode(expected.text, maxLength: expected.maxLength)
            #expect(encoding.tokens == expected.tokens, "max \(expected.maxLength ?? 0): \(describe(expected.text))")
            #expect(encoding.ids == expected.ids, "max \(expected.maxLength ?? 0): \(describe(expected.text))")
        }
    }

    @Test("a cased tokenizer.json (no accent stripping, no CJK spacing, BertProcessing, normalized added token)")
    func casedMatchesOracle() throws {
        let tokenizer = try WordPieceTokenizer(tokenizerJSON: TokenizerFixtures.casedJSON)
        #expect(tokenizer.normalizer == BertNormalizer(cleanText: true, handleChineseChars: false, stripAccents: false, lowercase: false))
        for expected in TokenizerFixtures.corpus.cased {
            let encoding = tokenizer.encode(expected.text)
            #expect(encoding.tokens == expected.tokens, "\(describe(expected.text))")
            #expect(encoding.ids == expected.ids, "\(describe(expected.text))")
        }
    }

    /// Scalars spelled out, since many corpus texts are invisible or control characters.
    private func describe(_ text: String) -> String {
        "\"\(text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined())\""
    }
}
