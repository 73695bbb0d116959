/// A total of counts a file declares (elements, bytes) that need not fit in `Int`: each
/// tensor's count does, but two stride-0 PyTorch views (as `expand` saves them) may each
/// claim 2^62 elements of one stored byte. The sum stops at `Int.max` and says that it did,
/// instead of trapping or wrapping.
public struct SaturatingCount: Sendable, Hashable, CustomStringConvertible {
    /// The total, or `Int.max` when `isSaturated`.
    public let value: Int
    /// True when the true total is more than `Int.max`.
    public let isSaturated: Bool

    public static let zero = SaturatingCount(0)

    /// An exact count.
    public init(_ value: Int) {
        self.value = value
        isSaturated = false
    }

    private init(saturated: Void) {
        value = .max
        isSaturated = true
    }

    /// The sum of `counts`, none of them negative.
    public init(summing counts: some Sequence<Int>) {
        var total = SaturatingCount.zero
        for count in counts { total = total + SaturatingCount(count) }
        self = total
    }

    /// The total when it fits in `Int`, else nil.
    public var exact: Int? { isSaturated ? nil : value }

    public static func + (left: SaturatingCount, right: SaturatingCount) -> SaturatingCount {
        let (sum, overflow) = left.value.addingReportingOverflow(right.value)
        return left.isSaturated || right.isSaturated || overflow ? SaturatingCount(saturated: ()) : SaturatingCount(sum)
    }

    /// "1234", or "more than 9223372036854775807".
    public var description: String { isSaturated ? "more than \(Int.max)" : String(value) }
}
