import WeightsKit

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

    private init(weight: [Float], bias: [Float]?, inputs: Int, outputs: Int) {
        self.weight = weight
        self.bias = bias
        self.inputs = inputs
        self.outputs = outputs
    }

    /// Several layers over the same input as one: their weights stacked, outputs side by
    /// side (query, key and value become one product three times as wide).
    static func stacked(_ parts: [Linear]) -> Linear {
        precondition(!parts.isEmpty && parts.allSatisfy { $0.inputs == parts[0].inputs })
        let bias: [Float]? = parts.contains { $0.bias != nil }
            ? parts.flatMap { $0.bias ?? [Float](repeating: 0, count: $0.outputs) } : nil
        return Linear(weight: parts.flatMap(\.weight), bias: bias, inputs: parts[0].inputs, outputs: parts.reduce(0) { $0 + $1.outputs })
    }

    /// y = x·Wᵀ (+ b when `addingBias`) for `rows` rows; y has `outputs` columns.
    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, addingBias: Bool = true) {
        apply(x, rows: rows, into: y, outputs: 0..<outputs, addingBias: addingBias)
    }

    /// y = x·W[part]ᵀ (+ b[part]): only the outputs in `part` (one of several stacked
    /// layers), y `part.count` wide. Rows are split over the cores, each part one
    /// single-threaded sgemm.
    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, outputs part: Range<Int>, addingBias: Bool = true) {
        precondition(part.lowerBound >= 0 && part.upperBound <= outputs)
        let width = part.count
        let bias = addingBias ? self.bias : nil
        if let bias {
            bias.withUnsafeBufferPointer { b in
                for row in 0..<rows { (y + row * width).update(from: b.baseAddress! + part.lowerBound, count: width) }
            }
        }
        let inputs = self.inputs
        let beta: Float = bias == nil ? 0 : 1
        weight.withUnsafeBufferPointer { w in
            let (a, w, c) = (UncheckedSendable(x), UncheckedSendable(w.baseAddress! + part.lowerBound * inputs), UncheckedSendable(y))
            Parallel.chunks(rows, minimum: 8) { range in
                multiplyTransposed(a.value + range.lowerBound * inputs, rows: range.count, w.value, rows: width, inner: inputs,
                                   into: c.value + range.lowerBound * width, beta: beta)
            }
        }
    }

    func callAsFunction(_ x: Matrix) -> Matrix {
        precondition(x.columns == inputs)
        var y = Matrix(zeros: x.rows, outputs)
        x.values.withUnsafeBufferPointer { a in
            y.values.withUnsafeMutableBufferPointer { c in apply(a.baseAddress!, rows: x.rows, into: c.baseAddress!) }
        }
        return y
    }
}
