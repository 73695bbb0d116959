/// Reads little-endian values from untrusted bytes; every read is bounds-checked and
/// fails with `nil` instead of trapping.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }

    mutating func read<T: FixedWidthInteger>(_: T.Type) -> T? {
        guard MemoryLayout<T>.size <= remaining else { return nil }
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
        position += MemoryLayout<T>.size
        return value
    }

    mutating func readBytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, count <= remaining else { return nil }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }

    /// An unsigned LEB128 varint of at most 10 bytes that fits in `Int`.
    mutating func readVarint() -> Int? {
        var value: UInt64 = 0
        for index in 0..<10 {
            guard let byte = read(UInt8.self) else { return nil }
            if index == 9 && byte > 1 { return nil }
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte & 0x80 == 0 { return Int(exactly: value) }
        }
        return nil
    }

    /// `count` bytes that must be valid UTF-8.
    mutating func readString(_ count: Int) -> String? {
        guard let raw = readBytes(count) else { return nil }
        return String(validating: raw, as: UTF8.self)
    }
}

/// Builds little-endian binary output.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ raw: some Sequence<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    mutating func writeVarint(_ value: Int) {
        var remaining = UInt64(value)
        repeat {
            let byte = UInt8(remaining & 0x7F)
            remaining >>= 7
            bytes.append(remaining == 0 ? byte : byte | 0x80)
        } while remaining != 0
    }

    mutating func writeString(_ text: String) {
        writeVarint(text.utf8.count)
        bytes.append(contentsOf: text.utf8)
    }

    mutating func set<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { bytes[offset + index] = byte }
        }
    }
}

/// Rounds `value` up to a multiple of `alignment` (a power of two), or nil on overflow.
func alignUp(_ value: Int, to alignment: Int) -> Int? {
    let (sum, overflow) = value.addingReportingOverflow(alignment - 1)
    return overflow ? nil : sum & ~(alignment - 1)
}
