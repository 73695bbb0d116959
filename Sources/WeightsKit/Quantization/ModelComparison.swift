/// Two models compared tensor by tensor, after dequantizing both to F32 (`weights diff`).
public struct ModelComparison {
    public struct TensorDifference: Sendable {
        public let name: String
        public let dtypes: (DType, DType)
        public let encodings: (TensorEncoding, TensorEncoding)
        public let shapes: (Shape, Shape)
        /// Nil when the shapes differ (values are not compared) or a dtype cannot be decoded.
        public let error: ErrorStatistics?

        public var shapeDiffers: Bool { shapes.0 != shapes.1 }
        public var storageDiffers: Bool { dtypes.0 != dtypes.1 || encodings.0 != encodings.1 }
    }

    public let onlyInA: [String]
    public let onlyInB: [String]
    public let common: [TensorDifference]
    public let tolerance: Double

    public init(_ a: any TensorSource, _ b: any TensorSource, tolerance: Double = 0) throws(WeightsFileError) {
        self.tolerance = tolerance
        let namesA = Set(a.tensors.map(\.name))
        let namesB = Set(b.tensors.map(\.name))
        onlyInA = namesA.subtracting(namesB).sorted()
        onlyInB = namesB.subtracting(namesA).sorted()
        var common: [TensorDifference] = []
        for info in a.tensors where namesB.contains(info.name) {
            guard let left = try a.view(info.name), let right = try b.view(info.name) else { continue }
            var error: ErrorStatistics?
            if left.shape == right.shape, let x = left.floats(), let y = right.floats() {
                var stats = ErrorStatistics()
                x.withUnsafeBufferPointer { xs in y.withUnsafeBufferPointer { ys in stats.add(reference: xs, approximation: ys) } }
                error = stats
            }
            common.append(TensorDifference(name: info.name, dtypes: (left.dtype, right.dtype), encodings: (left.encoding, right.encoding),
                                           shapes: (left.shape, right.shape), error: error))
        }
        self.common = common
    }

    /// A tensor counts as equal when shapes match and values agree within the tolerance
    /// (exactly, bit for bit, when the tolerance is 0).
    public func isEqual(_ difference: TensorDifference) -> Bool {
        guard !difference.shapeDiffers, let error = difference.error else { return false }
        if tolerance == 0 { return error.differing == 0 }
        return error.maxAbsoluteError <= tolerance && error.nonFinite == 0
    }

    public var identical: Bool {
        onlyInA.isEmpty && onlyInB.isEmpty && common.allSatisfy(isEqual)
    }
}
