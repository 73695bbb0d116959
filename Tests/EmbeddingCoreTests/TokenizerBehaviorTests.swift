import Testing
@testable import EmbeddingCore

/// The WordPiece rules one at a time, on small vocabularies where the expected split is
/// obvious (the corpus tests hold the whole pipeline to the oracle).
@Suite("WordPiece tokenizer behavior")
struct TokenizerBehaviorTests {
    /// A tokenizer over `pieces` plus BERT's special tokens, uncased BERT settings.
    private func tokenizer(_ pieces: [String], maxInputCharsPerWord: Int = 100) throws -> WordPieceTokenizer {
        let vocabulary = Vocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + pieces)
        return try WordPieceTokenizer(vocabulary: vocabulary, normalizer: BertNormalizer(), maxInputCharsPerWord: maxInputCharsPerWord,
                                      addedTokens: [AddedToken(content: "[CLS]", id: 2), AddedToken(content: "[SEP]", id: 3)],
                                      prefix: .init(tokens: ["[CLS]"], ids: [2]), suffix: .init(tokens: ["[SEP]"], ids: [3]))
    }

    @Test("\"Hello world\" is [CLS] hello world [SEP]: 4 tokens")
    func helloWorld() {
        let encoding = TokenizerFixtures.Loader.vocabularyFile.tokenizer.encode("Hello world")
        #expect(encoding.tokens == ["[CLS]", "hello", "world", "[SEP]"])
        #expect(encoding.ids == [101, 7592, 2088, 102])
        #expect(encoding.count == 4)
    }

    @Test("greedy longest match first, continuing with ## pieces, even when a shorter start would fit better")
    func greedyLongestFirst() throws {
        let tokenizer = try tokenizer(["un", "##aff", "##able", "unaffa", "##ble"])
        #expect(tokenizer.encode("unaffable").tokens == ["[CLS]", "unaffa", "##ble", "[SEP]"])
        #expect(try self.tokenizer(["un", "##aff", "##able"]).encode("unaffable").tokens == ["[CLS]", "un", "##aff", "##able", "[SEP]"])
    }

    @Test("a word that cannot be covered is one [UNK], not a partial match")
    func unmatchableWord() throws {
        let encoding = try tokenizer(["un", "##able"]).encode("unx unable")
        #expect(encoding.tokens == ["[CLS]", "[UNK]", "un", "##able", "[SEP]"])
        #expect(encoding.ids == [2, 1, 5, 6, 3])
    }

    @Test("a word over max_input_chars_per_word scalars is [UNK]; at the limit it is split")
    func longWords() throws {
        let tokenizer = try tokenizer(["a", "##a"])
        #expect(tokenizer.encode(String(repeating: "a", count: 100)).count == 102)
        #expect(tokenizer.encode(String(repeating: "a", count: 101)).tokens == ["[CLS]", "[UNK]", "[SEP]"])
        // Scalars are counted after normalization: "é" loses its accent but stays one scalar.
        #expect(tokenizer.encode(String(repeating: "e\u{301}", count: 60)).tokens == ["[CLS]", "[UNK]", "[SEP]"])
        #expect(try self.tokenizer(["a", "##a"], maxInputCharsPerWord: 3).encode("aaa aaaa").tokens == ["[CLS]", "a", "##a", "##a", "[UNK]", "[SEP]"])
    }

    @Test("whitespace separates words and each punctuation character is a word")
    func preTokenization() throws {
        let tokenizer = try tokenizer(["don", "t", "'", ".", "a", "b"])
        #expect(tokenizer.encode("don't.").tokens == ["[CLS]", "don", "'", "t", ".", "[SEP]"])
        #expect(tokenizer.encode(" a\t\n\u{3000}b ").tokens == ["[CLS]", "a", "b", "[SEP]"])
    }

    @Test("empty and blank text give only [CLS] [SEP]", arguments: ["", " ", "\t\n", "\u{200B}", "\u{0}\u{FFFD}"])
    func blankText(_ text: String) throws {
        #expect(try tokenizer([]).encode(text).tokens == ["[CLS]", "[SEP]"])
    }

    @Test("special tokens typed in the text are matched before normalization, case-sensitively")
    func specialTokensInText() throws {
        let tokenizer = try tokenizer(["x", "[", "]", "cl", "##s"])
        #expect(tokenizer.encode("x[SEP]x").tokens == ["[CLS]", "x", "[SEP]", "x", "[SEP]"])
        #expect(tokenizer.encode("[cls]").tokens == ["[CLS]", "[", "cl", "##s", "]", "[SEP]"])
    }

    @Test("added tokens match leftmost first, longest at that position")
    func leftmostLongest() {
        let tokens = [("ab", 1), ("abc", 2), ("bcd", 3), ("d", 4)].map { (Array($0.0.unicodeScalars), AddedToken(content: $0.0, id: $0.1)) }
        let pieces = AddedTokenMatcher(tokens).split(Array("xabcd".unicodeScalars)[...]).map { piece -> String in
            switch piece {
            case let .text(text): "text:" + String(String.UnicodeScalarView(text))
            case let .token(token, id): "\(token)=\(id)"
            }
        }
        #expect(pieces == ["text:x", "abc=2", "d=4"])
    }

    @Test("maxLength cuts the text's tokens and keeps [CLS] and [SEP]; addSpecialTokens: false drops them")
    func truncationAndSpecialTokens() throws {
        let tokenizer = try tokenizer(["a", "b", "c"])
        #expect(tokenizer.encode("a b c", maxLength: 4).tokens == ["[CLS]", "a", "b", "[SEP]"])
        #expect(tokenizer.encode("a b c", maxLength: 5).tokens == ["[CLS]", "a", "b", "c", "[SEP]"])
        #expect(tokenizer.encode("a b c", maxLength: 99).count == 5)
        #expect(tokenizer.encode("a b c", maxLength: 1).tokens == ["[CLS]", "[SEP]"])
        #expect(tokenizer.encode("a b c", addSpecialTokens: false).tokens == ["a", "b", "c"])
        #expect(tokenizer.encode("a b c", maxLength: 2, addSpecialTokens: false).ids == [5, 6])
    }

    @Test("the normalizer cleans, spaces CJK, strips accents and lowercases")
    func normalizer() {
        #expect(BertNormalizer().normalize("Héllo\tWÖRLD\u{200B}你!") == "hello world 你 !")
        #expect(BertNormalizer(lowercase: false).normalize("Héllo") == "Héllo")
        #expect(BertNormalizer(stripAccents: true, lowercase: false).normalize("Héllo") == "Hello")
        #expect(BertNormalizer(stripAccents: false).normalize("İ").unicodeScalars.map(\.value) == [0x69, 0x307])
        // Lowercasing is per scalar, so a final sigma stays σ (as in tokenizers).
        #expect(BertNormalizer(stripAccents: false).normalize("ΟΔΟΣ") == "οδοσ")
    }

    @Test("NFD reorders combining marks by combining class, stably")
    func canonicalOrdering() {
        let decomposed = CanonicalDecomposition.decompose(Array("a\u{301}\u{316}\u{300}é".unicodeScalars))
        #expect(decomposed.map(\.value) == [0x61, 0x316, 0x301, 0x300, 0x65, 0x301])
        // Newer decompositions that tokenizers' Unicode data lacks stay whole.
        #expect(CanonicalDecomposition.decompose(["\u{11938}"]).map(\.value) == [0x11938])
    }

    @Test("characters Swift's newer Unicode data classifies differently follow tokenizers")
    func olderUnicodeData() {
        #expect(!BertCharacters.isPunctuation("\u{2E43}"))   // P* only since Unicode 10
        #expect(BertCharacters.isPunctuation("\u{166D}"))    // was Po, now So
        #expect(!BertCharacters.isRemovedByCleanText("\u{0890}"))   // Cf since Unicode 14
        #expect(BertCharacters.isRemovedByCleanText("\u{E000}"))    // private use
        #expect(!BertCharacters.isRemovedByCleanText("\u{0378}"))   // unassigned code points are kept
        #expect(!BertCharacters.isChineseCharacter("\u{2B820}"))    // tokenizers' range starts at U+2B920
        #expect(BertCharacters.isChineseCharacter("\u{2B920}"))
    }
}
