import Testing
@testable import EmbeddingCore

/// Every code point, alone, is normalized and pre-tokenized as `tokenizers` does it:
/// Formats/vectors/tokenizer/unicode.json holds FNV-1a hashes of the oracle's results per
/// block of 4,096 code points, so a mismatch names the block to look at.
@Suite("BERT normalizer and pre-tokenizer agree with tokenizers on every code point")
struct TokenizerUnicodeTests {
    static let normalizers: [String: BertNormalizer] = [
        "all": BertNormalizer(cleanText: true, handleChineseChars: true, stripAccents: nil, lowercase: true),
        "clean": BertNormalizer(cleanText: true, handleChineseChars: false, stripAccents: false, lowercase: false),
        "chinese": BertNormalizer(cleanText: false, handleChineseChars: true, stripAccents: false, lowercase: false),
        "strip": BertNormalizer(cleanText: false, handleChineseChars: false, stripAccents: true, lowercase: false),
        "lowercase": BertNormalizer(cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: true),
    ]

    @Test("every normalizer setting of the fixture is tested, each over all 272 blocks of 4,096 code points")
    func fixtureCoversSettings() {
        #expect(TokenizerFixtures.unicode.blockSize == 4096)
        #expect(TokenizerFixtures.unicode.normalizers.keys.sorted() == ["all", "chinese", "clean", "lowercase", "strip"])
        #expect(Self.normalizers.keys.sorted() == TokenizerFixtures.unicode.normalizers.keys.sorted())
        #expect(TokenizerFixtures.unicode.normalizers.values.allSatisfy { $0.count == 272 })
        #expect(TokenizerFixtures.unicode.preTokenizer.count == 272)
    }

    @Test("normalizer settings", arguments: normalizers.keys.sorted())
    func normalizerMatchesOracle(_ name: String) throws {
        let normalizer = try #require(Self.normalizers[name])
        let expected = try #require(TokenizerFixtures.unicode.normalizers[name])
        let mismatches = blockHashes { scalar in normalizer.normalize([scalar]) }.enumerated().filter { expected[$0.offset] != $0.element }
        #expect(mismatches.isEmpty, "blocks differing from tokenizers: \(mismatches.map { hexRange(block: $0.offset) })")
    }

    @Test("pre-tokenizer: whitespace is dropped, punctuation stands alone, the rest stays in the word")
    func preTokenizerMatchesOracle() {
        let expected = TokenizerFixtures.unicode.preTokenizer
        let mismatches = blockHashes { scalar in
            let words = BertPreTokenizer.words(["a", scalar, "b"])
            let kind: Unicode.Scalar = words.count == 2 ? "w" : words.count == 3 ? "p" : "-"
            return [kind]
        }.enumerated().filter { expected[$0.offset] != $0.element }
        #expect(mismatches.isEmpty, "blocks differing from tokenizers: \(mismatches.map { hexRange(block: $0.offset) })")
    }

    @Test("range tables are sorted, disjoint and inclusive")
    func tablesAreWellFormed() {
        for table in [BertUnicodeTables.removedByCleanText, BertUnicodeTables.nonspacingMarks,
                      BertUnicodeTables.canonicallyDecomposable, BertUnicodeTables.punctuation] {
            #expect(table.count % 2 == 0)
            for index in stride(from: 0, to: table.count, by: 2) {
                #expect(table[index] <= table[index + 1])
                if index > 0 { #expect(table[index - 1] < table[index]) }
            }
        }
        #expect(BertCharacters.contains([0x10, 0x20, 0x30, 0x30], 0x10))
        #expect(BertCharacters.contains([0x10, 0x20, 0x30, 0x30], 0x30))
        #expect(!BertCharacters.contains([0x10, 0x20, 0x30, 0x30], 0x21))
        #expect(!BertCharacters.contains([0x10, 0x20, 0x30, 0x30], 0x0F))
        #expect(!BertCharacters.contains([], 0x0F))
    }

    /// FNV-1a 64 per block over each code point's result in UTF-8, 0xFF after each (the
    /// generator's definition).
    private func blockHashes(_ transform: (Unicode.Scalar) -> [Unicode.Scalar]) -> [String] {
        let blockSize = TokenizerFixtures.unicode.blockSize
        return (0..<(0x110000 / blockSize)).map { block in
            var state: UInt64 = 0xCBF2_9CE4_8422_2325
            for value in (block * blockSize)..<((block + 1) * blockSize) {
                guard let scalar = Unicode.Scalar(UInt32(value)) else { continue }
                for output in transform(scalar) {
                    for byte in UTF8.encode(output)! { state = (state ^ UInt64(byte)) &* 0x100_0000_01B3 }
                }
                state = (state ^ 0xFF) &* 0x100_0000_01B3
            }
            let hex = String(state, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
    }

    private func hexRange(block: Int) -> String {
        let size = TokenizerFixtures.unicode.blockSize
        return "U+\(String(block * size, radix: 16, uppercase: true))...U+\(String((block + 1) * size - 1, radix: 16, uppercase: true))"
    }
}
