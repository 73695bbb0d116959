import WeightsKit

/// DeBERTa-v2/v3 (transformers' `DebertaV2Model`): disentangled attention, where each
/// score adds to content·content the content→position (c2p) and position→content (p2c)
/// terms over log-bucketed relative positions, all scaled by √(head size × (1 + number of
/// position terms)); relative embeddings optionally LayerNorm'ed (`norm_rel_ebd`) and
/// projected with the layer's own query/key (`share_att_key`) or separate projections.
/// Embeddings are multiplied by the mask, and attention masks both padded keys and
/// padded queries, as the reference does.
public struct DebertaV2Encoder: TextEncoder {
    let config: DebertaV2Config
    /// The feed-forward activation, resolved from `hidden_act` at load.
    let activation: Activation
    let words: EmbeddingTable
    public var wordEmbeddings: EmbeddingTable { words }
    let positions: EmbeddingTable?
    let tokenTypes: EmbeddingTable?
    let projection: Linear?
    let embeddingNorm: LayerNorm
    let layers: [EncoderLayer]
    /// Separate position projections per layer (when `share_att_key` is false).
    let positionKeys: [Linear?]
    let positionQueries: [Linear?]
    /// The relative embeddings after the optional LayerNorm, first 2 × span rows.
    let relativeEmbeddings: Matrix?
    let span: Int

    public var hiddenSize: Int { config.hiddenSize }

    public init(model: ModelTensors, config: DebertaV2Config) throws(EncoderError) {
        try BLAS.load()
        guard config.convKernelSize == 0 else { throw .unsupported(tensor: "conv_kernel_size", reason: "DeBERTa's convolution layer is not implemented") }
        let reader = RoleReader(model: model)
        self.config = config
        activation = try Activation(config.hiddenAct)
        words = try EmbeddingTable(reader.view(.wordEmbeddings))
        positions = config.positionBiasedInput ? try EmbeddingTable(reader.view(.positionEmbeddings)) : nil
        tokenTypes = config.typeVocabSize > 0 ? try EmbeddingTable(reader.view(.tokenTypeEmbeddings)) : nil
        projection = config.embeddingSize != config.hiddenSize ? try Linear(weight: reader.view(.embeddingProjection), bias: nil) : nil
        embeddingNorm = try reader.layerNorm({ .embeddingLayerNorm($0) }, epsilon: config.layerNormEps)
        var layers: [EncoderLayer] = []
        var positionKeys: [Linear?] = []
        var positionQueries: [Linear?] = []
        for layer in 0..<config.numHiddenLayers {
            layers.append(try EncoderLayer(reader, layer: layer, epsilon: config.layerNormEps))
            let separate = config.relativeAttention && !config.shareAttKey
            positionKeys.append(separate && config.posAttType.contains(.contentToPosition) ? try reader.linear { .positionKey(layer: layer, $0) } : nil)
            positionQueries.append(separate && config.posAttType.contains(.positionToContent) ? try reader.linear { .positionQuery(layer: layer, $0) } : nil)
        }
        self.layers = layers
        self.positionKeys = positionKeys
        self.positionQueries = positionQueries
        span = config.positionBuckets > 0 ? config.positionBuckets : config.relativePositionSpan
        if config.relativeAttention {
            let table = try reader.view(.relativeEmbeddings)
            guard let values = table.floats(), table.shape.rank == 2 else { throw .unsupported(tensor: table.name, reason: "cannot be decoded") }
            let rows = min(table.shape.dims[0], 2 * span)
            var matrix = Matrix(rows: rows, columns: table.shape.dims[1], values: Array(values[0..<(rows * table.shape.dims[1])]))
            if config.normalizesRelativeEmbeddings {
                try reader.layerNorm({ .encoderLayerNorm($0) }, epsilon: config.layerNormEps).apply(&matrix)
            }
            relativeEmbeddings = matrix
        } else {
            relativeEmbeddings = nil
        }
    }

    public func checkResources(_ batch: EncoderBatch) throws(EncoderError) {
        if let positions, batch.length > positions.rows {
            throw .badInput("sequence of \(batch.length) tokens exceeds the \(positions.rows) positions the model has")
        }
        let length = batch.length
        let positionsCount = relativeEmbeddings?.rows ?? 0
        // Scores, then c2p and p2c scores (length × positions each), per worker.
        let scratch = MemoryBudget.sum([EncoderMemory.square(length), MemoryBudget.product([2, length, positionsCount])])
        // The c2p and p2c index tables, length² Ints each.
        let tables = config.relativeAttention ? EncoderMemory.square(length).flatMap { MemoryBudget.product([2, $0, MemoryLayout<Int>.size]) } : 0
        try EncoderMemory.checkBatch(batch, hidden: max(config.hiddenSize, config.embeddingSize, config.allHeadSize),
                                     intermediate: config.intermediateSize, units: batch.size * config.numAttentionHeads,
                                     scratchPerUnit: scratch, tableBytes: tables)
    }

