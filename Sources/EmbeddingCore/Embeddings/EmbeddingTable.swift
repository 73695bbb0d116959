import WeightsKit

/// A [vocabulary, hidden] lookup table over any stored encoding (F32, F16, BF16, Int8 per
/// row, Q8_0), left memory-mapped: a lookup dequantizes only the rows it reads, so an
/// Int8 table of 128k × 384 stays a quarter of its F32 size in memory.
public struct EmbeddingTable: Sendable {
    public let view: TensorView
    public let rows: Int
    public let columns: Int

    public init(_ view: TensorView) throws(EncoderError) {
        guard view.shape.rank == 2 else { throw .unsupported(tensor: view.name, reason: "an embedding table must be 2-D, shape is \(view.shape)") }
        self.view = view
        rows = view.shape.dims[0]
        columns = view.shape.dims[1]
    }

    /// The vector for `id`.
    public func vector(_ id: Int) throws(EncoderError) -> [Float] {
        guard id >= 0, id < rows else { throw .badInput("token id \(id) is outside the vocabulary of \(rows)") }
        guard let values = view.floats(elements: (id * columns)..<((id + 1) * columns)) else {
            throw .unsupported(tensor: view.name, reason: "\(view.dtype.name) values cannot be decoded")
        }
        return values
    }

    /// Adds the vectors for `ids` to consecutive rows of `x` starting at `row`.
    func add(_ ids: [Int], to x: inout Matrix, startingAt row: Int) throws(EncoderError) {
        for (offset, id) in ids.enumerated() {
            let values = try vector(id)
            let base = (row + offset) * columns
            for j in 0..<columns { x.values[base + j] += values[j] }
        }
    }
}
