/// How token vectors become one sentence embedding per sequence.
public enum Pooling: String, Sendable, CaseIterable, CustomStringConvertible {
    /// As sentence-transformers does for all-MiniLM-L6-v2: the mean of each sequence's
    /// token vectors over its real tokens (mask 1), then L2-normalised.
    case mean

    /// One row per sequence: [batch, hidden].
    public func pooled(_ states: HiddenStates, mask: [[Int]]) -> Matrix {
        switch self {
        case .mean: Pooling.meanPooled(states, mask: mask)
        }
    }

    public var description: String { rawValue }

    /// The mean of each sequence's token vectors over its real tokens (mask 1), then
    /// L2-normalised unless `normalize` is false.
    public static func meanPooled(_ states: HiddenStates, mask: [[Int]], normalize: Bool = true) -> Matrix {
        var pooled = Matrix(zeros: states.batch, states.hidden)
        for sequence in 0..<states.batch {
            let count = mask[sequence].reduce(0, +)
            guard count > 0 else { continue }
            var sum = [Float](repeating: 0, count: states.hidden)
            for position in 0..<states.length where mask[sequence][position] != 0 {
                for (j, value) in states.vector(sequence, position).enumerated() { sum[j] += value }
            }
            var vector = sum.map { $0 / Float(count) }
            if normalize {
                let norm = max(vector.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
                vector = vector.map { $0 / norm }
            }
            pooled.values.replaceSubrange((sequence * states.hidden)..<((sequence + 1) * states.hidden), with: vector)
        }
        return pooled
    }
}
