/// A row-major F32 matrix: the activations flowing through an encoder.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    public var values: [Float]

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns)
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public init(zeros rows: Int, _ columns: Int) {
        self.init(rows: rows, columns: columns, values: [Float](repeating: 0, count: rows * columns))
    }

    public func row(_ index: Int) -> ArraySlice<Float> {
        values[(index * columns)..<((index + 1) * columns)]
    }
}

/// C = alpha · A · Bᵀ (+ beta · C), with A [m, k], B [n, k] row-major: the shape of every
/// linear layer (weights are stored [out, in]) and of attention scores.
func multiplyTransposed(_ a: UnsafePointer<Float>, rows m: Int, _ b: UnsafePointer<Float>, rows n: Int, inner k: Int,
                        into c: UnsafeMutablePointer<Float>, alpha: Float = 1, beta: Float = 0, lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil) {
    BLAS.sgemm(transposeB: true, m: m, n: n, k: k, alpha: alpha, a, lda: lda ?? k, b, ldb: ldb ?? k, beta: beta, c, ldc: ldc ?? n)
}

/// C = A · B, with A [m, k], B [k, n] row-major (attention probabilities times values).
func multiply(_ a: UnsafePointer<Float>, rows m: Int, _ b: UnsafePointer<Float>, columns n: Int, inner k: Int,
              into c: UnsafeMutablePointer<Float>, lda: Int? = nil, ldb: Int? = nil, ldc: Int? = nil) {
    BLAS.sgemm(transposeB: false, m: m, n: n, k: k, alpha: 1, a, lda: lda ?? k, b, ldb: ldb ?? n, beta: 0, c, ldc: ldc ?? n)
}

/// How many cores the encoder uses (benchmarks match PyTorch's thread count with it).
public func setMatrixThreads(_ count: Int) {
    _ = Parallel.cores
    Parallel.limit = max(1, count)
}
