/// The activations of one batch on its way through the layers, allocated once per
/// `encode` and reused by every layer, with the batch's attention mask as bytes.
final class LayerBuffers {
    let tokens: Int
    let length: Int
    /// The width of `hidden` and `attention`: the model's hidden size.
    let columns: Int
    /// A layer's input, then its output: [tokens, hidden].
    let hidden: UnsafeMutablePointer<Float>
    /// Query, key and value side by side: [tokens, 3 × width].
    let projections: UnsafeMutablePointer<Float>
    /// Attention's output before its dense layer: [tokens, width].
    let context: UnsafeMutablePointer<Float>
    /// The attention block's output (after its LayerNorm): [tokens, hidden].
    let attention: UnsafeMutablePointer<Float>
    /// The feed-forward block's inner activations: [tokens, intermediate].
    let intermediate: UnsafeMutablePointer<Float>
    /// 1 for a real token, 0 for padding: [batch, length].
    private let keep: UnsafeMutablePointer<UInt8>
    private let padded: [Bool]

    /// Buffers for `input` (the embeddings of `batch`, copied into `hidden`).
    init(_ batch: EncoderBatch, input: Matrix, width: Int, intermediate: Int) {
        let tokens = batch.size * batch.length, length = batch.length
        self.tokens = tokens
        self.length = length
        columns = input.columns
        precondition(input.rows == tokens)
        let buffers = [input.columns, 3 * width, width, input.columns, intermediate].map { columns in
            let count = tokens * columns
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
            buffer.initialize(repeating: 0, count: count)
            return buffer
        }
        (hidden, projections, context, attention, self.intermediate) = (buffers[0], buffers[1], buffers[2], buffers[3], buffers[4])
        let keep = UnsafeMutablePointer<UInt8>.allocate(capacity: max(tokens, 1))
        for (sequence, mask) in batch.mask.enumerated() {
            for (position, value) in mask.enumerated() { keep[sequence * length + position] = value == 0 ? 0 : 1 }
        }
        self.keep = keep
        padded = batch.mask.map { $0.contains(0) }
        input.values.withUnsafeBufferPointer { hidden.update(from: $0.baseAddress!, count: $0.count) }
    }

    deinit {
        for buffer in [hidden, projections, context, attention, intermediate] { buffer.deallocate() }
        keep.deallocate()
    }

    /// The mask of `sequence`'s tokens, or nil when none of them is padding.
    func mask(_ sequence: Int) -> UnsafePointer<UInt8>? {
        padded[sequence] ? UnsafePointer(keep + sequence * length) : nil
    }

    /// The last layer's output as a matrix [tokens, hidden].
    func output() -> Matrix {
        Matrix(rows: tokens, columns: columns, values: Array(UnsafeBufferPointer(start: hidden, count: tokens * columns)))
    }
}
