/// A tensor's dimensions, with element and byte counts that cannot overflow silently.
///
/// Dimensions come from untrusted headers, so every product is computed with
/// `multipliedReportingOverflow`; a count that does not fit in `Int` is `nil`.
public struct Shape: Hashable, Sendable, CustomStringConvertible {
    public let dims: [Int]

    public init(_ dims: [Int]) {
        self.dims = dims
    }

    public var rank: Int { dims.count }

    /// Product of the dimensions (1 for a scalar), or `nil` on overflow or a negative dimension.
    public var elementCount: Int? { Shape.checkedProduct(dims) }

    /// The product of `factors`, or `nil` when one is negative or the product overflows `Int`.
    static func checkedProduct(_ factors: some Sequence<Int>) -> Int? {
        var total = 1
        for factor in factors {
            guard factor >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            total = product
        }
        return total
    }

    /// Bytes needed to store the elements as `dtype`, or `nil` on overflow or when the
    /// bits do not fill a whole number of bytes (an odd count of F4 values).
    public func byteCount(for dtype: DType) -> Int? {
        guard let elements = elementCount else { return nil }
        let (bits, overflow) = elements.multipliedReportingOverflow(by: dtype.bitWidth)
        guard !overflow, bits % 8 == 0 else { return nil }
        return bits / 8
    }

    /// "[2, 3]" or "[]" for a scalar.
    public var description: String {
        var text = "["
        for (axis, dim) in dims.enumerated() {
            if axis > 0 { text += ", " }
            text += String(dim)
        }
        return text + "]"
    }
}
