/// A sentencepiece unigram model read from spm.model: text in, the ids of
/// `sentencepiece.SentencePieceProcessor.encode(text)` out (no BOS/EOS, no sampling).
///
/// Encoding normalizes the text (`SentencePieceNormalizer`), segments it (`UnigramLattice`),
/// then, as `SentencePieceProcessor::PopulateSentencePieceText` does, turns each unknown piece
/// into its UTF-8 bytes' <0xNN> pieces when the model has byte_fallback, or else merges a run
/// of unknown pieces into one unknown id.
///
/// ```swift
/// let model = try SentencePieceModel(bytes: Array(spmModelFileBytes))
/// model.encode("Hello world")   // the ids sentencepiece gives
/// ```
public struct SentencePieceModel: Sendable {
    let proto: SentencePieceModelProto
    let normalizer: SentencePieceNormalizer
    let lattice: UnigramLattice
    /// Every piece's id by its exact bytes (sentencepiece's PieceToId).
    private let idsByPiece: [[UInt8]: Int]
    /// The id of <0xNN> for each byte, when the model has byte_fallback.
    let byteIDs: [Int]?
    public let unknownID: Int

    /// sentencepiece (0.2.1 on) refuses a piece of this many bytes or more ("piece is too
    /// long"). It also bounds the work per text position: the lattice and the user-defined
    /// symbol match walk at most this many bytes from each position.
    static let pieceLengthLimit = 8000

    /// The number of pieces: ids run from 0 to `count - 1`.
    public var count: Int { proto.pieces.count }

    public init(bytes: [UInt8]) throws(SentencePieceModelError) {
        let proto = try SentencePieceModelProto(bytes: bytes)
        // Ids are kept as Int32 in the lattice, as sentencepiece's are int.
        guard proto.pieces.count <= Int(Int32.max) else { throw .tooManyPieces(count: proto.pieces.count, limit: Int(Int32.max)) }
        guard proto.trainerSpec.modelType == 1 else {
            let names: [Int32: String] = [2: "BPE", 3: "WORD", 4: "CHAR"]
            throw .unsupportedModelType(names[proto.trainerSpec.modelType] ?? String(proto.trainerSpec.modelType))
        }
        // sentencepiece keeps the lattice's pieces (NORMAL, USER_DEFINED, UNUSED) and the
        // others in two maps; a piece may not repeat within one, and PieceToId looks in the
        // second first.
        var latticeIDs: [[UInt8]: Int] = [:]
        var reservedIDs: [[UInt8]: Int] = [:]
        var unknownID: Int?
        var byteIDs = [Int](repeating: -1, count: 256)
        var latticePieces: [(bytes: [UInt8], id: Int)] = []
        var userDefined: [(bytes: [UInt8], id: Int)] = []
        var minScore = Float.greatestFiniteMagnitude
        var maxScore = Float.leastNormalMagnitude  // FLT_MIN, as sentencepiece starts it
        for (index, piece) in proto.pieces.enumerated() {
            guard !piece.bytes.isEmpty else { throw .emptyPiece(index: index) }
            guard piece.bytes.count < Self.pieceLengthLimit else {
                throw .pieceTooLong(index: index, length: piece.bytes.count, limit: Self.pieceLengthLimit)
            }
            guard piece.score.isFinite else { throw .invalidScore(index: index, score: "\(piece.score)") }
            let inLattice = piece.type == .normal || piece.type == .userDefined || piece.type == .unused
            guard (inLattice ? latticeIDs : reservedIDs)[piece.bytes] == nil else {
                throw .duplicatePiece(index: index, piece: String(decoding: piece.bytes, as: UTF8.self))
            }
            if inLattice { latticeIDs[piece.bytes] = index } else { reservedIDs[piece.bytes] = index }
            switch piece.type {
            case .normal:
                minScore = min(minScore, piece.score)
                maxScore = max(maxScore, piece.score)
                latticePieces.append((piece.bytes, index))
            case .userDefined:
                latticePieces.append((piece.bytes, index))
                userDefined.append((piece.bytes, index))
            case .unused:
                latticePieces.append((piece.bytes, index))
            case .unknown:
                guard unknownID == nil else { throw .duplicateUnknownPiece(index: index) }
                unknownID = index
            case .control:
                break
            case .byte:
                let text = String(decoding: piece.bytes, as: UTF8.self)
                guard proto.trainerSpec.byteFallback else { throw .bytePieceWithoutByteFallback(index: index, piece: text) }
                guard let byte = Self.byteValue(piece.bytes) else { throw .invalidBytePiece(index: index, piece: text) }
                byteIDs[byte] = index
            }
        }
        guard let unknownID else { throw .noUnknownPiece }
        guard !latticePieces.isEmpty else { throw .noPieces }
        if proto.trainerSpec.byteFallback {
            let missing = byteIDs.count { $0 < 0 }
            guard missing == 0 else { throw .missingBytePieces(count: missing) }
        }
        let spec = proto.normalizerSpec
        normalizer = SentencePieceNormalizer(
            charsMap: spec.precompiledCharsMap.isEmpty ? nil : try PrecompiledCharsMap(blob: spec.precompiledCharsMap),
            userDefinedSymbols: PieceTrie(userDefined), addDummyPrefix: spec.addDummyPrefix,
            removeExtraWhitespaces: spec.removeExtraWhitespaces, escapeWhitespaces: spec.escapeWhitespaces,
            treatWhitespaceAsSuffix: proto.trainerSpec.treatWhitespaceAsSuffix)
        lattice = UnigramLattice(pieces: PieceTrie(latticePieces), isUserDefined: proto.pieces.map { $0.type == .userDefined },
                                 isUnused: proto.pieces.map { $0.type == .unused }, scores: proto.pieces.map(\.score),
                                 unknownID: unknownID, minScore: minScore, maxScore: maxScore,
                                 longestPiece: latticePieces.map(\.bytes.count).max() ?? 0)
        self.proto = proto
        self.idsByPiece = latticeIDs.merging(reservedIDs) { _, reserved in reserved }
        self.byteIDs = proto.trainerSpec.byteFallback ? byteIDs : nil
        self.unknownID = unknownID
    }

    /// The byte a BYTE piece stands for: exactly "<0xNN>" with upper-case hex digits, the only
    /// spelling sentencepiece's PieceToByte accepts.
    private static func byteValue(_ piece: [UInt8]) -> Int? {
        guard piece.count == 6, piece[0..<3].elementsEqual("<0x".utf8), piece[5] == UInt8(ascii: ">") else { return nil }
        func digit(_ c: UInt8) -> Int? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(c - UInt8(ascii: "0"))
            case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(c - UInt8(ascii: "A")) + 10
            default: nil
            }
        }
        guard let high = digit(piece[3]), let low = digit(piece[4]) else { return nil }
        return high * 16 + low
    }

    /// The id of a piece by its exact text, or nil when the model has no such piece.
    public func id(forPiece piece: String) -> Int? { idsByPiece[Array(piece.utf8)] }

    /// The text of piece `id` (may hold U+FFFD where the model's bytes are not UTF-8), or nil
    /// for an id outside the model.
    public func piece(_ id: Int) -> String? {
        guard id >= 0, id < proto.pieces.count else { return nil }
        return String(decoding: proto.pieces[id].bytes, as: UTF8.self)
    }
}
