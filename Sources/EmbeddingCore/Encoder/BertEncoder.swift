import WeightsKit

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
        for layer in 0..<config.numHiddenLayers { layers.append(try EncoderLayer(reader, layer: layer, epsilon: config.layerNormEps)) }
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
        var x = try embed(batch).states
        for layer in layers {
            let context = attention(layer, x, batch)
            x = layer.finish(context: context, input: x, activation: activation)
        }
        return HiddenStates(batch: batch.size, length: batch.length, states: x)
    }

    private func attention(_ layer: EncoderLayer, _ x: Matrix, _ batch: EncoderBatch) -> Matrix {
        let q = layer.query(x), k = layer.key(x), v = layer.value(x)
        let heads = config.numAttentionHeads
        let hidden = config.hiddenSize
        let d = hidden / heads
        let length = batch.length
        let scale = 1 / Float(d).squareRoot()
        var context = Matrix(zeros: x.rows, hidden)
        q.values.withUnsafeBufferPointer { qp in
            k.values.withUnsafeBufferPointer { kp in
                v.values.withUnsafeBufferPointer { vp in
                    context.values.withUnsafeMutableBufferPointer { cp in
                        Parallel.forEach(batch.size * heads, scratchCount: length * length) { unit, scores in
                            let (sequence, head) = unit.quotientAndRemainder(dividingBy: heads)
                            let mask = batch.mask[sequence]
                            let offset = sequence * length * hidden + head * d
                            multiplyTransposed(qp.baseAddress! + offset, rows: length, kp.baseAddress! + offset, rows: length, inner: d,
                                               into: scores, alpha: scale, lda: hidden, ldb: hidden)
                            for i in 0..<length {
                                for j in 0..<length where mask[j] == 0 { scores[i * length + j] = maskedScore }
                                softmaxRow(scores + i * length, count: length)
                            }
                            multiply(scores, rows: length, vp.baseAddress! + offset, columns: d, inner: length,
                                     into: cp.baseAddress! + offset, ldb: hidden, ldc: hidden)
                        }
                    }
                }
            }
        }
        return context
    }
}
