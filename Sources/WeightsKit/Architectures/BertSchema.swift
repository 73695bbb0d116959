extension BertConfig {
    /// The tensors of transformers' `BertModel` for this config. The pooler is optional
    /// (`BertModel` has one, `BertForMaskedLM` saves none); the index buffers are
    /// non-persistent today but older checkpoints carry them.
    public var schema: ModelSchema {
        let hidden = hiddenSize
        var builder = SchemaBuilder()
        builder.embedding("embeddings.word_embeddings", role: .wordEmbeddings, rows: vocabSize, columns: hidden)
        builder.embedding("embeddings.position_embeddings", role: .positionEmbeddings, rows: maxPositionEmbeddings, columns: hidden)
        builder.embedding("embeddings.token_type_embeddings", role: .tokenTypeEmbeddings, rows: typeVocabSize, columns: hidden,
                          presence: typeVocabSize > 0 ? .required : .optional)
        builder.layerNorm("embeddings.LayerNorm", role: { .embeddingLayerNorm($0) }, size: hidden)
        builder.buffer("embeddings.position_ids", role: .positionIDs, shape: [1, maxPositionEmbeddings])
        builder.buffer("embeddings.token_type_ids", role: .tokenTypeIDs, shape: [1, maxPositionEmbeddings])
        for layer in 0..<numHiddenLayers {
            let base = "encoder.layer.\(layer).attention.self."
            builder.linear(base + "query", role: { .query(layer: layer, $0) }, out: hidden, in: hidden)
            builder.linear(base + "key", role: { .key(layer: layer, $0) }, out: hidden, in: hidden)
            builder.linear(base + "value", role: { .value(layer: layer, $0) }, out: hidden, in: hidden)
            builder.feedForward(layer: layer, hidden: hidden, intermediate: intermediateSize)
        }
        builder.linear("pooler.dense", role: { .pooler($0) }, out: hidden, in: hidden, presence: .optional)
        return ModelSchema(modelType: "bert", tensors: builder.tensors)
    }
}
