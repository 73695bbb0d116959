internal import CZlib
internal import CKernels

/// CRC-32 (the zlib / PNG / gzip polynomial), the checksum WeightPack stores.
package struct CRC32: Sendable {
    package private(set) var value: UInt32 = 0

    package init() {}

    /// Uses carry-less multiplication (CKernels) when the CPU has it, zlib otherwise;
    /// both give the same value.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        value = wk_crc32(value, base.assumingMemoryBound(to: UInt8.self), bytes.count, zlibCRC32)
    }

    /// The portable path alone, for tests that compare the two.
    static func portable(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return 0 }
        return zlibCRC32(0, base.assumingMemoryBound(to: UInt8.self), bytes.count)
    }

    static var isAccelerated: Bool { wk_crc32_is_accelerated() != 0 }

    package static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
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

    /// Inflates `input`, which must decompress to exactly `expectedCount` bytes, into a
    /// buffer of that size. The buffer is filled as the stream inflates (its pages are
    /// touched only by real output), and the stream can never write past it.
    static func decompress(_ input: UnsafeRawBufferPointer, expectedCount: Int) -> [UInt8]? {
        var complete = false
        let output = [UInt8](unsafeUninitializedCapacity: expectedCount) { buffer, initialized in
            complete = inflate(input, expectedCount: expectedCount, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = complete ? expectedCount : 0
        }
        return complete ? output : nil
    }

    /// Whether `input` inflates to exactly `expectedCount` bytes, checked through a small
    /// window: no allocation of the inflated size (`verify` of a record that claims
    /// gigabytes costs 256 kB).
    static func inflates(_ input: UnsafeRawBufferPointer, toExactly expectedCount: Int) -> Bool {
        inflate(input, expectedCount: expectedCount, into: nil)
    }

    /// One inflate pass. With `destination`, output goes there and may not exceed it;
    /// without, it goes through a reused window and is only counted. Succeeds when the
    /// stream ends, all input is consumed and exactly `expectedCount` bytes came out.
    private static func inflate(_ input: UnsafeRawBufferPointer, expectedCount: Int, into destination: UnsafeMutableRawBufferPointer?) -> Bool {
        // An empty destination has no address to hand zlib: count instead (expecting 0).
        let destination = destination?.baseAddress == nil ? nil : destination
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return false }
        defer { inflateEnd(&stream) }
        let window = destination == nil ? UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16) : nil
        defer { window?.deallocate() }
        let piece = 1 << 30  // zlib counts in 32-bit fields
        var consumed = 0
        var produced = 0
        while true {
            let inputLeft = input.count - consumed
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0.assumingMemoryBound(to: Bytef.self) + consumed })
            stream.avail_in = uInt(min(inputLeft, piece))
            let target: UnsafeMutableRawBufferPointer
            if let destination {
                // One byte past the declared size, if the stream has more, shows as a failure below.
                target = UnsafeMutableRawBufferPointer(rebasing: destination[produced...])
            } else {
                target = window!
            }
            let room = min(target.count, piece)
            stream.next_out = target.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(room)
            let status = CZlib.inflate(&stream, Z_NO_FLUSH)
            let used = min(inputLeft, piece) - Int(stream.avail_in)
            let made = room - Int(stream.avail_out)
            consumed += used
            produced += made
            if produced > expectedCount { return false }
            switch status {
            case Z_STREAM_END:
                return produced == expectedCount && consumed == input.count
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress possible: out of input, or (with a destination) out of room
                // while the stream still has data: either way not the declared size.
                if used == 0 && made == 0 { return false }
            default:
                return false
            }
        }
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
