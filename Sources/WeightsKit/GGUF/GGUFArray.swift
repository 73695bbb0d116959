/// A metadata array, packed: one buffer of element bytes and, for strings and nested
/// arrays, where each element starts, never one `GGUFMetadataValue` per element (a
/// 10-million-element UINT8 array takes 10 MB, not 40 times that). Elements are decoded
/// when read (`self[i]`), so the array is a collection of `GGUFMetadataValue`s.
///
/// | element type | `storage` | `starts` |
/// | --- | --- | --- |
/// | fixed size (UINT8 ... FLOAT64, BOOL) | the values as the file stores them, little-endian | empty |
/// | STRING | the strings' bytes, back to back (no lengths) | count + 1 offsets into `storage` |
/// | ARRAY | each inner array as the file stores it (u32 type, u64 count, elements) | count + 1 offsets |
///
/// Memory is at most about 1.7 times the array's bytes in the file: a fixed-size element
/// is its bytes; a string's 8-byte offset replaces its 8-byte length; an inner array's
/// offset adds 8 bytes to its 12-byte header at least.
public struct GGUFArray: Sendable, Equatable, RandomAccessCollection {
    /// The type of every element (an empty array still has one).
    public let elementType: GGUFValueType
    public let count: Int
    let storage: [UInt8]
    let starts: [Int]

    init(elementType: GGUFValueType, count: Int, storage: [UInt8], starts: [Int]) {
        self.elementType = elementType
        self.count = count
        self.storage = storage
        self.starts = starts
    }

    /// An array of strings (`general.tags`, `tokenizer.ggml.tokens`).
    public init(strings: [String]) {
        self.init(bytes: strings.map { Array($0.utf8) })
    }

    /// An array of strings given as their exact bytes.
    public init(bytes strings: [[UInt8]]) {
        var storage: [UInt8] = []
        var starts = [0]
        starts.reserveCapacity(strings.count + 1)
        for string in strings {
            storage.append(contentsOf: string)
            starts.append(storage.count)
        }
        self.init(elementType: .string, count: strings.count, storage: storage, starts: starts)
    }

    /// An array of INT32 (`tokenizer.ggml.token_type`).
    public init(int32 values: [Int32]) {
        var writer = ByteWriter()
        for value in values { writer.write(value) }
        self.init(elementType: .int32, count: values.count, storage: writer.bytes, starts: [])
    }

    /// An array of `type` holding `values`; nil when a value is of another type.
    public init?(_ type: GGUFValueType, _ values: [GGUFMetadataValue]) {
        guard values.allSatisfy({ $0.type == type }) else { return nil }
        var writer = ByteWriter()
        var starts: [Int] = type.fixedSize == nil ? [0] : []
        for value in values {
            if case let .string(bytes) = value { writer.write(bytes) } else { writer.writeGGUFValue(value) }
            if type.fixedSize == nil { starts.append(writer.bytes.count) }
        }
        self.init(elementType: type, count: values.count, storage: writer.bytes, starts: starts)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// Element `position`, decoded from the packed bytes.
    public subscript(position: Int) -> GGUFMetadataValue {
        precondition(indices.contains(position), "GGUFArray index \(position) out of range 0..<\(count)")
        if let size = elementType.fixedSize {
            // The storage holds `count` whole elements (checked when parsed or built).
            return storage.withUnsafeBytes { raw in scalar(raw, at: position * size) }
        }
        let bytes = storage[starts[position]..<starts[position + 1]]
        if elementType == .string { return .string(Array(bytes)) }
        // An inner array, validated when the outer one was parsed: parsing it again cannot fail.
        return .array(Array(bytes).withUnsafeBytes { raw in
            var parser = GGUFMetadataParser(reader: ByteReader(raw))
            return (try? parser.packedArray(key: "", depth: 1)) ?? GGUFArray(elementType: .uint8, count: 0, storage: [], starts: [])
        })
    }

    /// The fixed-size element at byte `offset`, little-endian.
    private func scalar(_ raw: UnsafeRawBufferPointer, at offset: Int) -> GGUFMetadataValue {
        func load<T: FixedWidthInteger>(_: T.Type) -> T { T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        return switch elementType {
        case .uint8: .uint8(load(UInt8.self))
        case .int8: .int8(load(Int8.self))
        case .uint16: .uint16(load(UInt16.self))
        case .int16: .int16(load(Int16.self))
        case .uint32: .uint32(load(UInt32.self))
        case .int32: .int32(load(Int32.self))
        case .float32: .float32(Float(bitPattern: load(UInt32.self)))
        case .bool: .bool(load(UInt8.self) != 0)
        case .uint64: .uint64(load(UInt64.self))
        case .int64: .int64(load(Int64.self))
        case .float64: .float64(Double(bitPattern: load(UInt64.self)))
        case .string, .array: .uint8(0)
        }
    }

    /// The elements as the file stores them, without the array's type and count.
    func write(into writer: inout ByteWriter) {
        guard elementType == .string else { return writer.write(storage) }
        for position in 0..<count {
            writer.writeGGUFString(Array(storage[starts[position]..<starts[position + 1]]))
        }
    }
}
