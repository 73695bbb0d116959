import Foundation
import Testing

/// A compressed WeightPack record may claim up to ~1032× its stored size (deflate's best
/// ratio). Such a claim must cost no more memory than the data really inflates to, and a
/// claim larger than the memory there is gets a clear error, never an abort.
@Suite("weights on WeightPack decompression bombs")
struct DecompressionBombCLITests {
    /// One F32 tensor "w" stored compressed: `stored` random bytes (not a deflate stream)
    /// claiming `elements` values. Built field by field from Formats/WeightPack.md.
    static func bomb(stored: Int, elements: UInt64) -> [UInt8] {
        func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        let name = Array("w".utf8)
        let names: [UInt8] = [0, UInt8(name.count)] + name
        let headerBytes = 64 + 32 + 8 + names.count
        let payloadOffset = (headerBytes + 63) / 64 * 64
        var generator = SystemRandomNumberGenerator()
        var payload = [UInt8](repeating: 0, count: stored)
        for index in stride(from: 0, to: stored, by: 8) {
            withUnsafeBytes(of: generator.next() as UInt64) { for (k, byte) in $0.enumerated() where index + k < stored { payload[index + k] = byte } }
        }
        let crc = Self.crc32(payload)
        let f32Code: UInt8 = 17  // F32's code in Formats/WeightPack.md's dtype table
        var header = Array("WPACK\0\r\n".utf8) + le(UInt16(1)) + le(UInt16(0))
        header += le(UInt32(1)) + le(UInt32(1)) + le(UInt32(names.count)) + le(UInt32(0)) + le(UInt32(0))
        header += le(UInt64(headerBytes)) + le(UInt64(payloadOffset + stored)) + le(UInt32(0)) + [UInt8](repeating: 0, count: 12)
        header += [f32Code, 0, 1, 1] + le(UInt32(0)) + le(UInt64(payloadOffset)) + le(UInt64(stored)) + le(crc) + le(UInt32(0))
        header += le(elements) + names
        header.replaceSubrange(48..<52, with: le(Self.crc32(header)))
        return header + [UInt8](repeating: 0, count: payloadOffset - headerBytes) + payload
    }

    /// CRC-32 (zlib's polynomial) from its definition, table-driven: independent of the reader's.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var value: UInt32 = 0xFFFF_FFFF
        for byte in bytes { value = crcTable[Int((value ^ UInt32(byte)) & 0xFF)] ^ (value >> 8) }
        return value ^ 0xFFFF_FFFF
    }

    private static let crcTable: [UInt32] = (0..<256).map { entry in
        var value = UInt32(entry)
        for _ in 0..<8 { value = value & 1 != 0 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// 30 MB stored claiming 30.8 GB (within deflate's 1032:1), run under a 6 GB address-space
    /// limit (none under AddressSanitizer, whose own allocator then refuses the 30.8 GB instead).
    static let limited = CLI.underAddressSanitizer ? "true" : "ulimit -v 6000000"

    @Test("verify streams the inflate: a 30 MB record claiming 30.8 GB is reported damaged, not allocated")
    func verifyDoesNotAllocate() throws {
        let directory = TemporaryDirectory()
        let pack = directory.file("bomb.wpk")
        writeBytes(Self.bomb(stored: 30_000_000, elements: 7_700_000_000), to: pack)
        let result = try CLI.run(["verify", pack], shellPrefix: Self.limited)
        #expect(result.status == 1)
        #expect(result.stderr.contains("tensor \"w\"") && result.stderr.contains("[decompression]"), "\(result.stderr)")
    }

    @Test("inspect --stats and convert refuse a claim larger than available memory, naming the tensor, leaving no output")
    func claimsBeyondMemory() throws {
        let directory = TemporaryDirectory()
        let pack = directory.file("bomb.wpk")
        writeBytes(Self.bomb(stored: 30_000_000, elements: 7_700_000_000), to: pack)
        let prefix = Self.limited + "; export WEIGHTS_MEMORY_LIMIT=2000000000"
        let stats = try CLI.run(["inspect", pack, "--stats"], shellPrefix: prefix)
        #expect(stats.status == 1)
        #expect(stats.stderr.contains("inflating tensor \"w\" needs 61.6 GB, 2.0 GB available [insufficient-memory]"), "\(stats.stderr)")
        let convert = try CLI.run(["convert", pack, directory.file("out.safetensors")], shellPrefix: prefix)
        #expect(convert.status == 1)
        #expect(convert.stderr.contains("[insufficient-memory]"), "\(convert.stderr)")
        #expect(directory.contents == ["bomb.wpk"])
    }

    @Test("a claim that fits in memory but does not inflate costs only what inflates: decompression error, small peak memory")
    func claimWithinMemory() throws {
        let directory = TemporaryDirectory()
        let pack = directory.file("bomb.wpk")
        // 1 MB stored claiming 1 GB. Before, the claimed gigabyte was zero-filled (and so
        // resident) before inflating failed.
        writeBytes(Self.bomb(stored: 1_000_000, elements: 250_000_000), to: pack)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "maxrss-kb %M", CLI.binary, "inspect", pack, "--stats"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(text.contains("[decompression]"), "\(text)")
        let line = try #require(text.split(separator: "\n").last { $0.hasPrefix("maxrss-kb ") })
        let kilobytes = try #require(Int(line.dropFirst("maxrss-kb ".count)))
        #expect(kilobytes < 300_000, "peak resident memory \(kilobytes) kB for a 1 MB file")
    }
}
