import WeightsKit

/// One way token vectors become one vector per sequence, computed as
/// sentence-transformers' `Pooling` module does (its `pooling_mode` names are the raw
/// values). Only tokens with mask 1 count; padding never does.
///
/// | mode | vector of one sequence |
/// |------|------------------------|
/// | `cls` | the first real token's vector ([CLS]) |
/// | `max` | the element-wise maximum over real tokens (−∞ when there are none) |
/// | `mean` | the sum over real tokens ÷ max(count, 1e-9) |
/// | `mean_sqrt_len_tokens` | the sum over real tokens ÷ √max(count, 1e-9) |
/// | `weightedmean` | real tokens weighted 1, 2, 3… from the first real one; sum ÷ max(Σ weights, 1e-9) |
/// | `lasttoken` | the last real token's vector (zeros when there is none) |
///
/// None normalises: that is `SentencePooling.normalize` (a Normalize module).
public enum Pooling: String, Sendable, CaseIterable, CustomStringConvertible {
    case cls, max, mean
    case meanSqrtLength = "mean_sqrt_len_tokens"
    case weightedMean = "weightedmean"
    case lastToken = "lasttoken"

    /// The mode a sentence-transformers folder names.
    public init(_ mode: SentenceTransformerConfig.PoolingMode) {
        switch mode {
        case .cls: self = .cls
        case .max: self = .max
        case .mean: self = .mean
        case .meanSqrtLength: self = .meanSqrtLength
        case .weightedMean: self = .weightedMean
        case .lastToken: self = .lastToken
        }
    }

    /// One row per sequence: [batch, hidden]; `mask` is [batch, length] (1 real, 0 padding).
    public func pooled(_ states: HiddenStates, mask: [[Int]]) -> Matrix {
        var pooled = Matrix(zeros: states.batch, states.hidden)
        for sequence in 0..<states.batch {
            let row = vector(states, sequence, mask[sequence])
            pooled.values.replaceSubrange((sequence * states.hidden)..<((sequence + 1) * states.hidden), with: row)
        }
        return pooled
    }

    public var description: String { rawValue }

    private func vector(_ states: HiddenStates, _ sequence: Int, _ mask: [Int]) -> [Float] {
        let real = mask.indices.filter { mask[$0] != 0 }
        let hidden = states.hidden
        switch self {
        case .cls:
            // argmax of the mask: the first real token, or position 0 when there is none.
            return Array(states.vector(sequence, real.first ?? 0))
        case .lastToken:
            guard let last = real.last else { return [Float](repeating: 0, count: hidden) }
            return Array(states.vector(sequence, last))
        case .max:
            var best = [Float](repeating: -.infinity, count: hidden)
            for position in real {
                for (j, value) in states.vector(sequence, position).enumerated() where value > best[j] { best[j] = value }
            }
            return best
        case .mean, .meanSqrtLength:
            var sum = [Float](repeating: 0, count: hidden)
            for position in real {
                for (j, value) in states.vector(sequence, position).enumerated() { sum[j] += value }
            }
            let count = Swift.max(Float(real.count), 1e-9)
            let denominator = self == .mean ? count : count.squareRoot()
            return sum.map { $0 / denominator }
        case .weightedMean:
            // Weights count from the first real token (left padding does not shift them).
            let first = real.first ?? 0
            var sum = [Float](repeating: 0, count: hidden)
            var weights: Float = 0
            for position in real {
                let weight = Float(position + 1 - first)
                weights += weight
                for (j, value) in states.vector(sequence, position).enumerated() { sum[j] += weight * value }
            }
            let denominator = Swift.max(weights, 1e-9)
            return sum.map { $0 / denominator }
        }
    }

    /// The mean of each sequence's token vectors over its real tokens (mask 1), then
    /// L2-normalised unless `normalize` is false (all-MiniLM-L6-v2's recipe).
    public static func meanPooled(_ states: HiddenStates, mask: [[Int]], normalize: Bool = true) -> Matrix {
        SentencePooling(modes: [.mean], normalize: normalize).pooled(states, mask: mask)
    }
}
