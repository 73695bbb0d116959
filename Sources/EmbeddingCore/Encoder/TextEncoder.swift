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
