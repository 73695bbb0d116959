/// Somewhere payload bytes go: an output file, or memory (to compress a payload whole).
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws

    /// Lends `body` space of between `granule` and `limit` bytes, a multiple of `granule`
    /// (`limit` is one too), to fill completely, then writes it; returns its size. A
    /// producer writes its output in place this way: a sink with buffers of its own
    /// (`OutputFile`) lends those, so the bytes are never copied between buffers.
    func fill(upTo limit: Int, granule: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) throws -> Int
}

extension ByteSink {
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Sinks without buffers of their own: fills a temporary buffer of up to 4 MiB and writes it.
    public func fill(upTo limit: Int, granule: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) throws -> Int {
        let size = max(granule, min(limit, 4 << 20) / granule * granule)
        let space = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        defer { space.deallocate() }
        try body(space)
        try write(UnsafeRawBufferPointer(space))
        return size
    }
}

/// Collects bytes in memory.
final class MemorySink: ByteSink {
    private(set) var bytes: [UInt8] = []

    func write(_ bytes: UnsafeRawBufferPointer) {
        self.bytes.append(contentsOf: bytes)
    }
}

/// Forwards bytes to another sink, counting them and computing their CRC-32 on the way.
final class ChecksummingSink: ByteSink {
    private let target: any ByteSink
    private(set) var crc = CRC32()
    private(set) var count = 0

    init(_ target: any ByteSink) {
        self.target = target
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        crc.update(bytes)
        count += bytes.count
        try target.write(bytes)
    }

    func fill(upTo limit: Int, granule: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) throws -> Int {
        let size = try target.fill(upTo: limit, granule: granule) { space in
            try body(space)
            crc.update(UnsafeRawBufferPointer(space))
        }
        count += size
        return size
    }
}
