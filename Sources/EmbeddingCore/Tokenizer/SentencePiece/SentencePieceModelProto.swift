/// The fields of sentencepiece's ModelProto (src/sentencepiece_model.proto) that encoding
/// needs, read with `ProtobufReader`; every other field is skipped. Defaults are the proto's.
///
/// | field                                   | number | wire          |
/// |-----------------------------------------|--------|---------------|
/// | ModelProto.pieces (repeated)            | 1      | message       |
/// | ModelProto.trainer_spec                 | 2      | message       |
/// | ModelProto.normalizer_spec              | 3      | message       |
/// | SentencePiece.piece / score / type      | 1/2/3  | bytes/f32/enum|
/// | TrainerSpec.model_type                  | 3      | enum          |
/// | TrainerSpec.treat_whitespace_as_suffix  | 24     | bool          |
/// | TrainerSpec.byte_fallback               | 35     | bool          |
/// | NormalizerSpec.name                     | 1      | string        |
/// | NormalizerSpec.precompiled_charsmap     | 2      | bytes         |
/// | NormalizerSpec.add_dummy_prefix         | 3      | bool (true)   |
/// | NormalizerSpec.remove_extra_whitespaces | 4      | bool (true)   |
/// | NormalizerSpec.escape_whitespaces       | 5      | bool (true)   |
///
/// As protobuf does, a repeated optional field keeps its last value and a repeated embedded
/// message merges; unlike protobuf, a known field with the wrong wire type is an error rather
/// than an unknown field (no model sentencepiece writes has one).
struct SentencePieceModelProto: Sendable {
    /// ModelProto.SentencePiece.Type; the raw values are the proto's.
    enum PieceType: Int, Sendable {
        case normal = 1
        case unknown = 2
        case control = 3
        case userDefined = 4
        case unused = 5
        case byte = 6
    }

    struct Piece: Sendable {
        var bytes: [UInt8] = []
        var score: Float = 0
        var type: PieceType = .normal
    }

    struct TrainerSpec: Sendable {
        /// TrainerSpec.ModelType: UNIGRAM = 1, BPE = 2, WORD = 3, CHAR = 4.
        var modelType: Int32 = 1
        var treatWhitespaceAsSuffix = false
        var byteFallback = false
    }

    struct NormalizerSpec: Sendable {
        var name: [UInt8] = []
        var precompiledCharsMap: [UInt8] = []
        var addDummyPrefix = true
        var removeExtraWhitespaces = true
        var escapeWhitespaces = true
    }

    var pieces: [Piece] = []
    var trainerSpec = TrainerSpec()
    var normalizerSpec = NormalizerSpec()

    init(bytes: [UInt8]) throws(SentencePieceModelError) {
        var reader = ProtobufReader(bytes)
        while let key = try reader.nextKey() {
            switch key.number {
            case 1:
                var message = try Self.message(&reader, key, "pieces")
                pieces.append(try Self.piece(&message, index: pieces.count))
            case 2:
                var message = try Self.message(&reader, key, "trainer_spec")
                try Self.merge(&trainerSpec, &message)
            case 3:
                var message = try Self.message(&reader, key, "normalizer_spec")
                try Self.merge(&normalizerSpec, &message)
            default:
                try reader.skip(key)
            }
        }
    }

    private static func piece(_ reader: inout ProtobufReader, index: Int) throws(SentencePieceModelError) -> Piece {
        var piece = Piece()
        while let key = try reader.nextKey() {
            switch key.number {
            case 1: piece.bytes = try bytes(&reader, key, "pieces[\(index)].piece")
            case 2:
                try expect(key, .fixed32, "pieces[\(index)].score")
                piece.score = Float(bitPattern: try reader.readFixed32())
            case 3:
                let raw = try int32(&reader, key, "pieces[\(index)].type")
                guard let type = PieceType(rawValue: Int(raw)) else { throw .invalidPieceType(index: index, type: Int(raw)) }
                piece.type = type
            default: try reader.skip(key)
            }
        }
        return piece
    }

    private static func merge(_ spec: inout TrainerSpec, _ reader: inout ProtobufReader) throws(SentencePieceModelError) {
        while let key = try reader.nextKey() {
            switch key.number {
            case 3: spec.modelType = try int32(&reader, key, "trainer_spec.model_type")
            case 24: spec.treatWhitespaceAsSuffix = try bool(&reader, key, "trainer_spec.treat_whitespace_as_suffix")
            case 35: spec.byteFallback = try bool(&reader, key, "trainer_spec.byte_fallback")
            default: try reader.skip(key)
            }
        }
    }

    private static func merge(_ spec: inout NormalizerSpec, _ reader: inout ProtobufReader) throws(SentencePieceModelError) {
        while let key = try reader.nextKey() {
            switch key.number {
            case 1: spec.name = try bytes(&reader, key, "normalizer_spec.name")
            case 2: spec.precompiledCharsMap = try bytes(&reader, key, "normalizer_spec.precompiled_charsmap")
            case 3: spec.addDummyPrefix = try bool(&reader, key, "normalizer_spec.add_dummy_prefix")
            case 4: spec.removeExtraWhitespaces = try bool(&reader, key, "normalizer_spec.remove_extra_whitespaces")
            case 5: spec.escapeWhitespaces = try bool(&reader, key, "normalizer_spec.escape_whitespaces")
            default: try reader.skip(key)
            }
        }
    }

    // MARK: typed field values

    private static func expect(_ key: ProtobufReader.Key, _ type: ProtobufReader.WireType, _ field: String) throws(SentencePieceModelError) {
        guard key.wireType == type else {
            throw .wrongWireType(field: field, offset: key.offset, expected: type.name, found: key.wireType.name)
        }
    }

    private static func message(_ reader: inout ProtobufReader, _ key: ProtobufReader.Key, _ field: String) throws(SentencePieceModelError) -> ProtobufReader {
        try expect(key, .lengthDelimited, field)
        return try reader.readMessage()
    }

    private static func bytes(_ reader: inout ProtobufReader, _ key: ProtobufReader.Key, _ field: String) throws(SentencePieceModelError) -> [UInt8] {
        try expect(key, .lengthDelimited, field)
        let range = try reader.readLengthDelimited()
        return Array(reader.bytes[range])
    }

    /// int32 and enum values: a varint truncated to 32 bits, as protobuf does (negative values
    /// are sign-extended to 10 bytes on the wire).
    private static func int32(_ reader: inout ProtobufReader, _ key: ProtobufReader.Key, _ field: String) throws(SentencePieceModelError) -> Int32 {
        try expect(key, .varint, field)
        return Int32(truncatingIfNeeded: try reader.readVarint())
    }

    private static func bool(_ reader: inout ProtobufReader, _ key: ProtobufReader.Key, _ field: String) throws(SentencePieceModelError) -> Bool {
        try expect(key, .varint, field)
        return try reader.readVarint() != 0
    }
}
