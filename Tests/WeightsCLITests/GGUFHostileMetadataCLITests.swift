import Foundation
import Testing

/// GGUF files built byte by byte (ggml's docs/gguf.md) for the hostile-input tests: the
/// header, metadata key-value pairs and no tensors.
enum HostileGGUF {
    /// Builds the bytes of one metadata value (its type tag included).
    struct Value {
        var bytes: [UInt8] = []

        static func u32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        static func u64(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
        static func string(_ text: String) -> [UInt8] { u64(UInt64(text.utf8.count)) + Array(text.utf8) }

        static func uint8(_ value: UInt8) -> Value { Value(bytes: u32(0) + [value]) }
        static func uint32(_ value: UInt32) -> Value { Value(bytes: u32(4) + u32(value)) }
        static func int32(_ value: Int32) -> Value { Value(bytes: u32(5) + u32(UInt32(bitPattern: value))) }
        static func float32(_ value: Float) -> Value { Value(bytes: u32(6) + u32(value.bitPattern)) }
        static func text(_ value: String) -> Value { Value(bytes: u32(8) + string(value)) }
        /// An array of `count` zero bytes (UINT8).
        static func zeroBytes(_ count: Int) -> Value { Value(bytes: u32(9) + u32(0) + u64(UInt64(count)) + [UInt8](repeating: 0, count: count)) }
        /// An array of `count` empty UINT8 arrays.
        static func emptyArrays(_ count: Int) -> Value {
            var bytes = u32(9) + u32(9) + u64(UInt64(count))
            bytes.reserveCapacity(bytes.count + 12 * count)
            for _ in 0..<count { bytes += u32(0) + u64(0) }
            return Value(bytes: bytes)
        }
    }

    /// A version 3 file with these pairs and no tensors.
    static func file(_ pairs: [(String, Value)]) -> [UInt8] {
        var bytes = Array("GGUF".utf8) + Value.u32(3) + Value.u64(0) + Value.u64(UInt64(pairs.count))
        for (key, value) in pairs { bytes += Value.string(key) + value.bytes }
        return bytes
    }

    /// Peak resident memory (kB) of `weights ARGS`, measured by /usr/bin/time; and the exit status.
    static func peakMemory(_ arguments: [String]) throws -> (kilobytes: Int, status: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "maxrss-kb %M", CLI.binary] + arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let line = try #require(text.split(separator: "\n").last { $0.hasPrefix("maxrss-kb ") }, "\(text)")
        return (try #require(Int(line.dropFirst("maxrss-kb ".count))), process.terminationStatus)
    }
}

@Suite("GGUF metadata from hostile files: bounded memory")
struct GGUFHostileMetadataCLITests {
    @Test("inspect and inspect --json of 1 M array elements and 100,000 keys peak within 24 MB of a file with one of each",
          .disabled(if: CLI.underAddressSanitizer, "AddressSanitizer's quarantine keeps freed memory resident"))
    func longArraysStayPacked() throws {
        let directory = TemporaryDirectory()
        let big = directory.file("big.gguf"), small = directory.file("small.gguf")
        // 1 MB of UINT8, 1.2 MB of nested empty arrays, 1.7 MB of keys. Before, each element
        // was an enum value of its own and --json built every key's object before writing.
        let keys = (0..<100_000).map { (String(format: "k%06d", $0), HostileGGUF.Value.uint8(0)) }
        writeBytes(HostileGGUF.file([("t.bytes", .zeroBytes(1_000_000)), ("t.nested", .emptyArrays(100_000))] + keys), to: big)
        writeBytes(HostileGGUF.file([("t.bytes", .zeroBytes(1)), ("t.nested", .emptyArrays(1)), ("k", .uint8(0))]), to: small)
        for flags in [[], ["--json"]] {
            let baseline = try HostileGGUF.peakMemory(["inspect", small] + flags)
            let measured = try HostileGGUF.peakMemory(["inspect", big] + flags)
            #expect(baseline.status == 0 && measured.status == 0)
            // Measured after the fix: 17 MB above (the keys' entries and the text); before: 60 and 200 MB.
            #expect(measured.kilobytes - baseline.kilobytes < 24_000,
                    "inspect \(flags): \(measured.kilobytes) kB against \(baseline.kilobytes) kB for one element")
        }
    }
}
