extension DebertaV2Config {
    /// The tensors of transformers' `DebertaV2Model` for this config (modeling_deberta_v2.py):
    /// which embeddings exist, the relative-position table and its LayerNorm, the separate
    /// position projections when keys are not shared, and the optional convolution.
    public var schema: ModelSchema {
        let hidden = hiddenSize
        let width = embeddingSize
        var builder = SchemaBuilder()
        builder.embedding("embeddings.word_embeddings", role: .wordEmbeddings, rows: vocabSize, columns: width)
        // Without position_biased_input there is no table, but transformers ignores one in a
        // checkpoint (_keys_to_ignore_on_load_unexpected), so it is tolerated.
        builder.embedding("embeddings.position_embeddings", role: .positionEmbeddings, rows: maxPositionEmbeddings, columns: width,
                          presence: positionBiasedInput ? .required : .tolerated)
        if typeVocabSize > 0 {
            builder.embedding("embeddings.token_type_embeddings", role: .tokenTypeEmbeddings, rows: typeVocabSize, columns: width)
        }
        if width != hidden {
            builder.linear("embeddings.embed_proj", role: { _ in .embeddingProjection }, out: hidden, in: width, bias: false)
        }
        builder.layerNorm("embeddings.LayerNorm", role: { .embeddingLayerNorm($0) }, size: hidden)
        builder.buffer("embeddings.position_ids", role: .positionIDs, shape: [1, maxPositionEmbeddings])

        let heads = allHeadSize
        let separatePositionProjections = relativeAttention && !shareAttKey
        for layer in 0..<numHiddenLayers {
            let base = "encoder.layer.\(layer).attention.self."
            builder.linear(base + "query_proj", role: { .query(layer: layer, $0) }, out: heads, in: hidden)
            builder.linear(base + "key_proj", role: { .key(layer: layer, $0) }, out: heads, in: hidden)
            builder.linear(base + "value_proj", role: { .value(layer: layer, $0) }, out: heads, in: hidden)
            if separatePositionProjections && posAttType.contains(.contentToPosition) {
                builder.linear(base + "pos_key_proj", role: { .positionKey(layer: layer, $0) }, out: heads, in: hidden)
            }
            if separatePositionProjections && posAttType.contains(.positionToContent) {
                builder.linear(base + "pos_query_proj", role: { .positionQuery(layer: layer, $0) }, out: heads, in: hidden)
            }
            builder.feedForward(layer: layer, hidden: hidden, intermediate: intermediateSize)
        }
        if relativeAttention {
            builder.embedding("encoder.rel_embeddings", role: .relativeEmbeddings, rows: relativeEmbeddingRows, columns: hidden)
        }
        if normalizesRelativeEmbeddings {
            builder.layerNorm("encoder.LayerNorm", role: { .encoderLayerNorm($0) }, size: hidden)
        }
        if convKernelSize > 0 {
            builder.convolution("encoder.conv.conv", role: { .convolution($0) }, channels: hidden, groups: convGroups, kernel: convKernelSize)
            builder.layerNorm("encoder.conv.LayerNorm", role: { .convolutionLayerNorm($0) }, size: hidden)
        }
        // ContextPooler of the classification models: Linear(pooler_hidden_size, pooler_hidden_size).
        builder.linear("pooler.dense", role: { .pooler($0) }, out: poolerHiddenSize, in: poolerHiddenSize, presence: .optional)
        return ModelSchema(modelType: "deberta-v2", tensors: builder.tensors)
    }
}
