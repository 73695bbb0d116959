/// A DeBERTa-v2/v3 config.json (`model_type` "deberta-v2"), with the defaults of
/// transformers' `DebertaV2Config` and of the `getattr(config, name, default)` reads in
/// its modeling code for fields the config class does not declare.
public struct DebertaV2Config: Sendable, Equatable {
    var vocabSize = 128100
    public var hiddenSize = 1536
    public var numHiddenLayers = 24
    public var numAttentionHeads = 24
    public var intermediateSize = 6144
    public var hiddenAct = ActivationFunction.gelu
    var maxPositionEmbeddings = 512
    public var typeVocabSize = 0
    public var layerNormEps = 1e-7
    var padTokenID: Int? = 0
    /// Disentangled attention over relative positions (true for every released v2/v3 model).
    public var relativeAttention = false
    /// Below 1 means `maxPositionEmbeddings` (see `relativePositionSpan`).
    var maxRelativePositions = -1
    /// Log-bucketed relative positions when above 0 (v3 uses 256).
    public var positionBuckets = -1
    /// Whether absolute position embeddings are added to the input (false in v3).
    public var positionBiasedInput = true
    /// The position terms of the attention (`pos_att_type` "c2p" and/or "p2c"; other
    /// entries are ignored, as transformers does).
    public var posAttType: PositionAttention = []
    /// Whether relative embeddings reuse the layer's key/query projections.
    public var shareAttKey = false
    /// `layerNorm` ("layer_norm") adds a LayerNorm over the relative embeddings.
    var normRelEbd = RelativeEmbeddingNorm.none
    /// Width of the embedding tables; `embed_proj` maps it to `hiddenSize` when it differs.
    public var embeddingSize = 1536
    public var attentionHeadSize = 64
    /// A convolution after the first layer when above 0 (deberta-v2-xlarge uses 3).
    public var convKernelSize = 0
    var convGroups = 1
    var convAct = "tanh"
    var poolerHiddenSize = 1536

    /// The sizes `DebertaV2Config()` gives.
    public init() {}

    init(_ fields: ConfigFields) throws(ModelConfigError) {
        let limit = ConfigFields.maximumDimension
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
        relativeAttention = try fields.bool("relative_attention", default: relativeAttention)
        maxRelativePositions = try fields.integer("max_relative_positions", default: maxRelativePositions, in: -limit...limit)
        positionBuckets = try fields.integer("position_buckets", default: positionBuckets, in: -limit...limit)
        positionBiasedInput = try fields.bool("position_biased_input", default: positionBiasedInput)
        posAttType = PositionAttention(names: try fields.list("pos_att_type", default: []))
        shareAttKey = try fields.bool("share_att_key", default: shareAttKey)
        normRelEbd = RelativeEmbeddingNorm(names: try fields.list("norm_rel_ebd", default: [normRelEbd.rawValue]))
        embeddingSize = try fields.size("embedding_size", default: hiddenSize)
        guard hiddenSize % numAttentionHeads == 0 else {
            throw .inconsistent("hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(numAttentionHeads)")
        }
        attentionHeadSize = try fields.size("attention_head_size", default: hiddenSize / numAttentionHeads)
        convKernelSize = try fields.integer("conv_kernel_size", default: convKernelSize, in: 0...4096)
        convGroups = try fields.size("conv_groups", default: convGroups)
        convAct = try fields.string("conv_act", default: convAct)
        poolerHiddenSize = try fields.size("pooler_hidden_size", default: hiddenSize)
        if relativeAttention && positionBuckets > 0 {
            try checkLogBuckets()
        }
        if convKernelSize > 0 && hiddenSize % convGroups != 0 {
            throw .inconsistent("hidden_size \(hiddenSize) is not a multiple of conv_groups \(convGroups)")
        }
    }

    /// transformers' `make_log_bucket_position` maps distances past mid = buckets / 2 to
    /// ceil(log(d / mid) / log((span − 1) / mid) · (mid − 1)) + mid: mid 0 divides by zero,
    /// and span − 1 = mid divides by log(1) = 0, so neither has a finite bucket.
    private func checkLogBuckets() throws(ModelConfigError) {
        let mid = positionBuckets / 2
        guard mid >= 1 else {
            throw .inconsistent("position_buckets \(positionBuckets): log-bucketed relative positions need at least 2 buckets "
                + "(position_buckets / 2 is a divisor)")
        }
        let span = relativePositionSpan
        guard span - 1 != mid else {
            let field = maxRelativePositions < 1 ? "max_position_embeddings" : "max_relative_positions"
            throw .inconsistent("\(field) \(span) with position_buckets \(positionBuckets): (\(field) - 1) / (position_buckets / 2) is 1, "
                + "whose log is 0, a divisor in log-bucketed relative positions")
        }
    }

    /// The relative distance covered before positions are clipped: `max_relative_positions`,
    /// or `max_position_embeddings` when that is below 1 (as the modeling code does).
    public var relativePositionSpan: Int {
        maxRelativePositions < 1 ? maxPositionEmbeddings : maxRelativePositions
    }

    /// Rows of `encoder.rel_embeddings`: 2 × `position_buckets` when bucketed, else 2 × the span.
    var relativeEmbeddingRows: Int {
        2 * (positionBuckets > 0 ? positionBuckets : relativePositionSpan)
    }

    /// Width of the query/key/value projections: heads × head size.
    public var allHeadSize: Int { numAttentionHeads * attentionHeadSize }

    /// Whether the relative embeddings go through a LayerNorm (`encoder.LayerNorm`).
    public var normalizesRelativeEmbeddings: Bool { normRelEbd == .layerNorm }
}
