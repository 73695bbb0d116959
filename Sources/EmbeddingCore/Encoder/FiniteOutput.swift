/// Checks that an encoder's outputs are finite before anyone reads them as vectors: a
/// NaN from a damaged weight or a degenerate config spreads through every later layer, and
/// `embed` must not print or write it as a result.
extension HiddenStates {
    /// Throws `.nonFiniteOutput` naming `output` and the first token holding a NaN or infinity.
    public func requireFinite(_ output: String) throws(EncoderError) {
        guard let (count, index) = FiniteOutput.firstNonFinite(states.values) else { return }
        let row = index / max(hidden, 1)
        throw .nonFiniteOutput(output: output, count: count, total: states.values.count,
                               first: "sequence \(row / max(length, 1)), position \(row % max(length, 1))")
    }
}

extension Matrix {
    /// Throws `.nonFiniteOutput` naming `output` and the first row (one per sequence) holding a NaN or infinity.
    public func requireFinite(_ output: String) throws(EncoderError) {
        guard let (count, index) = FiniteOutput.firstNonFinite(values) else { return }
        throw .nonFiniteOutput(output: output, count: count, total: values.count, first: "sequence \(index / max(columns, 1))")
    }
}

enum FiniteOutput {
    /// How many of `values` are NaN or infinite and where the first is; nil when none is.
    static func firstNonFinite(_ values: [Float]) -> (count: Int, index: Int)? {
        var count = 0
        var first = -1
        for (index, value) in values.enumerated() where !value.isFinite {
            if first < 0 { first = index }
            count += 1
        }
        return first < 0 ? nil : (count, first)
    }
}
