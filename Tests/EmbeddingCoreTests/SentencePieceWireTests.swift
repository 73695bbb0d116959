import Foundation
import Testing
@testable import EmbeddingCore

@Suite("SentencePiece model reader refuses malformed protobufs with errors, not traps")
struct SentencePieceWireTests {
    typealias P = ProtoBytes

    static let malformed: [(name: String, bytes: [UInt8], error: SentencePieceModelError)] = [
        ("truncated key varint", [0x80], .truncatedVarint(offset: 0)),
        ("truncated length varint", [0x0A, 0x80], .truncatedVarint(offset: 1)),
        ("length past end", [0x0A, 0x05, 0x01], .lengthPastEnd(offset: 1, length: 5, remaining: 1)),
        ("length near 2^64", [0x0A] + [UInt8](repeating: 0xFF, count: 9) + [0x01], .lengthPastEnd(offset: 1, length: .max, remaining: 0)),
        ("varint longer than 10 bytes", P.varint(99 << 3) + [UInt8](repeating: 0xFF, count: 10) + [0x00], .varintTooLong(offset: 2)),
        ("varint overflowing 64 bits", P.varint(99 << 3) + [UInt8](repeating: 0xFF, count: 9) + [0x02], .varintTooLong(offset: 2)),
        ("field number 0", [0x00, 0x00], .invalidFieldNumber(offset: 0)),
        ("a group", [UInt8(5 << 3 | 3)], .unsupportedWireType(offset: 0, wireType: 3)),
        ("wire type 7", [UInt8(5 << 3 | 7)], .unsupportedWireType(offset: 0, wireType: 7)),
        ("pieces as a varint", [0x08, 0x01], .wrongWireType(field: "pieces", offset: 0, expected: "length-delimited", found: "varint")),
        ("truncated score", P.field(1, bytes: [0x15, 0x00, 0x00]), .truncatedFixed(offset: 3, width: 4)),
        ("truncated fixed64 in an unknown field", P.varint(99 << 3 | 1) + [1, 2, 3], .truncatedFixed(offset: 2, width: 8)),
        ("a piece's length past its message", P.field(1, bytes: [0x0A, 0x09, 0x61]), .lengthPastEnd(offset: 3, length: 9, remaining: 1)),
        ("score as a varint", P.field(1, bytes: P.field(2, varint: 1)), .wrongWireType(field: "pieces[0].score", offset: 2, expected: "fixed32", found: "varint")),
        ("piece type 9", P.piece("a", type: 9), .invalidPieceType(index: 0, type: 9)),
    ]

    @Test("malformed wire format", arguments: 0..<15)
    func malformedWire(_ index: Int) {
        #expect(Self.malformed.count == 15)
        let (name, bytes, error) = Self.malformed[index]
        #expect(throws: error, "\(name)") { try SentencePieceModel(bytes: bytes) }
    }

