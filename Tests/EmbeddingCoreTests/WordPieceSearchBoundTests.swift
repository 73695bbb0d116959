import Testing
@testable import EmbeddingCore

/// The WordPiece search starts at the vocabulary's longest token instead of the whole word.
/// That may only make it faster: on random vocabularies and words it must split exactly as
/// the unbounded greedy longest-match does (written out here as the rule states it).
@Suite("WordPiece search bound")
struct WordPieceSearchBoundTests {
    /// Greedy longest-match-first over the whole remaining word, as BERT's WordPiece defines it.
    static func unbounded(_ word: [Unicode.Scalar], vocabulary: Set<String>, prefix: String) -> [String]? {
        var pieces: [String] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: String?
            while end > start {
                let candidate = (start > 0 ? prefix : "") + String(String.UnicodeScalarView(word[start..<end]))
                if vocabulary.contains(where: { Array($0.utf8) == Array(candidate.utf8) }) { found = candidate; break }
                end -= 1
            }
            guard let piece = found else { return nil }
            pieces.append(piece)
            start = end
        }
        return pieces
    }

    @Test("equal to the unbounded search on 300 random vocabularies and words (multi-byte letters included)")
    func sameSplits() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Unicode.Scalar] = ["a", "b", "é", "中", "😀"]
        func randomString(_ length: Int) -> String {
            String(String.UnicodeScalarView((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))
        }
        for round in 0..<300 {
            var pieces = Set<String>()
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                let piece = randomString(Int.random(in: 1...4, using: &generator))
                pieces.insert(Bool.random(using: &generator) ? "##" + piece : piece)
            }
            let tokens = ["[UNK]"] + pieces.sorted()
            let tokenizer = try WordPieceTokenizer(vocabulary: Vocabulary(tokens: tokens), normalizer: nil, maxInputCharsPerWord: 1 << 40,
                                                   addedTokens: [], prefix: .init(), suffix: .init())
            let word = randomString(Int.random(in: 1...30, using: &generator))
            let expected = Self.unbounded(Array(word.unicodeScalars), vocabulary: pieces, prefix: "##") ?? ["[UNK]"]
            #expect(tokenizer.encode(word).tokens == expected, "round \(round): \(tokens) on \(word)")
        }
    }

    @Test("a 4,000-letter word with an unlimited word length is split into 4,000 pieces")
    func longWord() throws {
        let tokenizer = try WordPieceTokenizer(vocabulary: Vocabulary(tokens: ["[UNK]", "a", "##a"]), normalizer: nil,
                                               maxInputCharsPerWord: Int.max, addedTokens: [], prefix: .init(), suffix: .init())
        let encoding = tokenizer.encode(String(repeating: "a", count: 4000))
        #expect(encoding.ids == [1] + Array(repeating: 2, count: 3999))
    }
}
