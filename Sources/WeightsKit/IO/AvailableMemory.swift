#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much memory an allocation derived from a file may take, checked before it is made:
/// a hostile or simply too-large file gets a clear error instead of an abort in `malloc`.
public enum AvailableMemory {
    /// The variable that overrides the measured figure (bytes), for tests and for users
    /// who want a lower ceiling than the machine's.
    public static let overrideVariable = "WEIGHTS_MEMORY_LIMIT"

    /// Bytes the process can still allocate: `WEIGHTS_MEMORY_LIMIT` when set, else the
    /// kernel's `MemAvailable` (Linux), else free physical pages.
    public static var bytes: Int {
        if let text = getenv(overrideVariable).map({ String(cString: $0) }), let limit = Int(text), limit >= 0 { return limit }
        if let available = memAvailable() { return available }
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? pages.multipliedReportingOverflow(by: size).partialValue : Int.max
    }

    /// Throws unless `needed` bytes (nil: the size computation overflowed) fit in what is available.
    public static func check(_ needed: Int?, for purpose: String) throws(InsufficientMemory) {
        let available = bytes
        guard let needed, needed <= available else {
            throw InsufficientMemory(purpose: purpose, needed: needed, available: available)
        }
    }

    /// `MemAvailable:` from /proc/meminfo, in bytes.
    private static func memAvailable() -> Int? {
        let fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes.multipliedReportingOverflow(by: 1024).partialValue
        }
        return nil
    }
}

/// An allocation a file asks for is larger than the memory there is.
public struct InsufficientMemory: Error, Equatable, Sendable, CustomStringConvertible {
    /// What the memory is for: "inflating tensor \"x\"", "embedding 60000 tokens".
    public let purpose: String
    /// Bytes needed, or nil when the size does not even fit in a 64-bit integer.
    public let needed: Int?
    public let available: Int

    public var code: String { "insufficient-memory" }

    public var description: String {
        let need = needed.map(Self.gigabytes) ?? "more than 2^63 bytes"
        return "\(purpose) needs \(need), \(Self.gigabytes(available)) available [\(code)]"
    }

    private static func gigabytes(_ bytes: Int) -> String {
        let tenths = Int((Double(bytes) / 1e8).rounded())
        return tenths >= 10 ? "\(tenths / 10).\(tenths % 10) GB" : "\(bytes / 1_000_000) MB"
    }
}
