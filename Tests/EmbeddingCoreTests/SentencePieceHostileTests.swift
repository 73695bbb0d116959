import Foundation
import Testing
import TestSupport
@testable import EmbeddingCore

/// The hostile models of Formats/vectors/sentencepiece/hostile (Scripts/gen_sentencepiece_hostile.py),
/// with what the `sentencepiece` library did with each.
enum HostileSentencePieceFixtures {
    struct Text: Decodable, Sendable {
        let repeated: String
        let times: Int
        var bytes: [UInt8] { Array(String(repeating: repeated, count: times).utf8) }
        enum CodingKeys: String, CodingKey { case repeated = "repeat", times }
    }

    /// The ids sentencepiece gave: all of them, or the first 64 and how many there were.
    /// A struct, not an enum with payloads: LeakSanitizer cannot follow a multi-payload enum's
    /// tagged pointers from a global (make test-asan reported the id arrays as leaked).
    struct IDs: Decodable, Sendable {
        /// All ids, or the first 64 when `count` (of all) is given.
        let ids: [Int]
        let count: Int?
        private enum Key: String, CodingKey { case first, count }
        init(from decoder: any Decoder) throws {
            if let long = try? decoder.container(keyedBy: Key.self) {
                ids = try long.decode([Int].self, forKey: .first)
                count = try long.decode(Int.self, forKey: .count)
            } else {
                ids = try decoder.singleValueContainer().decode([Int].self)
                count = nil
            }
        }
    }

    struct Model: Decodable, Sendable {
        let sentencepiece: String
        let texts: [Text]?
        let ids: [IDs]?
    }

    struct Expected: Decodable, Sendable {
        let models: [String: Model]
    }

    static let expected = FixtureFiles.decode(Expected.self, from: SentencePieceFixtures.path("hostile/expected.json"))

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: SentencePieceFixtures.path("hostile/\(name).model"))))
    }
}

@Suite("Hostile spm.model files: refused as sentencepiece refuses them, or encoded as it encodes them")
struct SentencePieceHostileTests {
    typealias Fixtures = HostileSentencePieceFixtures

    /// Our refusal, and sentencepiece 0.2.3's ("loads" where it accepts the model and we do not).
    static let refusals: [String: (error: SentencePieceModelError, sentencepiece: String)] = [
        // sentencepiece loads it, and a text of 20,000 "a" takes it 1.5 s (each position walks
        // the rest of the text); a cycle has no place in a trie.
        "charsmap-self-loop": (.invalidCharsMap("trie unit 144 can be reached from itself (a cycle)"), "loads"),
        "charsmap-trie-size-1020": (.invalidCharsMap("trie size 1020 is not a positive multiple of 1024"),
                                    "INTERNAL: Trie data size is not divisible by 1024."),
        "charsmap-unterminated": (.invalidCharsMap("the replacement strings do not end with NUL"),
                                  "INTERNAL: normalized block must be null terminated."),
        "charsmap-no-strings": (.invalidCharsMap("trie size 1024 leaves none of the 1024 bytes after the header for replacement strings"),
                                "INTERNAL: Trie data size exceeds the input blob size."),
        "charsmap-value-past-strings": (.invalidCharsMap("trie unit 241 holds offset 5, past the 2 bytes of replacement strings"),
                                        "INTERNAL: precompiled_charsmap is invalid."),
        "charsmap-child-past-end": (.invalidCharsMap("trie unit 225 points past the trie's 256 units"), "INTERNAL: precompiled_charsmap is invalid."),
        "charsmap-root-has-leaf": (.invalidCharsMap("the trie's root unit 0x20100 is not a root"), "INTERNAL: precompiled_charsmap is invalid."),
        "charsmap-missing-leaf": (.invalidCharsMap("trie unit 225 says a key ends there, but unit 241 is not a leaf"),
                                  "INTERNAL: precompiled_charsmap is invalid."),
        // sentencepiece sets no limit; ours bounds every charsmap search.
        "charsmap-rule-of-300-bytes": (.invalidCharsMap("a rule's source is longer than 256 bytes"), "loads"),
        "piece-of-8000-bytes": (.pieceTooLong(index: 6, length: 8000, limit: 8000), "INTERNAL: piece is too long."),
        "user-symbol-of-64000-bytes": (.pieceTooLong(index: 6, length: 64000, limit: 8000), "INTERNAL: piece is too long."),
        "score-nan": (.invalidScore(index: 2, score: "nan"), "INTERNAL: score is NaN or Inf."),
        "score-inf": (.invalidScore(index: 0, score: "inf"), "INTERNAL: score is NaN or Inf."),
        "score-minus-inf": (.invalidScore(index: 3, score: "-inf"), "INTERNAL: score is NaN or Inf."),
    ]

