import WeightsKit
import EmbeddingCore

// Open a model: a safetensors file, a shard index, a .wpk file or a directory.
let path = "SampleModels/tiny-deberta"
let model = try ModelLoader.open(path)
print(model.format, model.tensors.count, "tensors,", model.parameterCount, "parameters")
if let view = try model.view("embeddings.word_embeddings.weight") {
    let values = view.floats() ?? []                       // F32 values (dequantized for Int8/Q8_0)
    let bytes = view.withUnsafeBytes { raw in raw.count }   // the mapped bytes, zero-copy
    print(view.name, view.dtype.name, view.shape, view.encoding, values.count, "values,", bytes, "bytes")
}

// Write a copy as safetensors (byte-identical to the original).
try SafetensorsWriter.write(try model.views().map(TensorPayload.init(copying:)),
                            metadata: model.metadata, to: "copy.safetensors", overwrite: false)

// Quantize to Int8 per row (default policy) into WeightPack, with config.json embedded.
let plan = try ModelConversion(source: model, policy: try ConversionPolicy(target: .int8), format: .weightPack)
try WeightPackWriter.write(try plan.payloads(), metadata: plan.outputMetadata,
                           config: ModelLocation(path).configText(source: model),
                           to: "model-int8.wpk", overwrite: false)

// Run the encoder on the quantized file: its tensors by role, its config from the file.
let tensors = try ModelTensors.open("model-int8.wpk")
let encoder = try Encoders.load(tensors)                    // BERT or DeBERTa-v2, from the config
let states = try encoder.encode(try EncoderBatch(sequences: [[1, 17, 42, 2]]))
print("last_hidden_state", [states.batch, states.length, states.hidden])   // [1, 4, 32]
