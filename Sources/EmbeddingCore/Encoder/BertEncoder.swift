import WeightsKit
internal import CKernels

/// BERT (transformers' `BertModel` without the pooler): word + position + token-type
/// embeddings, LayerNorm, then layers of multi-head self-attention and a GELU
/// feed-forward block, each followed by residual + LayerNorm. Padding keys are masked.
public struct BertEncoder: TextEncoder {
    let config: BertConfig
    /// The feed-forward activation, resolved from `hidden_act` at load.
    let activation: Activation
    let words: EmbeddingTable
    public var wordEmbeddings: EmbeddingTable { words }
    let positions: EmbeddingTable
    let tokenTypes: EmbeddingTable?
    let embeddingNorm: LayerNorm
    let layers: [EncoderLayer]

    public var hiddenSize: Int { config.hiddenSize }

    public init(model: ModelTensors, config: BertConfig) throws(EncoderError) {
        try BLAS.load()
        let reader = RoleReader(model: model)
        self.config = config
        activation = try Activation(config.hiddenAct)
        words = try EmbeddingTable(reader.view(.wordEmbeddings))
        positions = try EmbeddingTable(reader.view(.positionEmbeddings))
        tokenTypes = try reader.optional(.tokenTypeEmbeddings).map { view throws(EncoderError) in try EmbeddingTable(view) }
        embeddingNorm = try reader.layerNorm({ .embeddingLayerNorm($0) }, epsilon: config.layerNormEps)
        var layers: [EncoderLayer] = []
        for index in 0..<config.numHiddenLayers {
            let layer = try EncoderLayer(reader, layer: index, epsilon: config.layerNormEps)
            try layer.check(hidden: config.hiddenSize, width: config.hiddenSize, intermediate: config.intermediateSize, layer: index)
            layers.append(layer)
        }
        self.layers = layers
    }

    public func checkResources(_ batch: EncoderBatch) throws(EncoderError) {
        guard batch.length <= positions.rows else { throw .badInput("sequence of \(batch.length) tokens exceeds the \(positions.rows) positions the model has") }
        try EncoderMemory.checkBatch(batch, hidden: config.hiddenSize, intermediate: config.intermediateSize,
                                     units: batch.size * config.numAttentionHeads, scratchPerUnit: EncoderMemory.square(batch.length))
    }

    public func embed(_ batch: EncoderBatch) throws(EncoderError) -> HiddenStates {
        try checkResources(batch)
        var x = Matrix(zeros: batch.size * batch.length, config.hiddenSize)
        for sequence in 0..<batch.size {
            let row = sequence * batch.length
            try words.add(batch.ids[sequence], to: &x, startingAt: row)
            try positions.add(Array(0..<batch.length), to: &x, startingAt: row)
            if let tokenTypes { try tokenTypes.add(batch.typeIDs[sequence], to: &x, startingAt: row) }
        }
        embeddingNorm.apply(&x)
        return HiddenStates(batch: batch.size, length: batch.length, states: x)
    }

    public func encode(_ batch: EncoderBatch) throws(EncoderError) -> HiddenStates {
        try checkResources(batch)
        let buffers = LayerBuffers(batch, input: try embed(batch).states, width: config.hiddenSize, intermediate: config.intermediateSize)
        for layer in layers {
            layer.project(buffers)
            attention(buffers, batch)
            layer.finish(buffers, activation: activation)
        }
        return HiddenStates(batch: batch.size, length: batch.length, states: buffers.output())
    }

    /// Multi-head attention from `buffers.projections` into `buffers.context`: per
    /// (sequence, head), scores = Q·Kᵀ/√d, padded keys masked, softmax, times V.
    private func attention(_ buffers: LayerBuffers, _ batch: EncoderBatch) {
        let heads = config.numAttentionHeads
        let width = config.hiddenSize
        let d = width / heads
        let length = batch.length
        let stride = 3 * width
        let scale = 1 / Float(d).squareRoot()
        Parallel.forEach(batch.size * heads, scratchCount: length * length) { unit, scores in
            let (sequence, head) = unit.quotientAndRemainder(dividingBy: heads)
            let query = buffers.projections + sequence * length * stride + head * d
            let key = query + width, value = query + 2 * width
            multiplyTransposed(query, rows: length, key, rows: length, inner: d, into: scores, alpha: scale, lda: stride, ldb: stride)
            let keep = buffers.mask(sequence)
            for i in 0..<length { wk_softmax_masked(scores + i * length, length, keep, 1) }
            multiply(scores, rows: length, value, columns: d, inner: length,
                     into: buffers.context + sequence * length * width + head * d, ldb: stride, ldc: width)
        }
    }
}
