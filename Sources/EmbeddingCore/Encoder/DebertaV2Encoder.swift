import WeightsKit
internal import CKernels

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
            let encoderLayer = try EncoderLayer(reader, layer: layer, epsilon: config.layerNormEps)
            try encoderLayer.check(hidden: config.hiddenSize, width: config.allHeadSize, intermediate: config.intermediateSize, layer: layer)
            layers.append(encoderLayer)
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
        let buffers = LayerBuffers(batch, input: try embed(batch).states, width: config.allHeadSize, intermediate: config.intermediateSize)
        let tables = config.relativeAttention ? relativeTables(length: batch.length) : nil
        for (index, layer) in layers.enumerated() {
            layer.project(buffers)
            attention(layer, index, buffers, batch, tables)
            layer.finish(buffers, activation: activation)
        }
        return HiddenStates(batch: batch.size, length: batch.length, states: buffers.output())
    }

    /// The c2p and p2c index tables of a sequence `length` long, as offsets into the
    /// window of relative positions they reach (never more than 2 × length − 1 rows, so
    /// short sequences project a few relative embeddings, not all 2 × span).
    private func relativeTables(length: Int) -> RelativeTables {
        let maxPosition = config.relativePositionSpan
        let c2p = RelativePositions.contentToPosition(length: length, span: span, bucketSize: config.positionBuckets, maxPosition: maxPosition)
        let p2c = RelativePositions.positionToContent(length: length, span: span, bucketSize: config.positionBuckets, maxPosition: maxPosition)
        let low = min(c2p.min() ?? 0, p2c.min() ?? 0), high = max(c2p.max() ?? 0, p2c.max() ?? 0)
        return RelativeTables(window: low..<(high + 1), contentToPosition: c2p.map { Int32($0 - low) },
                              positionToContent: p2c.map { Int32($0 - low) })
    }

    /// Disentangled attention from `buffers.projections` into `buffers.context`.
    private func attention(_ layer: EncoderLayer, _ index: Int, _ buffers: LayerBuffers, _ batch: EncoderBatch, _ tables: RelativeTables?) {
        let heads = config.numAttentionHeads
        let width = config.allHeadSize
        let d = config.attentionHeadSize
        let length = batch.length
        let stride = 3 * width
        let useC2P = tables != nil && config.posAttType.contains(.contentToPosition)
        let useP2C = tables != nil && config.posAttType.contains(.positionToContent)
        let factor = 1 + (useC2P ? 1 : 0) + (useP2C ? 1 : 0)
        let inverseScale = 1 / (Float(d) * Float(factor)).squareRoot()
        let window = tables?.window ?? 0..<0
        let positionKey = useC2P ? projectPositions(window, positionKeys[index], layer, layer.keyOutputs) : []
        let positionQuery = useP2C ? projectPositions(window, positionQueries[index], layer, layer.queryOutputs) : []
        let positions = window.count
        let relativeScores = length * positions
        let c2pIndex = tables?.contentToPosition ?? [], p2cIndex = tables?.positionToContent ?? []
        positionKey.withUnsafeBufferPointer { pk in
        positionQuery.withUnsafeBufferPointer { pq in
        c2pIndex.withUnsafeBufferPointer { c2pIndex in
        p2cIndex.withUnsafeBufferPointer { p2cIndex in
            Parallel.forEach(batch.size * heads, scratchCount: length * length + 2 * relativeScores) { unit, scratch in
                let (sequence, head) = unit.quotientAndRemainder(dividingBy: heads)
                let scores = scratch, c2pScores = scratch + length * length, p2cScores = c2pScores + relativeScores
                let query = buffers.projections + sequence * length * stride + head * d
                let key = query + width, value = query + 2 * width
                multiplyTransposed(query, rows: length, key, rows: length, inner: d, into: scores, alpha: inverseScale, lda: stride, ldb: stride)
                if useC2P {
                    multiplyTransposed(query, rows: length, pk.baseAddress! + head * d, rows: positions, inner: d,
                                       into: c2pScores, alpha: inverseScale, lda: stride, ldb: width)
                }
                if useP2C {
                    multiplyTransposed(key, rows: length, pq.baseAddress! + head * d, rows: positions, inner: d,
                                       into: p2cScores, alpha: inverseScale, lda: stride, ldb: width)
                }
                wk_disentangled_softmax(scores, length, useC2P ? c2pScores : nil, useP2C ? p2cScores : nil,
                                        c2pIndex.baseAddress, p2cIndex.baseAddress, positions, buffers.mask(sequence))
                multiply(scores, rows: length, value, columns: d, inner: length,
                         into: buffers.context + sequence * length * width + head * d, ldb: stride, ldc: width)
            }
        }}}}
    }

    /// The relative embeddings in `window` through the layer's own position projection,
    /// or its key or query (`shared`, of the stacked projections) when `share_att_key`.
    private func projectPositions(_ window: Range<Int>, _ separate: Linear?, _ layer: EncoderLayer, _ shared: Range<Int>) -> [Float] {
        guard let relativeEmbeddings, !window.isEmpty else { return [] }
        let width = config.allHeadSize
        var projected = [Float](repeating: 0, count: window.count * width)
        relativeEmbeddings.values.withUnsafeBufferPointer { embeddings in
            projected.withUnsafeMutableBufferPointer { out in
                let rows = embeddings.baseAddress! + window.lowerBound * relativeEmbeddings.columns
                if let separate {
                    separate.apply(rows, rows: window.count, into: out.baseAddress!)
                } else {
                    layer.projections.apply(rows, rows: window.count, into: out.baseAddress!, outputs: shared)
                }
            }
        }
        return projected
    }
}

/// DeBERTa's relative-position index tables for one sequence length, [length, length]
/// each, relative to `window`, the rows of the relative embeddings they reach.
struct RelativeTables {
    let window: Range<Int>
    let contentToPosition: [Int32]
    let positionToContent: [Int32]
}
