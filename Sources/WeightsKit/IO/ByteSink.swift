/// Somewhere payload bytes go: an output file, or memory (to compress a payload whole).
public protocol ByteSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension ByteSink {
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
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
}
