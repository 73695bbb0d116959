import WeightsKit

/// Token vectors to one sentence embedding, as a sentence-transformers folder's Pooling and
/// Normalize modules do: each mode's vector, concatenated in order ([batch, modes × hidden]),
/// then L2-normalised when `normalize` (x ÷ max(‖x‖, 1e-12), `torch.nn.functional.normalize`).
///
/// ```swift
/// let folder = try ModelLocation("all-MiniLM-L6-v2").sentenceTransformerConfig()
/// let pooling = folder.flatMap(SentencePooling.init)   // mean, normalised
/// let embeddings = pooling?.pooled(states, mask: batch.mask)
/// ```
public struct SentencePooling: Sendable, Equatable, CustomStringConvertible {
    public var modes: [Pooling]
    public var normalize: Bool

    public init(modes: [Pooling], normalize: Bool) {
        self.modes = modes
        self.normalize = normalize
    }

    /// What the folder's modules do; nil when it lists no Pooling module.
    public init?(_ folder: SentenceTransformerConfig) {
        guard !folder.pooling.isEmpty else { return nil }
        self.init(modes: folder.pooling.map(Pooling.init), normalize: folder.normalize)
    }

    /// [batch, modes.count × hidden].
    public func pooled(_ states: HiddenStates, mask: [[Int]]) -> Matrix {
        let parts = modes.map { $0.pooled(states, mask: mask) }
        let width = states.hidden * modes.count
        var values: [Float] = []
        values.reserveCapacity(states.batch * width)
        for sequence in 0..<states.batch {
            var vector = parts.flatMap { $0.row(sequence) }
            if normalize {
                let norm = Swift.max(vector.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
                vector = vector.map { $0 / norm }
            }
            values += vector
        }
        return Matrix(rows: states.batch, columns: width, values: values)
    }

    /// "mean, L2-normalised"; "cls + max + mean" for several modes.
    public var description: String {
        modes.map(\.rawValue).joined(separator: " + ") + (normalize ? ", L2-normalised" : "")
    }
}