    @Test("the model rules sentencepiece checks on load")
    func modelRules() {
        #expect(throws: SentencePieceModelError.unsupportedModelType("BPE")) { try SentencePieceModel(bytes: P.model(trainer: P.field(3, varint: 2))) }
        #expect(throws: SentencePieceModelError.unsupportedModelType("CHAR")) { try SentencePieceModel(bytes: P.model(trainer: P.field(3, varint: 4))) }
        #expect(throws: SentencePieceModelError.noUnknownPiece) { try SentencePieceModel(bytes: P.model(pieces: [P.piece("a")])) }
        #expect(throws: SentencePieceModelError.duplicateUnknownPiece(index: 1)) {
            try SentencePieceModel(bytes: P.model(pieces: [P.piece("[UNK]", type: 2), P.piece("<unk>", type: 2), P.piece("a")]))
        }
        #expect(throws: SentencePieceModelError.duplicatePiece(index: 2, piece: "a")) {
            try SentencePieceModel(bytes: P.model(pieces: [P.piece("[UNK]", type: 2), P.piece("a"), P.piece("a", type: 4)]))
        }
        #expect(throws: SentencePieceModelError.emptyPiece(index: 1)) { try SentencePieceModel(bytes: P.model(pieces: [P.piece("[UNK]", type: 2), P.piece("")])) }
        #expect(throws: SentencePieceModelError.noPieces) { try SentencePieceModel(bytes: P.model(pieces: [P.piece("[UNK]", type: 2), P.piece("[CLS]", type: 3)])) }
        #expect(throws: SentencePieceModelError.bytePieceWithoutByteFallback(index: 2, piece: "<0x41>")) {
            try SentencePieceModel(bytes: P.model(pieces: [P.piece("[UNK]", type: 2), P.piece("a"), P.piece("<0x41>", type: 6)]))
        }
        let fallback = P.field(35, varint: 1)
        #expect(throws: SentencePieceModelError.invalidBytePiece(index: 2, piece: "<0x4g>")) {
            try SentencePieceModel(bytes: P.model(pieces: [P.piece("[UNK]", type: 2), P.piece("a"), P.piece("<0x4g>", type: 6)], trainer: fallback))
        }
        #expect(throws: SentencePieceModelError.missingBytePieces(count: 255)) {
            try SentencePieceModel(bytes: P.model(pieces: [P.piece("[UNK]", type: 2), P.piece("a"), P.piece("<0x41>", type: 6)], trainer: fallback))
        }
        #expect(throws: SentencePieceModelError.invalidCharsMap("4 bytes, too short for its header")) {
            try SentencePieceModel(bytes: P.model(normalizer: P.field(2, bytes: [1, 0, 0, 0])))
        }
        #expect(throws: SentencePieceModelError.invalidCharsMap("trie size 8 leaves none of the 2 bytes after the header for replacement strings")) {
            try SentencePieceModel(bytes: P.model(normalizer: P.field(2, bytes: [8, 0, 0, 0, 0, 0])))
        }
    }

    @Test("a hand-built model encodes as the unigram rules say")
    func handBuilt() throws {
        // Identity normalisation: "a a" → "▁a▁a"; "▁a" (-1) beats "▁" unknown + "a".
        let model = try SentencePieceModel(bytes: P.model(normalizer: P.field(1, bytes: Array("identity".utf8))))
        #expect(model.encode("a a") == [1, 1])
        // "b" and "c" are unknown: one [UNK] for the run, as sentencepiece merges them.
        #expect(model.encode("abc") == [1, 0])
        #expect(model.encode("") == [])
    }

    @Test("every truncation of a real model is refused or read, never a trap")
    func truncations() throws {
        let bytes = try SentencePieceFixtures.modelBytes("identity-bytes")
        var refused = 0
        for length in stride(from: 0, to: bytes.count, by: 7) {
            do { _ = try SentencePieceModel(bytes: Array(bytes[..<length])) } catch { refused += 1 }
        }
        // A cut inside the first pieces always breaks a rule (a length past the end, or no
        // UNKNOWN piece before [UNK] at id 3).
        for length in 1..<40 {
            #expect(throws: SentencePieceModelError.self) { try SentencePieceModel(bytes: Array(bytes[..<length])) }
        }
        #expect(refused > 0)
    }

    @Test("errors read as one line with a stable code, wrapped with the file")
    func descriptions() {
        let error = TokenizerError.sentencePiece(path: "m/spm.model", .lengthPastEnd(offset: 1, length: 5, remaining: 1))
        #expect(error.code == "length-past-end")
        #expect("\(error)" == "m/spm.model: length 5 at byte 1 runs past the end of its message (1 bytes left; truncated file?) [length-past-end]")
        #expect("\(SentencePieceModelError.duplicatePiece(index: 2, piece: "a\nb"))" == "piece 2 \"a\\u{A}b\" is already defined [duplicate-piece]")
    }
}
