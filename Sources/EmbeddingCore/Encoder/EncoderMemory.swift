import WeightsKit

/// What running an encoder costs in memory, checked against `MemoryBudget` before anything
/// is allocated: the weights it dequantizes at load, and the activations, attention scores
/// and relative-position tables of a batch.
enum EncoderMemory {
    /// F32 copies made at load: every tensor of the model except the embedding tables,
    /// which are read a row at a time.
    static func checkLoad(_ model: ModelTensors) throws(EncoderError) {
        let lazy: Set<TensorRole> = [.wordEmbeddings, .positionEmbeddings, .tokenTypeEmbeddings]
        var terms: [Int?] = []
        for expected in model.schema.tensors where !lazy.contains(expected.role) {
            guard let info = model.info(expected.role) else { continue }
            terms.append(MemoryBudget.product([info.elementCount, MemoryLayout<Float>.size]))
        }
        try check("loading the model's weights as F32", bytes: MemoryBudget.sum(terms))
    }

    /// Activations of `batch` through layers `hidden` wide with an `intermediate` feed-forward,
    /// plus per-worker attention scratch of `scratchPerUnit` floats for `units` (sequence,
    /// head) pairs, plus `tableBytes` of index tables.
    static func checkBatch(_ batch: EncoderBatch, hidden: Int, intermediate: Int, units: Int,
                           scratchPerUnit: Int?, tableBytes: Int? = 0) throws(EncoderError) {
        let tokens = batch.size * batch.length
        let float = MemoryLayout<Float>.size
        // LayerBuffers (the layer input, query | key | value, context, the attention block's
        // output, the feed-forward) plus the embeddings and the output matrix around them.
        let activations = MemoryBudget.product([tokens, float]).flatMap { perToken in
            MemoryBudget.sum([MemoryBudget.product([7, hidden]), intermediate]).flatMap { MemoryBudget.product([perToken, $0]) }
        }
        let workers = max(1, min(Parallel.limit ?? Parallel.cores, units))
        let scratch = scratchPerUnit.flatMap { MemoryBudget.product([workers, $0, float]) }
        try check("embedding \(tokens) tokens", bytes: MemoryBudget.sum([activations, scratch, tableBytes]))
    }

    /// length × length, or nil when it overflows.
    static func square(_ length: Int) -> Int? { MemoryBudget.product([length, length]) }

    private static func check(_ purpose: String, bytes: Int?) throws(EncoderError) {
        do {
            try MemoryBudget.check(purpose, bytes: bytes)
        } catch {
            throw .badInput(error.description)
        }
    }
}
