/// Two payloads of the same dtype and encoding compared element by element in their own
/// type: integers (and BOOL) exactly, F64 in Double, other floats through their exact
/// F32 values, and everything bit for bit first, so `-0` and `0` or two NaN payloads differ.
public struct ExactValueComparison: Sendable, Equatable {
    /// Elements whose stored bits differ (for sub-byte and undecodable types: payload bytes).
    public private(set) var differing = 0
    /// Differing elements not within the tolerance (all of them when the tolerance is 0, or
    /// when either value is NaN or infinite, or cannot be decoded).
    public private(set) var beyondTolerance = 0
    /// The largest |a − b| over differing pairs that have one: exact for integers up to
    /// 2^53 and rounded once to Double beyond; computed in Double for floats.
    public private(set) var maxAbsoluteDifference = 0.0

    /// Compares `a` and `b`, which hold `count` elements of `dtype` in `encoding`.
    init(_ a: TensorView, _ b: TensorView, tolerance: Double) {
        let dtype = a.dtype, encoding = a.encoding
        let count = a.info.elementCount
        let sameStorage = a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.elementsEqual(y) } }
        if sameStorage { return }
        if encoding == .plain && dtype.bitWidth >= 8 && dtype.bitWidth % 8 == 0, let kind = ElementKind(dtype) {
            let width = dtype.bitWidth / 8
            a.withUnsafeBytes { x in
                b.withUnsafeBytes { y in
                    guard x.count >= count * width, y.count >= count * width else { return }
                    let floatsA = kind == .narrowFloat ? a.floats() : nil
                    let floatsB = kind == .narrowFloat ? b.floats() : nil
                    for index in 0..<count {
                        let offset = index * width
                        guard !x[offset..<(offset + width)].elementsEqual(y[offset..<(offset + width)]) else { continue }
                        differing += 1
                        let within: Bool
                        switch kind {
                        case .signed:
                            let magnitude = Self.signedDistance(Self.signed(x, offset, width), Self.signed(y, offset, width))
                            within = record(magnitude, tolerance: tolerance)
                        case .unsigned:
                            let left = Self.unsigned(x, offset, width), right = Self.unsigned(y, offset, width)
                            within = record(left > right ? left - right : right - left, tolerance: tolerance)
                        case .double:
                            let left = Double(bitPattern: Self.unsigned(x, offset, 8)), right = Double(bitPattern: Self.unsigned(y, offset, 8))
                            within = record(left, right, tolerance: tolerance)
                        case .narrowFloat:
                            if let floatsA, let floatsB {
                                within = record(Double(floatsA[index]), Double(floatsB[index]), tolerance: tolerance)
                            } else {
                                within = false
                            }
                        }
                        if !within { beyondTolerance += 1 }
                    }
                }
            }
            return
        }
        if encoding != .plain, tolerance > 0, let x = a.floats(), let y = b.floats(), x.count == y.count {
            // Quantized payloads that differ: compare what they dequantize to.
            for index in 0..<x.count where x[index].bitPattern != y[index].bitPattern {
                differing += 1
                if !record(Double(x[index]), Double(y[index]), tolerance: tolerance) { beyondTolerance += 1 }
            }
            return
        }
        // Sub-byte or undecodable elements, or quantized payloads compared exactly: count
        // differing payload bytes (at least one, since the payloads differ).
        let bytes = a.withUnsafeBytes { x in b.withUnsafeBytes { y in zip(x, y).filter { $0 != $1 }.count + abs(x.count - y.count) } }
        differing = max(1, bytes)
        beyondTolerance = differing
    }

    /// How the elements of a dtype are compared once their bits differ.
    enum ElementKind {
        case signed, unsigned, double, narrowFloat

        init?(_ dtype: DType) {
            switch dtype {
            case .i8, .i16, .i32, .i64: self = .signed
            case .bool, .u8, .u16, .u32, .u64: self = .unsigned
            case .f64: self = .double
            case .f8E8M0: self = .narrowFloat
            default:
                guard dtype.isFloatingPoint, dtype.isDecodable, dtype.bitWidth <= 32 else { return nil }
                self = .narrowFloat
            }
        }
    }

    /// Records an integer distance; true when it is within the tolerance (compared exactly).
    private mutating func record(_ magnitude: UInt64, tolerance: Double) -> Bool {
        maxAbsoluteDifference = max(maxAbsoluteDifference, Double(magnitude))
        guard tolerance > 0 else { return false }
        // 2^64 is exactly representable; any magnitude is below it.
        if tolerance >= 18_446_744_073_709_551_616.0 { return true }
        return magnitude <= UInt64(tolerance.rounded(.down))
    }

    /// Records a float distance; true when both are finite and |a − b| is within the tolerance.
    private mutating func record(_ left: Double, _ right: Double, tolerance: Double) -> Bool {
        guard left.isFinite, right.isFinite else { return false }
        let distance = abs(left - right)
        maxAbsoluteDifference = max(maxAbsoluteDifference, distance)
        return tolerance > 0 && distance <= tolerance
    }

    /// |a − b| of two signed values; exact, since it is below 2^64.
    static func signedDistance(_ a: Int64, _ b: Int64) -> UInt64 {
        a >= b ? UInt64(bitPattern: a &- b) : UInt64(bitPattern: b &- a)
    }

    /// The little-endian unsigned integer of `width` bytes at `offset`.
    static func unsigned(_ raw: UnsafeRawBufferPointer, _ offset: Int, _ width: Int) -> UInt64 {
        var value: UInt64 = 0
        for byte in 0..<width { value |= UInt64(raw[offset + byte]) << (8 * UInt64(byte)) }
        return value
    }

    /// The little-endian two's-complement integer of `width` bytes at `offset`, sign-extended.
    static func signed(_ raw: UnsafeRawBufferPointer, _ offset: Int, _ width: Int) -> Int64 {
        let value = unsigned(raw, offset, width)
        let shift = UInt64(64 - 8 * width)
        return Int64(bitPattern: value << shift) >> Int64(shift)
    }
}