    static let accepted = ["charsmap-33-nested-rules", "user-symbols-64-matches", "piece-of-7999-bytes", "expanding-rule", "expanding-rule-bb"]

    @Test("the fixture holds every hostile model, each refused or encoded below")
    func fixtureIsComplete() {
        #expect(Fixtures.expected.models.count == 19)
        #expect(Set(Fixtures.expected.models.keys) == Set(Self.refusals.keys).union(Self.accepted))
    }

    @Test("refused with the rule it breaks", arguments: refusals.keys.sorted())
    func refused(_ name: String) throws {
        let (error, sentencepiece) = try #require(Self.refusals[name])
        #expect(Fixtures.expected.models[name]?.sentencepiece == sentencepiece)
        let bytes = try Fixtures.bytes(name)
        #expect(throws: error) { try SentencePieceModel(bytes: bytes) }
    }

    @Test("loaded, and encoded as sentencepiece encodes (the first 64 ids of a long result, and their count when small)",
          arguments: accepted)
    func encoded(_ name: String) throws {
        let entry = try #require(Fixtures.expected.models[name])
        let texts = try #require(entry.texts)
        let expected = try #require(entry.ids)
        #expect(entry.sentencepiece == "loads" && texts.count == expected.count && !texts.isEmpty)
        let model = try SentencePieceModel(bytes: Fixtures.bytes(name))
        for (text, ids) in zip(texts, expected) {
            if let count = ids.count {
                #expect(try model.encode(utf8: text.bytes, maxIDs: ids.ids.count) == ids.ids, "\(name): \(text.repeated) × \(text.times)")
                if count <= 100_000 { #expect(try model.count(utf8: text.bytes) == count) }
            } else {
                #expect(model.encode(utf8: text.bytes) == ids.ids, "\(name): \(text.repeated) × \(text.times)")
            }
        }
    }

    static func utf8(_ text: String, times: Int = 1) -> [UInt8] {
        Array(String(repeating: text, count: times).utf8)
    }

    @Test("a charsmap search keeps the first 32 rules that match, as sentencepiece's: 33 nested rules make \"a\"×33 two X")
    func thirtyTwoResults() throws {
        let model = try SentencePieceModel(bytes: Fixtures.bytes("charsmap-33-nested-rules"))
        #expect(model.normalizer.normalize(Self.utf8("a", times: 32)) == Self.utf8("\u{2581}X"))
        #expect(model.normalizer.normalize(Self.utf8("a", times: 33)) == Self.utf8("\u{2581}XX"))
    }

    @Test("a user-defined symbol match keeps the first 64 symbols that match, as sentencepiece's PrefixMatcher")
    func sixtyFourResults() throws {
        let model = try SentencePieceModel(bytes: Fixtures.bytes("user-symbols-64-matches"))
        // "A"×2 … "A"×65 are the first 64 matches: the 66th "A" is left to the charsmap (A → a).
        #expect(model.normalizer.normalize(Self.utf8("A", times: 66)) == Self.utf8("\u{2581}") + Self.utf8("A", times: 65) + Self.utf8("a"))
    }

    @Test("cut to a few ids, a text the charsmap expands a thousandfold is segmented only as far as they need")
    func cutEarly() throws {
        let model = try SentencePieceModel(bytes: Fixtures.bytes("expanding-rule"))
        // 20,000 ﬁ normalize to 20 MB of "b"; every "b" is a piece, so every position settles.
        let text = Array(String(repeating: "\u{FB01}", count: 20000).utf8)
        let clock = ContinuousClock()
        let start = clock.now
        let ids = try model.encode(utf8: text, maxIDs: 14)
        let elapsed = clock.now - start
        #expect(ids == [260] + [Int](repeating: 416, count: 13))
        #expect(elapsed < .seconds(2), "took \(elapsed)")
    }

    @Test("a streamed encoding equals a whole one, whatever the chunks: settled positions hand out the same ids",
          arguments: SentencePieceFixtures.modelNames)
    func cutsMatchWholeRuns(_ name: String) throws {
        let model = try SentencePieceModel(bytes: SentencePieceFixtures.modelBytes(name))
        for text in SentencePieceFixtures.corpus.texts {
            let bytes = Array(text.utf8)
            let whole = model.encode(utf8: bytes)
            for cut in [1, 2, 5] where cut < whole.count {
                #expect(try model.encode(utf8: bytes, maxIDs: cut) == Array(whole.prefix(cut)), "\(name): \(text)")
            }
            #expect(try model.count(utf8: bytes) == whole.count)
        }
    }
}
