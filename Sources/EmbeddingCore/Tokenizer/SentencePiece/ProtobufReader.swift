/// Reads protobuf wire format from untrusted bytes, field by field: varints (at most 10 bytes,
/// no overflow), length-delimited values (the length checked against what is left), fixed32 and
/// fixed64. Groups (wire types 3 and 4, deprecated) are refused. Unknown fields are skipped by
/// the caller with `skip`, never descended into, so nesting is only as deep as the messages the
/// caller knows about; `depth` still guards it.
///
/// Every failure is a `SentencePieceModelError` naming the byte offset; nothing traps.
struct ProtobufReader {
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case fixed32 = 5

        var name: String {
            switch self {
            case .varint: "varint"
            case .fixed64: "fixed64"
            case .lengthDelimited: "length-delimited"
            case .fixed32: "fixed32"
            }
        }
    }

    /// A field's key; its value is read next with one of the `read…` methods or `skip`.
    struct Key {
        let number: Int
        let wireType: WireType
        /// Where the key starts, for errors.
        let offset: Int
    }

    static let depthLimit = 8

    let bytes: [UInt8]
    private(set) var position: Int
    let end: Int
    let depth: Int

    init(_ bytes: [UInt8]) {
        self.init(bytes, range: 0..<bytes.count, depth: 0)
    }

    private init(_ bytes: [UInt8], range: Range<Int>, depth: Int) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
        self.depth = depth
    }

    var isAtEnd: Bool { position >= end }

    /// The next field's key, or nil at the end of the message.
    mutating func nextKey() throws(SentencePieceModelError) -> Key? {
        guard !isAtEnd else { return nil }
        let offset = position
        let key = try readVarint()
        let number = key >> 3
        guard number >= 1, number <= (1 << 29) - 1 else { throw .invalidFieldNumber(offset: offset) }
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw .unsupportedWireType(offset: offset, wireType: Int(key & 7))
        }
        return Key(number: Int(number), wireType: wireType, offset: offset)
    }

    mutating func readVarint() throws(SentencePieceModelError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        for index in 0..<10 {
            guard position < end else { throw .truncatedVarint(offset: start) }
            let byte = bytes[position]
            position += 1
            if index == 9 && byte > 1 { throw .varintTooLong(offset: start) }
            value |= UInt64(byte & 0x7F) << UInt64(7 * index)
            if byte & 0x80 == 0 { return value }
        }
        throw .varintTooLong(offset: start)
    }

    mutating func readFixed32() throws(SentencePieceModelError) -> UInt32 { try readFixed(UInt32.self) }

    mutating func readFixed64() throws(SentencePieceModelError) -> UInt64 { try readFixed(UInt64.self) }

    /// A little-endian fixed-width field (wire types 1 and 5).
    private mutating func readFixed<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) throws(SentencePieceModelError) -> T {
        let width = T.bitWidth / 8
        guard end - position >= width else { throw .truncatedFixed(offset: position, width: width) }
        var value: T = 0
        for index in 0..<width { value |= T(bytes[position + index]) << (8 * index) }
        position += width
        return value
    }

    /// The range of a length-delimited value's bytes within `bytes`.
    mutating func readLengthDelimited() throws(SentencePieceModelError) -> Range<Int> {
        let offset = position
        let length = try readVarint()
        // `end - position` cannot overflow; comparing as UInt64 keeps huge lengths out of Int.
        guard length <= UInt64(end - position) else {
            throw .lengthPastEnd(offset: offset, length: length, remaining: end - position)
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    /// A reader for an embedded message (a length-delimited value), one level deeper.
    mutating func readMessage() throws(SentencePieceModelError) -> ProtobufReader {
        let range = try readLengthDelimited()
        guard depth + 1 <= Self.depthLimit else { throw .nestingTooDeep(offset: range.lowerBound, limit: Self.depthLimit) }
        return ProtobufReader(bytes, range: range, depth: depth + 1)
    }

    mutating func skip(_ key: Key) throws(SentencePieceModelError) {
        switch key.wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .lengthDelimited: _ = try readLengthDelimited()
        case .fixed32: _ = try readFixed32()
        }
    }
}
