#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How much memory an allocation derived from a model or its input may take, checked before
/// allocating so that a huge config or input fails with a clear error instead of an abort.
///
/// The limit is `WEIGHTS_MEMORY_LIMIT` (bytes) when set, else the smaller of what the
/// machine has (`MemAvailable` from /proc/meminfo, else its physical memory) and what the
/// process may still map under its address-space limit (`ulimit -v`).
package enum MemoryBudget {
    package static let overrideVariable = "WEIGHTS_MEMORY_LIMIT"

    /// Bytes available for new allocations now.
    package static func available() -> Int {
        if let text = getenv(overrideVariable).map({ String(cString: $0) }), let bytes = Int(text), bytes >= 0 { return bytes }
        return min(machineAvailable(), addressSpaceLeft())
    }

    private static func machineAvailable() -> Int {
        if let bytes = memAvailable() { return bytes }
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return Int.max }
        return Int(pages).multipliedReportingOverflow(by: Int(size)).overflow ? Int.max : Int(pages) * Int(size)
    }

    /// RLIMIT_AS minus the address space already mapped (/proc/self/statm), or Int.max
    /// when there is no limit.
    private static func addressSpaceLeft() -> Int {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_AS.rawValue)
        #else
        let resource = RLIMIT_AS
        #endif
        // Unlimited is all ones, which no Int holds.
        guard getrlimit(resource, &limit) == 0, let ceiling = Int(exactly: limit.rlim_cur) else { return Int.max }
        let mapped = procFile("/proc/self/statm").split(separator: " ").first.flatMap { Int($0) }
            .map { $0.multipliedReportingOverflow(by: Int(sysconf(Int32(_SC_PAGESIZE)))).partialValue } ?? 0
        return max(0, ceiling - mapped)
    }

    /// The product of `factors` (element counts, sizes, bytes per element), or nil when it
    /// overflows `Int` or a factor is negative.
    package static func product(_ factors: [Int]) -> Int? {
        Shape.checkedProduct(factors)
    }

    /// The sum of `terms`, or nil when one is nil or the sum overflows.
    package static func sum(_ terms: [Int?]) -> Int? {
        var total = 0
        for term in terms {
            guard let term else { return nil }
            let (next, overflow) = total.addingReportingOverflow(term)
            if overflow { return nil }
            total = next
        }
        return total
    }

    /// Throws unless `bytes` (nil: beyond `Int`) fits in what is available. `purpose` says
    /// what needs it: "embedding 60000 tokens", "loading the model's weights as F32".
    package static func check(_ purpose: String, bytes: Int?) throws(MemoryLimitError) {
        let available = available()
        guard let bytes, bytes <= available else { throw MemoryLimitError(purpose: purpose, bytes: bytes, available: available) }
    }

    /// MemAvailable from /proc/meminfo, in bytes. (A kernel file of size 0, read directly
    /// rather than mapped.)
    private static func memAvailable() -> Int? {
        for line in procFile("/proc/meminfo").split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kilobytes = Int(fields[1]) else { return nil }
            let (total, overflow) = kilobytes.multipliedReportingOverflow(by: 1024)
            return overflow ? Int.max : total
        }
        return nil
    }

    /// The text of a kernel file (size 0 on disk, so read rather than mapped), at most 1 MB.
    private static func procFile(_ path: String) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 20 {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
