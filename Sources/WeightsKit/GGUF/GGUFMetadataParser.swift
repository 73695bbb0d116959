/// Reads the metadata key-value pairs of a GGUF header: every value type, nested arrays,
/// strings as their exact bytes. Every count and length is checked against the bytes left
/// before anything is read or allocated (as ggml's gguf.cpp does), so a hostile count
/// fails instead of allocating.
struct GGUFMetadataParser {
    /// gguf.cpp's caps: GGUF_MAX_STRING_LENGTH and GGUF_MAX_ARRAY_ELEMENTS.
    static let maxStringLength = 1 << 30
    static let maxArrayElements = 1 << 30
    /// Arrays of arrays are followed this deep (gguf-py writes nested lists; gguf.cpp refuses them).
    static let maxNesting = 8
    /// Smallest possible key-value pair: key length (8), type (4), one value byte (an empty
    /// key is possible, then refused as such).
    static let smallestEntry = 8 + 4 + 1

    var reader: ByteReader

    /// Reads `count` key-value pairs; keys must be non-empty, UTF-8 and distinct.
    mutating func entries(count: UInt64) throws(GGUFError) -> [GGUFMetadataEntry] {
        let limit = reader.remaining / GGUFMetadataParser.smallestEntry
        guard count <= UInt64(limit) else { throw .countTooLarge(what: "metadata key", count: count, limit: limit) }
        var entries: [GGUFMetadataEntry] = []
        entries.reserveCapacity(Int(count))
        var seen = Set<ExactName>()
        for index in 0..<Int(count) {
            let section = "metadata key \(index)"
            let raw = try string(section: section)
            guard !raw.isEmpty else { throw .emptyKey(index: index) }
            guard let key = String(validating: raw, as: UTF8.self) else { throw .invalidUTF8(section: section) }
            guard seen.insert(key.exact).inserted else { throw .duplicateKey(key: key) }
            guard let tag = reader.read(UInt32.self) else { throw .truncated(section: "the type of key \"\(key)\"") }
            entries.append(GGUFMetadataEntry(key: key, value: try value(tag: tag, key: key, depth: 0)))
        }
        return entries
    }

    /// A length-prefixed string's bytes.
    mutating func string(section: String) throws(GGUFError) -> [UInt8] {
        Array(try stringBytes(section: section))
    }

    /// A length-prefixed string's bytes, in place (valid while the parsed buffer is).
    private mutating func stringBytes(section: String) throws(GGUFError) -> UnsafeRawBufferPointer {
        guard let length = reader.read(UInt64.self) else { throw .truncated(section: section) }
        guard length <= UInt64(min(reader.remaining, GGUFMetadataParser.maxStringLength)) else {
            throw .stringTooLong(section: section, length: length, remaining: reader.remaining)
        }
        guard let bytes = reader.readBytes(Int(length)) else { throw .truncated(section: section) }
        return bytes
    }

    /// One value of type `tag`.
    private mutating func value(tag: UInt32, key: String, depth: Int) throws(GGUFError) -> GGUFMetadataValue {
        guard let type = GGUFValueType(rawValue: tag) else { throw .badValueType(key: key, type: tag) }
        let section = "the value of key \"\(key)\""
        switch type {
        case .string: return .string(try string(section: section))
        case .array: return .array(try packedArray(key: key, depth: depth + 1))
        default:
            guard let value = GGUFMetadataParser.scalar(type, from: &reader) else { throw .truncated(section: section) }
            return value
        }
    }

    /// An array's element type and count, checked: the count no larger than the bytes left
    /// could hold (nor gguf.cpp's cap), the nesting no deeper than `maxNesting`.
    private mutating func arrayHeader(key: String, depth: Int) throws(GGUFError) -> (GGUFValueType, Int) {
        guard depth <= GGUFMetadataParser.maxNesting else { throw .arrayTooDeep(key: key, limit: GGUFMetadataParser.maxNesting) }
        guard let tag = reader.read(UInt32.self), let count = reader.read(UInt64.self) else {
            throw .truncated(section: "the array header of key \"\(key)\"")
        }
        guard let type = GGUFValueType(rawValue: tag) else { throw .badValueType(key: key, type: tag) }
        // Each element takes at least this many bytes: its fixed size, a string's length, an array's type and count.
        let smallest = type.fixedSize ?? (type == .string ? 8 : 12)
        let limit = min(reader.remaining / smallest, GGUFMetadataParser.maxArrayElements)
        guard count <= UInt64(limit) else { throw .arrayTooLong(key: key, count: count, limit: limit) }
        return (type, Int(count))
    }

    /// An array (the part after its ARRAY tag) as a `GGUFArray`: the element bytes copied
    /// once into one buffer, never a value per element.
    mutating func packedArray(key: String, depth: Int) throws(GGUFError) -> GGUFArray {
        let (type, count) = try arrayHeader(key: key, depth: depth)
        let section = "the value of key \"\(key)\""
        if let size = type.fixedSize {
            // count ≤ remaining / size, so the product cannot overflow.
            guard let bytes = reader.readBytes(count * size) else { throw .truncated(section: section) }
            return GGUFArray(elementType: type, count: count, storage: Array(bytes), starts: [])
        }
        var storage: [UInt8] = []
        var starts: [Int] = []
        starts.reserveCapacity(count + 1)
        starts.append(0)
        for _ in 0..<count {
            if type == .string {
                storage.append(contentsOf: try stringBytes(section: section))
            } else {
                let start = reader.position
                try skipArray(key: key, depth: depth + 1)
                storage.append(contentsOf: UnsafeRawBufferPointer(rebasing: reader.bytes[start..<reader.position]))
            }
            starts.append(storage.count)
        }
        return GGUFArray(elementType: type, count: count, storage: storage, starts: starts)
    }

    /// Checks an inner array and moves past it, allocating nothing.
    private mutating func skipArray(key: String, depth: Int) throws(GGUFError) {
        let (type, count) = try arrayHeader(key: key, depth: depth)
        if let size = type.fixedSize {
            guard reader.readBytes(count * size) != nil else { throw .truncated(section: "the value of key \"\(key)\"") }
            return
        }
        for _ in 0..<count {
            if type == .string { _ = try stringBytes(section: "the value of key \"\(key)\"") } else { try skipArray(key: key, depth: depth + 1) }
        }
    }

    /// One fixed-size value of `type` from `reader`; nil when the bytes run out (or for
    /// string and array, which have no fixed size).
    static func scalar(_ type: GGUFValueType, from reader: inout ByteReader) -> GGUFMetadataValue? {
        switch type {
        case .uint8: reader.read(UInt8.self).map { .uint8($0) }
        case .int8: reader.read(Int8.self).map { .int8($0) }
        case .uint16: reader.read(UInt16.self).map { .uint16($0) }
        case .int16: reader.read(Int16.self).map { .int16($0) }
        case .uint32: reader.read(UInt32.self).map { .uint32($0) }
        case .int32: reader.read(Int32.self).map { .int32($0) }
        case .float32: reader.read(UInt32.self).map { .float32(Float(bitPattern: $0)) }
        case .bool: reader.read(UInt8.self).map { .bool($0 != 0) }
        case .uint64: reader.read(UInt64.self).map { .uint64($0) }
        case .int64: reader.read(Int64.self).map { .int64($0) }
        case .float64: reader.read(UInt64.self).map { .float64(Double(bitPattern: $0)) }
        case .string, .array: nil
        }
    }
}
