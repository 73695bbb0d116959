internal import CZlib
internal import CKernels

/// CRC-32 (the zlib / PNG / gzip polynomial), the checksum WeightPack stores.
public struct CRC32: Sendable {
    public private(set) var value: UInt32 = 0

    public init() {}

    /// Uses carry-less multiplication (CKernels) when the CPU has it, zlib otherwise;
    /// both give the same value.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        value = wk_crc32(value, base.assumingMemoryBound(to: UInt8.self), bytes.count, zlibCRC32)
    }

    /// The portable path alone, for tests that compare the two.
    static func portable(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return 0 }
        return zlibCRC32(0, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    static var isAccelerated: Bool { wk_crc32_is_accelerated() != 0 }

    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}

/// zlib's CRC-32, fed in pieces because it takes a 32-bit length.
private func zlibCRC32(_ crc: UInt32, _ bytes: UnsafePointer<UInt8>?, _ length: Int) -> UInt32 {
    var value = crc
    var start = 0
    while start < length {
        let piece = min(length - start, 1 << 30)
        value = UInt32(crc32(uLong(value), bytes! + start, uInt(piece)))
        start += piece
    }
    return value
}

/// zlib deflate/inflate for WeightPack's optional per-tensor compression.
enum Deflate {
    static func compress(_ input: [UInt8]) -> [UInt8] {
        var bound = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(bound))
        let status = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { source in
                compress2(out.baseAddress, &bound, source.baseAddress, uLong(source.count), 6)
            }
        }
        precondition(status == Z_OK, "compress2 cannot fail with a compressBound-sized buffer")
        output.removeLast(output.count - Int(bound))
        return output
    }

    /// Inflates `input`, which must decompress to exactly `expectedCount` bytes.
    static func decompress(_ input: UnsafeRawBufferPointer, expectedCount: Int) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: expectedCount)
        var length = uLong(expectedCount)
        let status = output.withUnsafeMutableBufferPointer { out in
            uncompress(out.baseAddress, &length, input.baseAddress?.assumingMemoryBound(to: Bytef.self), uLong(input.count))
        }
        guard status == Z_OK, length == uLong(expectedCount) else { return nil }
        return output
    }
}

/// Byte-plane shuffle: groups the k-th byte of every element together, so the slowly
/// varying sign/exponent bytes of floats sit side by side and deflate finds them.
enum ByteShuffle {
    static func shuffle(_ input: UnsafeRawBufferPointer, width: Int) -> [UInt8] {
        guard width > 1 else { return Array(input) }
        let count = input.count / width
        var output = [UInt8](repeating: 0, count: input.count)
        for element in 0..<count {
            for byte in 0..<width { output[byte * count + element] = input[element * width + byte] }
        }
        return output
    }

    static func unshuffle(_ input: [UInt8], width: Int) -> [UInt8] {
        guard width > 1 else { return input }
        let count = input.count / width
        var output = [UInt8](repeating: 0, count: input.count)
        for element in 0..<count {
            for byte in 0..<width { output[element * width + byte] = input[byte * count + element] }
        }
        return output
    }
}
