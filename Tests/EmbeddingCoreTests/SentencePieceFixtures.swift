import Foundation
import TestSupport
@testable import EmbeddingCore

/// The committed sentencepiece fixtures (Formats/vectors/sentencepiece, written by
/// Scripts/gen_sentencepiece_vectors.py with the `sentencepiece` library as the oracle).
enum SentencePieceFixtures {
    static func path(_ relative: String) -> String { Repository.path("Formats/vectors/sentencepiece/" + relative) }

    static let modelNames = ["identity", "identity-bytes", "nfkc", "nfkc-bytes", "tsv-rules", "user-symbols"]

    struct Expected: Decodable, Sendable {
        let pieceCount: Int
        let maskID: Int
        let ids: [[Int]]
        let pieces: [[String]]
        let invalidUTF8IDs: [[Int]]
        let wrapped: [[Int]]
        let wrappedMaxLength8: [[Int]]

        enum CodingKeys: String, CodingKey {
            case ids, pieces, wrapped
            case pieceCount = "piece_count", maskID = "mask_id", invalidUTF8IDs = "invalid_utf8_ids"
            case wrappedMaxLength8 = "wrapped_max_length_8"
        }
    }

    struct Corpus: Decodable, Sendable {
        let texts: [String]
        let invalidUTF8: [String]
        let models: [String: Expected]

        enum CodingKeys: String, CodingKey { case texts, models, invalidUTF8 = "invalid_utf8" }
    }

    static let corpus = FixtureFiles.decode(Corpus.self, from: path("expected.json"))

    static func modelBytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(name + "/spm.model"))))
    }

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }
}

/// Builds protobuf bytes by hand, for the wire-format tests.
enum ProtoBytes {
    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        repeat {
            bytes.append(UInt8(value & 0x7F) | (value >= 0x80 ? 0x80 : 0))
            value >>= 7
        } while value > 0
        return bytes
    }

    static func field(_ number: Int, bytes: [UInt8]) -> [UInt8] {
        varint(UInt64(number << 3 | 2)) + varint(UInt64(bytes.count)) + bytes
    }

    static func field(_ number: Int, varint value: UInt64) -> [UInt8] {
        varint(UInt64(number << 3)) + varint(value)
    }

    static func piece(_ text: String, score: Float = 0, type: Int = 1) -> [UInt8] {
        let score = withUnsafeBytes(of: score.bitPattern.littleEndian) { Array($0) }
        return field(1, bytes: field(1, bytes: Array(text.utf8)) + [0x15] + score + field(3, varint: UInt64(type)))
    }

    /// A minimal valid model: [UNK] and two normal pieces, identity normalisation.
    static func model(pieces: [[UInt8]]? = nil, trainer: [UInt8] = [], normalizer: [UInt8] = []) -> [UInt8] {
        let pieces = pieces ?? [piece("[UNK]", type: 2), piece("\u{2581}a", score: -1), piece("a", score: -2)]
        return pieces.flatMap { $0 } + field(2, bytes: trainer) + field(3, bytes: normalizer)
    }
}
