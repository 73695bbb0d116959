internal import CKernels

/// What a conversion did to a tensor's values: the original against the values the
/// converted tensor gives back, over finite pairs; pairs holding a NaN or an infinity are
/// counted instead (`nonFinite`), and those whose class changed (finite, NaN, +inf, -inf:
/// an overflow to infinity, a row of Int8 turned to NaN by one infinity) are errors no
/// sum shows (`classChanged`).
///
/// SNR is 10·log10(Σx² / Σ(x'−x)²) in dB (infinite when no finite value changed); cosine is
/// x·x' / (|x||x'|), 1 for identical tensors (and for two all-zero tensors).
public struct ErrorStatistics: Sendable, Equatable {
    public private(set) var count = 0
    private(set) var sumSquaredError = 0.0
    private(set) var sumSquaredReference = 0.0
    private(set) var sumSquaredApproximation = 0.0
    private(set) var dot = 0.0
    public private(set) var maxAbsoluteError = 0.0
    /// Elements whose bits differ (NaN payloads included).
    public private(set) var differing = 0
    /// Pairs where either value is NaN or infinite (left out of the sums).
    public private(set) var nonFinite = 0
    /// Pairs whose class differs: finite against NaN or infinite, NaN against infinite, +inf against -inf.
    public private(set) var classChanged = 0
    /// Original values that are NaN or infinite.
    public private(set) var nonFiniteInputs = 0

    public init() {}

    public mutating func add(reference: UnsafeBufferPointer<Float>, approximation: UnsafeBufferPointer<Float>) {
        precondition(reference.count == approximation.count)
        guard let r = reference.baseAddress, let a = approximation.baseAddress else { return }
        accumulate(count: reference.count) { wk_error_sums(r, a, reference.count, $0) }
    }

    /// Adds `count` pairs summed by a C kernel that adds to the nine running sums
    /// `wk_error_sums` keeps (Sources/CKernels/include/CKernels.h).
    mutating func accumulate(count: Int, _ kernel: (UnsafeMutablePointer<Double>) -> Void) {
        var sums = [sumSquaredError, sumSquaredReference, sumSquaredApproximation, dot, maxAbsoluteError]
            + [Double](repeating: 0, count: Int(WK_ERROR_SUM_COUNT) - 5)
        sums.withUnsafeMutableBufferPointer { kernel($0.baseAddress!) }
        sumSquaredError = sums[0]
        sumSquaredReference = sums[1]
        sumSquaredApproximation = sums[2]
        dot = sums[3]
        maxAbsoluteError = sums[4]
        differing += Int(sums[5])
        nonFinite += Int(sums[6])
        classChanged += Int(sums[7])
        nonFiniteInputs += Int(sums[8])
        self.count += count
    }

    mutating func merge(_ other: ErrorStatistics) {
        count += other.count
        sumSquaredError += other.sumSquaredError
        sumSquaredReference += other.sumSquaredReference
        sumSquaredApproximation += other.sumSquaredApproximation
        dot += other.dot
        maxAbsoluteError = max(maxAbsoluteError, other.maxAbsoluteError)
        differing += other.differing
        nonFinite += other.nonFinite
        classChanged += other.classChanged
        nonFiniteInputs += other.nonFiniteInputs
    }

    public var rootMeanSquareError: Double {
        let finite = count - nonFinite
        return finite == 0 ? 0 : (sumSquaredError / Double(finite)).squareRoot()
    }

    public var signalToNoiseDecibels: Double {
        if sumSquaredError == 0 { return .infinity }
        if sumSquaredReference == 0 { return -.infinity }
        return 10 * (sumSquaredReference / sumSquaredError).log10
    }

    public var cosineSimilarity: Double {
        let norms = (sumSquaredReference * sumSquaredApproximation).squareRoot()
        if norms == 0 { return sumSquaredReference == sumSquaredApproximation ? 1 : 0 }
        return dot / norms
    }
}

extension Double {
    fileprivate var log10: Double {
        // The stdlib has no logarithm; the C library's, through CKernels.
        wk_log10(self)
    }
}
