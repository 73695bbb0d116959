import WeightsKit
internal import CKernels

/// A linear layer y = x·Wᵀ + b, its weight dequantized to F32 once at load.
struct Linear: Sendable {
    let weight: [Float]  // [out, in]
    let bias: [Float]?
    let inputs: Int
    let outputs: Int

    init(weight: TensorView, bias: TensorView?) throws(EncoderError) {
        guard weight.shape.rank == 2, let values = weight.floats() else { throw .unsupported(tensor: weight.name, reason: "not a decodable matrix") }
        self.weight = values
        outputs = weight.shape.dims[0]
        inputs = weight.shape.dims[1]
        self.bias = try bias.map { view throws(EncoderError) in
            guard let values = view.floats(), values.count == weight.shape.dims[0] else {
                throw .unsupported(tensor: view.name, reason: "bias does not match the weight")
            }
            return values
        }
    }

    /// Rows are split over the cores, each part one single-threaded sgemm: on small
    /// machines this beats the BLAS's own threads (OpenBLAS's), whose idle spinning competes with the
    /// encoder's other parallel work.
    func callAsFunction(_ x: Matrix) -> Matrix {
        precondition(x.columns == inputs)
        var y = Matrix(zeros: x.rows, outputs)
        if let bias {
            for row in 0..<x.rows { y.values.replaceSubrange((row * outputs)..<((row + 1) * outputs), with: bias) }
        }
        let (inputs, outputs) = (self.inputs, self.outputs)
        let beta: Float = bias == nil ? 0 : 1
        x.values.withUnsafeBufferPointer { a in
            weight.withUnsafeBufferPointer { w in
                y.values.withUnsafeMutableBufferPointer { c in
                    let (a, w, c) = (UncheckedSendable(a.baseAddress!), UncheckedSendable(w.baseAddress!), UncheckedSendable(c.baseAddress!))
                    Parallel.chunks(x.rows, minimum: 8) { rows in
                        multiplyTransposed(a.value + rows.lowerBound * inputs, rows: rows.count, w.value, rows: outputs, inner: inputs,
                                           into: c.value + rows.lowerBound * outputs, beta: beta)
                    }
                }
            }
        }
        return y
    }
}

/// LayerNorm over the last dimension: (x − mean) / sqrt(var + eps) · γ + β, biased variance,
/// as torch computes it (in F32).
struct LayerNorm: Sendable {
    let gamma: [Float]
    let beta: [Float]
    let epsilon: Float

    init(weight: TensorView, bias: TensorView, epsilon: Double) throws(EncoderError) {
        guard let gamma = weight.floats(), let beta = bias.floats(), gamma.count == beta.count else {
            throw .unsupported(tensor: weight.name, reason: "LayerNorm parameters do not decode or do not match")
        }
        self.gamma = gamma
        self.beta = beta
        self.epsilon = Float(epsilon)
    }

    func apply(_ x: inout Matrix) {
        let n = x.columns
        x.values.withUnsafeMutableBufferPointer { values in
            for row in 0..<x.rows {
                let base = row * n
                var mean: Float = 0
                for j in 0..<n { mean += values[base + j] }
                mean /= Float(n)
                var variance: Float = 0
                for j in 0..<n {
                    let d = values[base + j] - mean
                    variance += d * d
                }
                variance /= Float(n)
                let inverse = 1 / (variance + epsilon).squareRoot()
                for j in 0..<n { values[base + j] = (values[base + j] - mean) * inverse * gamma[j] + beta[j] }
            }
        }
    }
}

/// The activations this encoder can run, resolved from the config's once at load.
enum Activation: Sendable {
    case gelu

    /// Fails for an activation transformers knows but this encoder does not implement.
    init(_ function: ActivationFunction) throws(EncoderError) {
        switch function {
        case .gelu: self = .gelu
        default: throw .unsupported(tensor: "hidden_act", reason: "activation \"\(function)\" is not implemented (gelu is)")
        }
    }

    func apply(to x: inout Matrix) {
        switch self {
        case .gelu: Activation.gelu(&x)
        }
    }

    /// GELU as torch's default (the erf form): x · ½ · (1 + erf(x / √2)), with a
    /// vectorised erf accurate to 3e-7 (CKernels' `wk_gelu`), split over the cores.
    static func gelu(_ x: inout Matrix) {
        x.values.withUnsafeMutableBufferPointer { values in
            let base = UncheckedSendable(values.baseAddress!)
            Parallel.chunks(values.count) { range in wk_gelu(base.value + range.lowerBound, range.count) }
        }
    }
}

/// Softmax over each row of `count` values starting at `base`, in place.
func softmaxRow(_ values: UnsafeMutablePointer<Float>, count: Int) {
    var maximum = -Float.infinity
    for j in 0..<count { maximum = max(maximum, values[j]) }
    var sum: Float = 0
    for j in 0..<count {
        let e = System.exp(values[j] - maximum)
        values[j] = e
        sum += e
    }
    let inverse = 1 / sum
    for j in 0..<count { values[j] *= inverse }
}

func add(_ x: inout Matrix, _ y: Matrix) {
    precondition(x.values.count == y.values.count)
    x.values.withUnsafeMutableBufferPointer { a in
        y.values.withUnsafeBufferPointer { b in
            for index in a.indices { a[index] += b[index] }
        }
    }
}

public enum EncoderError: Error, CustomStringConvertible, Equatable {
    case unsupported(tensor: String, reason: String)
    case badInput(String)
    /// The BLAS library could not be loaded (see `BLAS.load`).
    case blasUnavailable(String)

    public var description: String {
        switch self {
        case let .unsupported(tensor, reason): "\(tensor): \(reason)"
        case let .badInput(reason): reason
        case let .blasUnavailable(reason): reason
        }
    }
}
