import WeightsKit

/// The weights of one transformer layer, shared by BERT and DeBERTa-v2: query, key and
/// value stacked into one product, the attention output and the feed-forward block.
struct EncoderLayer: Sendable {
    /// Query | key | value, each `width` outputs.
    let projections: Linear
    let width: Int
    let hidden: Int
    let attentionOutput: Linear
    let attentionNorm: LayerNorm
    let intermediate: Linear
    let output: Linear
    let outputNorm: LayerNorm

    var queryOutputs: Range<Int> { 0..<width }
    var keyOutputs: Range<Int> { width..<(2 * width) }

    init(_ reader: RoleReader, layer: Int, epsilon: Double) throws(EncoderError) {
        let query = try reader.linear { .query(layer: layer, $0) }
        let key = try reader.linear { .key(layer: layer, $0) }
        let value = try reader.linear { .value(layer: layer, $0) }
        attentionOutput = try reader.linear { .attentionOutput(layer: layer, $0) }
        attentionNorm = try reader.layerNorm({ .attentionLayerNorm(layer: layer, $0) }, epsilon: epsilon)
        intermediate = try reader.linear { .intermediate(layer: layer, $0) }
        output = try reader.linear { .output(layer: layer, $0) }
        outputNorm = try reader.layerNorm({ .outputLayerNorm(layer: layer, $0) }, epsilon: epsilon)
        let (hidden, width) = (query.inputs, query.outputs)
        self.hidden = hidden
        self.width = width
        // The fused passes below read these shapes; a model whose matrices disagree is refused here.
        let chained = [key.inputs, value.inputs, attentionOutput.outputs, intermediate.inputs, output.outputs,
                       attentionNorm.gamma.count, outputNorm.gamma.count].allSatisfy { $0 == hidden }
            && [key.outputs, value.outputs, attentionOutput.inputs].allSatisfy { $0 == width }
            && output.inputs == intermediate.outputs
        guard chained else {
            throw .unsupported(tensor: "encoder.layer.\(layer)", reason: "the layer's matrix shapes do not chain (hidden \(hidden), attention \(width))")
        }
        projections = Linear.stacked([query, key, value])
    }

    /// Throws unless the layer has the sizes the config gives (the buffers are sized from it).
    func check(hidden: Int, width: Int, intermediate: Int, layer: Int) throws(EncoderError) {
        guard self.hidden == hidden, self.width == width, self.intermediate.outputs == intermediate else {
            throw .unsupported(tensor: "encoder.layer.\(layer)", reason: "matrices of hidden \(self.hidden), attention \(self.width), intermediate \(self.intermediate.outputs) where the config gives \(hidden), \(width), \(intermediate)")
        }
    }

    /// Query, key and value of `buffers.hidden`, into `buffers.projections`.
    func project(_ buffers: LayerBuffers) {
        projections.apply(buffers.hidden, rows: buffers.tokens, into: buffers.projections)
    }

    /// From `buffers.context`: attention output dense + bias + residual + LayerNorm, then
    /// the feed-forward block (dense + bias + activation, dense + bias + residual +
    /// LayerNorm), leaving the layer's output in `buffers.hidden`.
    func finish(_ buffers: LayerBuffers, activation: Activation) {
        let tokens = buffers.tokens
        attentionOutput.apply(buffers.context, rows: tokens, into: buffers.attention, addingBias: false)
        attentionNorm.apply(buffers.attention, rows: tokens, columns: hidden, adding: buffers.hidden, bias: attentionOutput.bias)
        intermediate.apply(buffers.attention, rows: tokens, into: buffers.intermediate, addingBias: false)
        activation.apply(buffers.intermediate, rows: tokens, columns: intermediate.outputs, bias: intermediate.bias)
        output.apply(buffers.intermediate, rows: tokens, into: buffers.hidden, addingBias: false)
        outputNorm.apply(buffers.hidden, rows: tokens, columns: hidden, adding: buffers.attention, bias: output.bias)
    }
}
