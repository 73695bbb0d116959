/// Two models compared tensor by tensor (`weights diff`).
///
/// Names are matched by their UTF-8 bytes (canonically equivalent spellings are different
/// tensors). A tensor whose dtype or encoding changed differs, whatever its values; values of
/// the same storage are compared in their own type (`ExactValueComparison`), and, where both
/// decode to F32, summarised as a conversion error (RMSE, SNR, cosine).
public struct ModelComparison {
    public struct TensorDifference: Sendable {
        public let name: String
        public let dtypes: (DType, DType)
        public let encodings: (TensorEncoding, TensorEncoding)
        public let shapes: (Shape, Shape)
        /// The values as F32 (informative; nil when the shapes differ, a dtype cannot be
        /// decoded, or either side is integer or F64, which only `exact` measures).
        public let error: ErrorStatistics?
        /// The values in their own type; nil unless shapes, dtypes and encodings all match.
        public let exact: ExactValueComparison?

        public var shapeDiffers: Bool { shapes.0 != shapes.1 }
        public var storageDiffers: Bool { dtypes.0 != dtypes.1 || encodings.0 != encodings.1 }
    }

    public let onlyInA: [String]
    public let onlyInB: [String]
    public let common: [TensorDifference]
    public let tolerance: Double

    public init(_ a: any TensorSource, _ b: any TensorSource, tolerance: Double = 0) throws(WeightsFileError) {
        self.tolerance = tolerance
        var namesB: [[UInt8]: String] = [:]
        for info in b.tensors { namesB[Array(info.name.utf8)] = info.name }
        let namesA = Set(a.tensors.map { Array($0.name.utf8) })
        onlyInA = a.tensors.map(\.name).filter { namesB[Array($0.utf8)] == nil }.sortedByBytes()
        onlyInB = b.tensors.map(\.name).filter { !namesA.contains(Array($0.utf8)) }.sortedByBytes()
        var common: [TensorDifference] = []
        for info in a.tensors {
            guard let nameB = namesB[Array(info.name.utf8)] else { continue }
            guard let left = try a.view(info.name), let right = try b.view(nameB) else { continue }
            common.append(Self.compare(left, right, tolerance: tolerance))
        }
        self.common = common
    }

    private static func compare(_ left: TensorView, _ right: TensorView, tolerance: Double) -> TensorDifference {
        var error: ErrorStatistics?
        var exact: ExactValueComparison?
        if left.shape == right.shape {
            // F32 would round integers and F64 values: those are measured only by `exact`.
            let exactOnly = { (view: TensorView) in view.encoding == .plain && (!view.dtype.isFloatingPoint || view.dtype == .f64) }
            if !exactOnly(left) && !exactOnly(right), let x = left.floats(), let y = right.floats(), x.count == y.count {
                var stats = ErrorStatistics()
                x.withUnsafeBufferPointer { xs in y.withUnsafeBufferPointer { ys in stats.add(reference: xs, approximation: ys) } }
                error = stats
            }
            if left.dtype == right.dtype && left.encoding == right.encoding {
                exact = ExactValueComparison(left, right, tolerance: tolerance)
            }
        }
        return TensorDifference(name: left.name, dtypes: (left.dtype, right.dtype), encodings: (left.encoding, right.encoding),
                                shapes: (left.shape, right.shape), error: error, exact: exact)
    }

    /// A tensor counts as equal when shapes, dtypes and encodings match and every element is
    /// bit for bit the same, or (with a tolerance) within it.
    public func isEqual(_ difference: TensorDifference) -> Bool {
        guard !difference.shapeDiffers, !difference.storageDiffers, let exact = difference.exact else { return false }
        return exact.beyondTolerance == 0
    }

    public var identical: Bool {
        onlyInA.isEmpty && onlyInB.isEmpty && common.allSatisfy(isEqual)
    }
}

extension [String] {
    /// Sorted by UTF-8 bytes, the order names have in files.
    fileprivate func sortedByBytes() -> [String] {
        sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
