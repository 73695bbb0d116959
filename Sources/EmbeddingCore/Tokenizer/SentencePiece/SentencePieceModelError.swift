import WeightsKit

/// Why an spm.model (a sentencepiece ModelProto) was refused, each case named for the rule it
/// breaks; `code` is stable kebab-case. Offsets are byte offsets in the file. The rules after
/// the wire-format ones are those sentencepiece itself checks when it loads a model.
public enum SentencePieceModelError: Error, Equatable, Sendable, CustomStringConvertible {
    // The protobuf wire format.
    case truncatedVarint(offset: Int)
    case varintTooLong(offset: Int)
    case truncatedFixed(offset: Int, width: Int)
    case lengthPastEnd(offset: Int, length: UInt64, remaining: Int)
    case invalidFieldNumber(offset: Int)
    case unsupportedWireType(offset: Int, wireType: Int)
    case wrongWireType(field: String, offset: Int, expected: String, found: String)
    case nestingTooDeep(offset: Int, limit: Int)
    // The model.
    case unsupportedModelType(String)
    case invalidPieceType(index: Int, type: Int)
    case tooManyPieces(count: Int, limit: Int)
    case emptyPiece(index: Int)
    case pieceTooLong(index: Int, length: Int, limit: Int)
    /// `score` as Swift prints it ("nan", "inf", "-inf"), so that the error stays Equatable.
    case invalidScore(index: Int, score: String)
    case duplicatePiece(index: Int, piece: String)
    case noUnknownPiece
    case duplicateUnknownPiece(index: Int)
    case noPieces
    case invalidBytePiece(index: Int, piece: String)
    case bytePieceWithoutByteFallback(index: Int, piece: String)
    case missingBytePieces(count: Int)
    case invalidCharsMap(String)

    public var code: String {
        switch self {
        case .truncatedVarint: "truncated-varint"
        case .varintTooLong: "varint-too-long"
        case .truncatedFixed: "truncated-fixed"
        case .lengthPastEnd: "length-past-end"
        case .invalidFieldNumber: "invalid-field-number"
        case .unsupportedWireType: "unsupported-wire-type"
        case .wrongWireType: "wrong-wire-type"
        case .nestingTooDeep: "nesting-too-deep"
        case .unsupportedModelType: "unsupported-model-type"
        case .invalidPieceType: "invalid-piece-type"
        case .tooManyPieces: "too-many-pieces"
        case .emptyPiece: "empty-piece"
        case .pieceTooLong: "piece-too-long"
        case .invalidScore: "invalid-score"
        case .duplicatePiece: "duplicate-piece"
        case .noUnknownPiece: "no-unknown-piece"
        case .duplicateUnknownPiece: "duplicate-unknown-piece"
        case .noPieces: "no-pieces"
        case .invalidBytePiece: "invalid-byte-piece"
        case .bytePieceWithoutByteFallback: "byte-piece-without-byte-fallback"
        case .missingBytePieces: "missing-byte-pieces"
        case .invalidCharsMap: "invalid-charsmap"
        }
    }

    public var description: String {
        let rule: String
        switch self {
        case let .truncatedVarint(offset): rule = "varint at byte \(offset) runs past the end (truncated file?)"
        case let .varintTooLong(offset): rule = "varint at byte \(offset) is longer than 10 bytes or overflows 64 bits"
        case let .truncatedFixed(offset, width): rule = "\(width)-byte value at byte \(offset) runs past the end (truncated file?)"
        case let .lengthPastEnd(offset, length, remaining):
            rule = "length \(length) at byte \(offset) runs past the end of its message (\(remaining) bytes left; truncated file?)"
        case let .invalidFieldNumber(offset): rule = "field number 0 or above 2^29-1 at byte \(offset)"
        case let .unsupportedWireType(offset, wireType): rule = "wire type \(wireType) at byte \(offset) is not supported (groups, or not a protobuf)"
        case let .wrongWireType(field, offset, expected, found): rule = "field \"\(field)\" at byte \(offset) is \(found), expected \(expected)"
        case let .nestingTooDeep(offset, limit): rule = "message at byte \(offset) is nested deeper than \(limit)"
        case let .unsupportedModelType(type): rule = "model_type \(type) is not supported (supported: UNIGRAM)"
        case let .invalidPieceType(index, type): rule = "piece \(index) has type \(type), not one of 1-6"
        case let .tooManyPieces(count, limit): rule = "\(count) pieces, more than the \(limit) ids sentencepiece can number"
        case let .emptyPiece(index): rule = "piece \(index) is empty"
        case let .pieceTooLong(index, length, limit): rule = "piece \(index) is \(length) bytes long; sentencepiece accepts pieces shorter than \(limit)"
        case let .invalidScore(index, score): rule = "piece \(index) has score \(score), not a finite number"
        case let .duplicatePiece(index, piece): rule = "piece \(index) \"\(TerminalText.escaped(piece))\" is already defined"
        case .noUnknownPiece: rule = "no piece has type UNKNOWN"
        case let .duplicateUnknownPiece(index): rule = "piece \(index) is a second UNKNOWN piece"
        case .noPieces: rule = "no NORMAL, USER_DEFINED or UNUSED pieces"
        case let .invalidBytePiece(index, piece): rule = "BYTE piece \(index) \"\(TerminalText.escaped(piece))\" is not of the form <0xNN>"
        case let .bytePieceWithoutByteFallback(index, piece): rule = "BYTE piece \(index) \"\(TerminalText.escaped(piece))\" in a model without byte_fallback"
        case let .missingBytePieces(count): rule = "byte_fallback is set but \(count) of the 256 <0xNN> pieces are missing"
        case let .invalidCharsMap(reason): rule = "normalizer_spec.precompiled_charsmap: \(reason)"
        }
        return "\(rule) [\(code)]"
    }
}