    public func embed(_ batch: EncoderBatch) throws(EncoderError) -> HiddenStates {
        try checkResources(batch)
        var x = Matrix(zeros: batch.size * batch.length, config.embeddingSize)
        for sequence in 0..<batch.size {
            let row = sequence * batch.length
            try words.add(batch.ids[sequence], to: &x, startingAt: row)
            if let positions { try positions.add(Array(0..<batch.length), to: &x, startingAt: row) }
            if let tokenTypes { try tokenTypes.add(batch.typeIDs[sequence], to: &x, startingAt: row) }
        }
        if let projection { x = projection(x) }
        embeddingNorm.apply(&x)
        for sequence in 0..<batch.size {
            for position in 0..<batch.length where batch.mask[sequence][position] == 0 {
                let base = (sequence * batch.length + position) * x.columns
                for j in 0..<x.columns { x.values[base + j] = 0 }
            }
        }
        return HiddenStates(batch: batch.size, length: batch.length, states: x)
    }

    public func encode(_ batch: EncoderBatch) throws(EncoderError) -> HiddenStates {
        try checkResources(batch)
        var x = try embed(batch).states
        let length = batch.length
        let maxPosition = config.relativePositionSpan
        let c2p = RelativePositions.contentToPosition(length: length, span: span, bucketSize: config.positionBuckets, maxPosition: maxPosition)
        let p2c = RelativePositions.positionToContent(length: length, span: span, bucketSize: config.positionBuckets, maxPosition: maxPosition)
        for (index, layer) in layers.enumerated() {
            let context = attention(layer, index, x, batch, c2p: c2p, p2c: p2c)
            x = layer.finish(context: context, input: x, activation: activation)
        }
        return HiddenStates(batch: batch.size, length: batch.length, states: x)
    }

    private func attention(_ layer: EncoderLayer, _ index: Int, _ x: Matrix, _ batch: EncoderBatch, c2p: [Int], p2c: [Int]) -> Matrix {
        let q = layer.query(x), k = layer.key(x), v = layer.value(x)
        let heads = config.numAttentionHeads
        let width = config.allHeadSize
        let d = config.attentionHeadSize
        let length = batch.length
        let useC2P = config.relativeAttention && config.posAttType.contains(.contentToPosition)
        let useP2C = config.relativeAttention && config.posAttType.contains(.positionToContent)
        let factor = 1 + (useC2P ? 1 : 0) + (useP2C ? 1 : 0)
        let inverseScale = 1 / (Float(d) * Float(factor)).squareRoot()
        let positionKey = useC2P ? relativeEmbeddings.map { positionKeys[index]?($0) ?? layer.key($0) } : nil
        let positionQuery = useP2C ? relativeEmbeddings.map { positionQueries[index]?($0) ?? layer.query($0) } : nil
        let positionsCount = relativeEmbeddings?.rows ?? 0

        var context = Matrix(zeros: x.rows, width)
        let pk = positionKey?.values ?? []
        let pq = positionQuery?.values ?? []
        let relativeScores = length * positionsCount
        q.values.withUnsafeBufferPointer { qp in
        k.values.withUnsafeBufferPointer { kp in
        v.values.withUnsafeBufferPointer { vp in
        pk.withUnsafeBufferPointer { pkp in
        pq.withUnsafeBufferPointer { pqp in
        context.values.withUnsafeMutableBufferPointer { cp in
            Parallel.forEach(batch.size * heads, scratchCount: length * length + 2 * relativeScores) { unit, scratch in
                let (sequence, head) = unit.quotientAndRemainder(dividingBy: heads)
                let mask = batch.mask[sequence]
                let scores = scratch, c2pScores = scratch + length * length, p2cScores = c2pScores + relativeScores
                let offset = sequence * length * width + head * d
                multiplyTransposed(qp.baseAddress! + offset, rows: length, kp.baseAddress! + offset, rows: length, inner: d,
                                   into: scores, alpha: inverseScale, lda: width, ldb: width)
                if useC2P {
                    multiplyTransposed(qp.baseAddress! + offset, rows: length, pkp.baseAddress! + head * d, rows: positionsCount, inner: d,
                                       into: c2pScores, alpha: inverseScale, lda: width, ldb: width)
                }
                if useP2C {
                    multiplyTransposed(kp.baseAddress! + offset, rows: length, pqp.baseAddress! + head * d, rows: positionsCount, inner: d,
                                       into: p2cScores, alpha: inverseScale, lda: width, ldb: width)
                }
                for i in 0..<length {
                    let row = scores + i * length
                    for j in 0..<length {
                        if useC2P { row[j] += c2pScores[i * positionsCount + c2p[i * length + j]] }
                        if useP2C { row[j] += p2cScores[j * positionsCount + p2c[i * length + j]] }
                        if mask[i] == 0 || mask[j] == 0 { row[j] = maskedScore }
                    }
                    softmaxRow(row, count: length)
                }
                multiply(scores, rows: length, vp.baseAddress! + offset, columns: d, inner: length,
                         into: cp.baseAddress! + offset, ldb: width, ldc: width)
            }
        }}}}}}
        return context
    }
}
