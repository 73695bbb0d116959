import WeightsKit
internal import CKernels

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
        self.init(gamma: gamma, beta: beta, epsilon: Float(epsilon))
    }

    init(gamma: [Float], beta: [Float], epsilon: Float) {
        self.gamma = gamma
        self.beta = beta
        self.epsilon = epsilon
    }

    /// Normalises each row of `x` in place.
    func apply(_ x: inout Matrix) {
        let columns = x.columns
        x.values.withUnsafeMutableBufferPointer { values in
            apply(values.baseAddress!, rows: x.rows, columns: columns, adding: nil, bias: nil)
        }
    }

    /// x = LayerNorm(x + bias + residual) over `rows` rows, in one fused pass per row
    /// (CKernels' `wk_add_layer_norm`), rows split over the cores. `residual` has the
    /// shape of x; `bias` is one row.
    func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int, adding residual: UnsafePointer<Float>?, bias: [Float]?) {
        precondition(columns == gamma.count)
        let (x, residual) = (UncheckedSendable(x), UncheckedSendable(residual))
        gamma.withUnsafeBufferPointer { gamma in
            beta.withUnsafeBufferPointer { beta in
                withOptionalPointer(bias) { bias in
                    let (gamma, beta, bias) = (UncheckedSendable(gamma.baseAddress!), UncheckedSendable(beta.baseAddress!), UncheckedSendable(bias))
                    Parallel.chunks(rows, minimum: 16) { part in
                        let offset = part.lowerBound * columns
                        wk_add_layer_norm(x.value + offset, residual.value.map { $0 + offset }, bias.value, part.count, columns,
                                          gamma.value, beta.value, epsilon)
                    }
                }
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

    /// x = activation(x + bias) over `rows` rows of `columns`, split over the cores.
    /// GELU is torch's default (the erf form): x · ½ · (1 + erf(x / √2)), with a vectorised
    /// erf accurate to 3e-7 (CKernels' `wk_bias_gelu`).
    func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: [Float]?) {
        let x = UncheckedSendable(x)
        withOptionalPointer(bias) { bias in
            let bias = UncheckedSendable(bias)
            switch self {
            case .gelu:
                Parallel.chunks(rows, minimum: 8) { part in wk_bias_gelu(x.value + part.lowerBound * columns, bias.value, part.count, columns) }
            }
        }
    }
}

/// Calls `body` with a pointer to `values`' storage, or nil when there are none.
func withOptionalPointer<R>(_ values: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let values else { return body(nil) }
    return values.withUnsafeBufferPointer { body($0.baseAddress) }
}

public enum EncoderError: Error, CustomStringConvertible, Equatable {
    case unsupported(tensor: String, reason: String)
    case badInput(String)
    /// The BLAS library could not be loaded (see `BLAS.load`).
    case blasUnavailable(String)
    /// An output holds NaN or infinite values (`count` of `total`; `first` says where the
    /// first is): the weights or the config give no finite answer.
    case nonFiniteOutput(output: String, count: Int, total: Int, first: String)

    public var description: String {
        switch self {
        case let .unsupported(tensor, reason): "\(tensor): \(reason)"
        case let .badInput(reason): reason
        case let .blasUnavailable(reason): reason
        case let .nonFiniteOutput(output, count, total, first):
            "\(output): \(count) of \(total) values are NaN or infinite (the first at \(first)); "
                + "the weights or the config (layer_norm_eps?) give no finite answer [non-finite-output]"
        }
    }
}
