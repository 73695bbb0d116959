/// An allocation that would not fit in memory: "embedding 60000 tokens needs 28.8 GB,
/// 11.2 GB available".
public struct MemoryLimitError: Error, Equatable, Sendable, CustomStringConvertible {
    public let purpose: String
    /// Nil when the size does not even fit in 64 bits.
    public let bytes: Int?
    public let available: Int

    public var code: String { "insufficient-memory" }

    public var description: String {
        let needed = bytes.map(MemoryLimitError.format) ?? "more than 9.2 EB"
        return "\(purpose) needs \(needed), \(MemoryLimitError.format(available)) available [\(code)]"
    }

    /// Decimal units with one decimal: "28.8 GB".
    static func format(_ bytes: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        var size = Double(bytes)
        var unit = 0
        while size >= 1000 && unit < units.count - 1 {
            size /= 1000
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        let tenths = Int((size * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
