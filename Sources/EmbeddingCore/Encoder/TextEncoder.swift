import WeightsKit

/// An encoder that turns token ids into contextual vectors: BERT or DeBERTa-v2.
public protocol TextEncoder: Sendable {
    var hiddenSize: Int { get }
    /// The word-embedding table: the static vector of each token id.
    var wordEmbeddings: EmbeddingTable { get }
    /// The input to the first layer for `batch` (embedding lookups summed, LayerNorm).
    func embed(_ batch: EncoderBatch) throws(EncoderError) -> HiddenStates
    /// last_hidden_state for `batch`.
    func encode(_ batch: EncoderBatch) throws(EncoderError) -> HiddenStates
    /// Throws unless the model can take `batch`: no longer than its positions, and what
    /// encoding it allocates fits in memory (`MemoryBudget`). `embed` and `encode` call it.
    func checkResources(_ batch: EncoderBatch) throws(EncoderError)
}

extension TextEncoder {
    /// The static vectors of `batch`: each token's row of the lookup table, no context.
    public func staticVectors(_ batch: EncoderBatch) throws(EncoderError) -> HiddenStates {
        try checkResources(batch)
        var x = Matrix(zeros: batch.size * batch.length, wordEmbeddings.columns)
        for sequence in 0..<batch.size { try wordEmbeddings.add(batch.ids[sequence], to: &x, startingAt: sequence * batch.length) }
        return HiddenStates(batch: batch.size, length: batch.length, states: x)
    }
}

/// Builds the encoder a model's config calls for.
public enum Encoders {
    public static func load(_ model: ModelTensors) throws(EncoderError) -> any TextEncoder {
        try EncoderMemory.checkLoad(model)
        return switch model.config {
        case let .bert(config): try BertEncoder(model: model, config: config)
        case let .debertaV2(config): try DebertaV2Encoder(model: model, config: config)
        }
    }
}

/// Views of a model's tensors by role, turning lookup failures into `EncoderError`s.
struct RoleReader {
    let model: ModelTensors

    func view(_ role: TensorRole) throws(EncoderError) -> TensorView {
        do {
            return try model.view(role)
        } catch {
            throw .unsupported(tensor: "\(role)", reason: "\(error)")
        }
    }

    func optional(_ role: TensorRole) throws(EncoderError) -> TensorView? {
        model.contains(role) ? try view(role) : nil
    }

    func linear(_ role: (TensorParameter) -> TensorRole) throws(EncoderError) -> Linear {
        try Linear(weight: view(role(.weight)), bias: optional(role(.bias)))
    }

    func layerNorm(_ role: (TensorParameter) -> TensorRole, epsilon: Double) throws(EncoderError) -> LayerNorm {
        try LayerNorm(weight: view(role(.weight)), bias: view(role(.bias)), epsilon: epsilon)
    }
}

/// The weights of one transformer layer, shared by BERT and DeBERTa-v2.
struct EncoderLayer: Sendable {
    let query: Linear
    let key: Linear
    let value: Linear
    let attentionOutput: Linear
    let attentionNorm: LayerNorm
    let intermediate: Linear
    let output: Linear
    let outputNorm: LayerNorm

    init(_ reader: RoleReader, layer: Int, epsilon: Double) throws(EncoderError) {
        query = try reader.linear { .query(layer: layer, $0) }
        key = try reader.linear { .key(layer: layer, $0) }
        value = try reader.linear { .value(layer: layer, $0) }
        attentionOutput = try reader.linear { .attentionOutput(layer: layer, $0) }
        attentionNorm = try reader.layerNorm({ .attentionLayerNorm(layer: layer, $0) }, epsilon: epsilon)
        intermediate = try reader.linear { .intermediate(layer: layer, $0) }
        output = try reader.linear { .output(layer: layer, $0) }
        outputNorm = try reader.layerNorm({ .outputLayerNorm(layer: layer, $0) }, epsilon: epsilon)
    }

    /// Attention output dense + residual + LayerNorm, then the feed-forward block.
    func finish(context: Matrix, input: Matrix, activation: Activation) -> Matrix {
        var attention = attentionOutput(context)
        add(&attention, input)
        attentionNorm.apply(&attention)
        var hidden = intermediate(attention)
        activation.apply(to: &hidden)
        var out = output(hidden)
        add(&out, attention)
        outputNorm.apply(&out)
        return out
    }
}

/// The largest finite F32, negated: what transformers fills masked scores with.
let maskedScore = -Float.greatestFiniteMagnitude
