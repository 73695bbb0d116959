/// Which of a layer's two parameters: the weight or the bias.
public enum TensorParameter: String, Sendable, Hashable, CaseIterable {
    case weight, bias
}

/// What a tensor does in a BERT-family encoder, whatever the checkpoint calls it.
///
/// An inference core asks `ModelTensors` for roles, so it never deals with names,
/// prefixes ("bert.", "deberta.") or legacy spellings ("LayerNorm.gamma"). Layers count
/// from 0. Which roles a model has follows from its config (see `ModelSchema`).
public enum TensorRole: Sendable, Hashable, CustomStringConvertible {
    // Embeddings
    case wordEmbeddings
    case positionEmbeddings
    case tokenTypeEmbeddings
    /// DeBERTa-v2's `embed_proj` (weight only), present when `embedding_size` differs from `hidden_size`.
    case embeddingProjection
    case embeddingLayerNorm(TensorParameter)
    /// Buffers some checkpoints carry: `arange(max_position_embeddings)` and zeros, shape [1, max_position_embeddings].
    case positionIDs
    case tokenTypeIDs

    // One encoder layer
    case query(layer: Int, TensorParameter)
    case key(layer: Int, TensorParameter)
    case value(layer: Int, TensorParameter)
    /// DeBERTa-v2 with `share_att_key` false: the relative embeddings' own key projection ("c2p").
    case positionKey(layer: Int, TensorParameter)
    /// DeBERTa-v2 with `share_att_key` false: the relative embeddings' own query projection ("p2c").
    case positionQuery(layer: Int, TensorParameter)
    case attentionOutput(layer: Int, TensorParameter)
    case attentionLayerNorm(layer: Int, TensorParameter)
    case intermediate(layer: Int, TensorParameter)
    case output(layer: Int, TensorParameter)
    case outputLayerNorm(layer: Int, TensorParameter)

    // DeBERTa-v2 encoder
    /// The relative-position embedding table shared by all layers.
    case relativeEmbeddings
    /// The LayerNorm applied to `relativeEmbeddings` (`norm_rel_ebd` "layer_norm").
    case encoderLayerNorm(TensorParameter)
    /// The convolution after the first layer (`conv_kernel_size` > 0) and its LayerNorm.
    case convolution(TensorParameter)
    case convolutionLayerNorm(TensorParameter)

    /// BERT's pooler, or DeBERTa-v2's ContextPooler in classification models.
    case pooler(TensorParameter)

    /// The layer this role belongs to, or nil for model-wide tensors.
    public var layer: Int? {
        switch self {
        case let .query(layer, _), let .key(layer, _), let .value(layer, _), let .positionKey(layer, _),
             let .positionQuery(layer, _), let .attentionOutput(layer, _), let .attentionLayerNorm(layer, _),
             let .intermediate(layer, _), let .output(layer, _), let .outputLayerNorm(layer, _):
            layer
        default:
            nil
        }
    }

    /// "layer 3 query weight", "word embeddings", for messages.
    public var description: String {
        func part(_ what: String, _ parameter: TensorParameter) -> String { "\(what) \(parameter.rawValue)" }
        func inLayer(_ layer: Int, _ what: String, _ parameter: TensorParameter) -> String { "layer \(layer) \(what) \(parameter.rawValue)" }
        switch self {
        case .wordEmbeddings: return "word embeddings"
        case .positionEmbeddings: return "position embeddings"
        case .tokenTypeEmbeddings: return "token type embeddings"
        case .embeddingProjection: return "embedding projection"
        case let .embeddingLayerNorm(parameter): return part("embedding LayerNorm", parameter)
        case .positionIDs: return "position_ids buffer"
        case .tokenTypeIDs: return "token_type_ids buffer"
        case let .query(layer, parameter): return inLayer(layer, "query", parameter)
        case let .key(layer, parameter): return inLayer(layer, "key", parameter)
        case let .value(layer, parameter): return inLayer(layer, "value", parameter)
        case let .positionKey(layer, parameter): return inLayer(layer, "position key", parameter)
        case let .positionQuery(layer, parameter): return inLayer(layer, "position query", parameter)
        case let .attentionOutput(layer, parameter): return inLayer(layer, "attention output", parameter)
        case let .attentionLayerNorm(layer, parameter): return inLayer(layer, "attention LayerNorm", parameter)
        case let .intermediate(layer, parameter): return inLayer(layer, "intermediate", parameter)
        case let .output(layer, parameter): return inLayer(layer, "output", parameter)
        case let .outputLayerNorm(layer, parameter): return inLayer(layer, "output LayerNorm", parameter)
        case .relativeEmbeddings: return "relative position embeddings"
        case let .encoderLayerNorm(parameter): return part("encoder LayerNorm", parameter)
        case let .convolution(parameter): return part("convolution", parameter)
        case let .convolutionLayerNorm(parameter): return part("convolution LayerNorm", parameter)
        case let .pooler(parameter): return part("pooler", parameter)
        }
    }
}
