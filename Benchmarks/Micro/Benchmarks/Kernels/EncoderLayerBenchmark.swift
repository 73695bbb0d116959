// GEMM throughput through the public API: one BERT layer (hidden 768, intermediate 3072,
// 12 heads; random weights written once to a temporary folder) encoding 2 × 128 tokens with every
// core. Its FLOPs are the six matrix products of a layer (Q, K, V, attention output, intermediate,
// output) plus the attention scores and context: 2·t·(4h² + 2hi) + 4·b·L²·h.
import Benchmark
import EmbeddingCore
import Foundation
import WeightsKit

enum EncoderLayerBenchmark {
    static let (hidden, intermediate, heads, vocabulary, positions) = (768, 3072, 12, 1000, 512)
    static let (batch, length) = (2, 128)
    static let name = "Encoder layer 768×3072, 2×128 tokens (GEMM)"

    static func register() {
        let tokens = batch * length
        let flops = 2 * tokens * (4 * hidden * hidden + 2 * hidden * intermediate) + 4 * batch * length * length * hidden
        Work.record(name, flops: flops)
        Benchmark(name, configuration: .init(warmupIterations: 2, maxDuration: .seconds(3), maxIterations: 100)) { benchmark in
            setMatrixThreads(ProcessInfo.processInfo.activeProcessorCount)
            let encoder = try Encoders.load(try ModelTensors.open(try writeModel()))
            var generator = SplitMix(seed: 11)
            let input = try EncoderBatch(sequences: (0..<batch).map { _ in (0..<length).map { _ in generator.below(vocabulary) } })
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try encoder.encode(input)) }
            benchmark.stopMeasurement()
        }
    }

    /// A one-layer BERT folder (config.json, model.safetensors) under the temporary directory.
    static func writeModel() throws -> String {
        let folder = NSTemporaryDirectory() + "weights-micro-encoder-layer"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let config = """
            {"model_type": "bert", "architectures": ["BertModel"], "hidden_size": \(hidden), "num_hidden_layers": 1,
             "num_attention_heads": \(heads), "intermediate_size": \(intermediate), "vocab_size": \(vocabulary),
             "max_position_embeddings": \(positions), "type_vocab_size": 2, "hidden_act": "gelu", "layer_norm_eps": 1e-12}
            """
        try config.write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
        var tensors: [(String, [Int])] = [
            ("embeddings.word_embeddings.weight", [vocabulary, hidden]),
            ("embeddings.position_embeddings.weight", [positions, hidden]),
            ("embeddings.token_type_embeddings.weight", [2, hidden]),
            ("embeddings.LayerNorm.weight", [hidden]), ("embeddings.LayerNorm.bias", [hidden]),
        ]
        let layer = "encoder.layer.0."
        for (linear, out, inner) in [("attention.self.query", hidden, hidden), ("attention.self.key", hidden, hidden),
                                     ("attention.self.value", hidden, hidden), ("attention.output.dense", hidden, hidden),
                                     ("intermediate.dense", intermediate, hidden), ("output.dense", hidden, intermediate)] {
            tensors += [(layer + linear + ".weight", [out, inner]), (layer + linear + ".bias", [out])]
        }
        for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
            tensors += [(layer + norm + ".weight", [hidden]), (layer + norm + ".bias", [hidden])]
        }
        var generator = SplitMix(seed: 3)
        let payloads = tensors.map { name, shape in
            let count = shape.reduce(1, *)
            let isNormWeight = name.hasSuffix("LayerNorm.weight")
            let values = (0..<count).map { _ in isNormWeight ? Float(1) : Float(generator.unit() - 0.5) * 0.1 }
            return TensorPayload(name: name, dtype: .f32, shape: Shape(shape)) { sink in
                try values.withUnsafeBytes { try sink.write($0) }
            }
        }
        try SafetensorsWriter.write(payloads, metadata: nil, to: folder + "/model.safetensors", overwrite: true)
        return folder
    }
}
