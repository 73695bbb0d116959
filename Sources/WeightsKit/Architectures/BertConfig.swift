/// A BERT config.json (`model_type` "bert"), with the defaults of transformers'
/// `BertConfig` for absent fields (those of bert-base-uncased).
public struct BertConfig: Sendable, Equatable {
    var vocabSize = 30522
    public var hiddenSize = 768
    public var numHiddenLayers = 12
    public var numAttentionHeads = 12
    public var intermediateSize = 3072
    public var hiddenAct = ActivationFunction.gelu
    var maxPositionEmbeddings = 512
    public var typeVocabSize = 2
    public var layerNormEps = 1e-12
    var padTokenID: Int? = 0

    /// bert-base-uncased's sizes, as `BertConfig()` gives them.
    public init() {}

    init(_ fields: ConfigFields) throws(ModelConfigError) {
        vocabSize = try fields.size("vocab_size", default: vocabSize)
        hiddenSize = try fields.size("hidden_size", default: hiddenSize)
        numHiddenLayers = try fields.integer("num_hidden_layers", default: numHiddenLayers, in: 0...ConfigFields.maximumLayers)
        numAttentionHeads = try fields.size("num_attention_heads", default: numAttentionHeads)
        intermediateSize = try fields.size("intermediate_size", default: intermediateSize)
        hiddenAct = try fields.choice("hidden_act", default: hiddenAct)
        maxPositionEmbeddings = try fields.size("max_position_embeddings", default: maxPositionEmbeddings)
        typeVocabSize = try fields.size("type_vocab_size", default: typeVocabSize, minimum: 0)
        layerNormEps = try fields.positiveNumber("layer_norm_eps", default: layerNormEps)
        padTokenID = try fields.tokenID("pad_token_id", default: padTokenID, vocabulary: vocabSize)
        // transformers 5 dropped relative_key attention; older configs still name it, and
        // their per-layer distance embeddings would be silently ignored.
        let positionType = try fields.string("position_embedding_type", default: "absolute")
        guard positionType == "absolute" else {
            throw .unsupportedSetting(key: "position_embedding_type", value: "\"\(positionType)\"",
                                      reason: "only \"absolute\" position embeddings are modelled")
        }
        guard hiddenSize % numAttentionHeads == 0 else {
            throw .inconsistent("hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(numAttentionHeads)")
        }
    }
}
