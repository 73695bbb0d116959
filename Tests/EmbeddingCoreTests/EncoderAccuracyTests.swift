import Foundation
import Testing
import TestSupport
import WeightsKit
@testable import EmbeddingCore

/// last_hidden_state against transformers' DebertaV2Model on the sample model
/// (SampleModels/tiny-deberta/expected, written by Scripts/make_tiny_deberta.py).
@Suite("encoder accuracy against transformers")
struct EncoderAccuracyTests {
    static let root = Repository.root
    static let sample = root.appendingPathComponent("SampleModels/tiny-deberta").path

    struct Reference {
        let batch: EncoderBatch
        let expected: [Float]
        let hidden: Int
    }

    static func reference(_ path: String) throws -> Reference {
        let file = try SafetensorsFile(path: path)
        let idsView = try #require(file.view("input_ids"))
        let maskView = try #require(file.view("attention_mask"))
        let states = try #require(file.view("last_hidden_state"))
        let (batch, length) = (idsView.shape.dims[0], idsView.shape.dims[1])
        let ids = try #require(idsView.floats()).map { Int($0) }
        let mask = try #require(maskView.floats()).map { Int($0) }
        let rows = (0..<batch).map { Array(ids[($0 * length)..<(($0 + 1) * length)]) }
        let masks = (0..<batch).map { Array(mask[($0 * length)..<(($0 + 1) * length)]) }
        return Reference(batch: try EncoderBatch(ids: rows, mask: masks), expected: try #require(states.floats()), hidden: states.shape.dims[2])
    }

    /// Largest |ours − reference| over real tokens (padding rows are defined by the reference's masking too, but only real tokens matter).
    static func maxError(_ states: HiddenStates, _ reference: Reference, onlyRealTokens: Bool) -> Float {
        var worst: Float = 0
        for sequence in 0..<states.batch {
            for position in 0..<states.length where !onlyRealTokens || reference.batch.mask[sequence][position] == 1 {
                let ours = states.vector(sequence, position)
                let base = (sequence * states.length + position) * reference.hidden
                for (j, value) in ours.enumerated() { worst = max(worst, abs(value - reference.expected[base + j])) }
            }
        }
        return worst
    }

    @Test("DeBERTa-v2 sample model matches transformers within 1e-4", arguments: ["case_a", "case_b", "case_c"])
    func deberta(_ name: String) throws {
        let model = try ModelTensors.open(Self.sample)
        let encoder = try Encoders.load(model)
        let reference = try Self.reference(Self.sample + "/expected/\(name).safetensors")
        let states = try encoder.encode(reference.batch)
        let error = Self.maxError(states, reference, onlyRealTokens: true)
        #expect(error < 1e-4, "max abs error \(error)")
        let all = Self.maxError(states, reference, onlyRealTokens: false)
        #expect(all < 1e-4, "max abs error including padding positions \(all)")
    }

    @Test("relative positions reach the logarithmic buckets in case_c")
    func logBuckets() {
        // position_buckets 16: distances beyond 8 are bucketed logarithmically.
        #expect(RelativePositions.bucket(39, bucketSize: 16, maxPosition: 512) != 39)
        #expect(RelativePositions.bucket(5, bucketSize: 16, maxPosition: 512) == 5)
        #expect(RelativePositions.bucket(-39, bucketSize: 16, maxPosition: 512) == -RelativePositions.bucket(39, bucketSize: 16, maxPosition: 512))
    }
}

/// The real all-MiniLM-L6-v2 (fetched by `make test`; WEIGHTS_MINILM_DIR) against
/// transformers' BertModel and sentence-transformers
/// (Formats/vectors/encoder/minilm-reference.safetensors, Scripts/make_minilm_reference.py).
@Suite("all-MiniLM-L6-v2 against transformers and sentence-transformers")
struct MiniLMAccuracyTests {
    static let minilm = Repository.minilm
    static let referencePath = EncoderAccuracyTests.root.appendingPathComponent("Formats/vectors/encoder/minilm-reference.safetensors").path

    static func batch(_ file: SafetensorsFile, _ prefix: String) throws -> EncoderBatch {
        let idsView = try #require(file.view("\(prefix).input_ids"))
        let (count, length) = (idsView.shape.dims[0], idsView.shape.dims[1])
        let ids = try #require(idsView.floats()).map { Int($0) }
        let mask = try #require(file.view("\(prefix).attention_mask")?.floats()).map { Int($0) }
        return try EncoderBatch(ids: (0..<count).map { Array(ids[($0 * length)..<(($0 + 1) * length)]) },
                                mask: (0..<count).map { Array(mask[($0 * length)..<(($0 + 1) * length)]) })
    }

    static func encoder(_ path: String) throws -> any TextEncoder {
        try Encoders.load(try ModelTensors.open(path, config: try ModelConfig(contentsOf: minilm + "/config.json")))
    }

    @Test("last_hidden_state matches BertModel within 1e-4 on padded batches", arguments: ["batch_a", "batch_b", "batch_c"])
    func lastHiddenState(_ name: String) throws {
        try #require(FileManager.default.fileExists(atPath: Self.minilm + "/model.safetensors"), "run `make minilm` first")
        let file = try SafetensorsFile(path: Self.referencePath)
        let batch = try Self.batch(file, name)
        let expected = try #require(file.view("\(name).last_hidden_state")?.floats())
        let states = try Self.encoder(Self.minilm).encode(batch)
        var worst: Float = 0
        for sequence in 0..<batch.size {
            for position in 0..<batch.length where batch.mask[sequence][position] == 1 {
                let base = (sequence * batch.length + position) * states.hidden
                for (j, value) in states.vector(sequence, position).enumerated() { worst = max(worst, abs(value - expected[base + j])) }
            }
        }
        #expect(worst < 1e-4, "max abs error \(worst)")
    }

    static func sentenceEmbeddings(_ encoder: any TextEncoder) throws -> Matrix {
        let file = try SafetensorsFile(path: referencePath)
        let batch = try batch(file, "sentences")
        return Pooling.meanPooled(try encoder.encode(batch), mask: batch.mask)
    }

    static func cosines(_ a: Matrix, _ b: Matrix) -> [Float] {
        (0..<a.rows).map { row in
            zip(a.row(row), b.row(row)).reduce(0) { $0 + $1.0 * $1.1 } /
                (a.row(row).reduce(0) { $0 + $1 * $1 }.squareRoot() * b.row(row).reduce(0) { $0 + $1 * $1 }.squareRoot())
        }
    }

    @Test("mean-pooled, normalised embeddings match sentence-transformers on 60 sentences")
    func sentenceEmbeddingsMatch() throws {
        try #require(FileManager.default.fileExists(atPath: Self.minilm + "/model.safetensors"), "run `make minilm` first")
        let ours = try Self.sentenceEmbeddings(try Self.encoder(Self.minilm))
        let expected = try #require(try SafetensorsFile(path: Self.referencePath).view("sentences.embedding")?.floats())
        #expect(ours.rows == 60)
        let worst = zip(ours.values, expected).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-4, "max abs error \(worst)")
    }

    /// Measured here (lowest of 60 sentence cosines against F32): F16 0.9999993, Int8 per row 0.9987665, Q8_0 0.9996376.
    @Test("quantized weights keep sentence embeddings close to F32", arguments: [("f16", 0.9999), ("int8", 0.995), ("q8_0", 0.995)])
    func quantizedCosine(_ dtype: String, _ bound: Double) throws {
        try #require(FileManager.default.fileExists(atPath: Self.minilm + "/model.safetensors"), "run `make minilm` first")
        let directory = NSTemporaryDirectory() + "weights-quant-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source = try ModelLoader.open(Self.minilm)
        let policy = try ConversionPolicy(target: try #require(ConversionPolicy.Target(rawValue: dtype)))
        let plan = try ModelConversion(source: source, policy: policy, format: .weightPack)
        let output = directory + "/model.wpk"
        try WeightPackWriter.write(try plan.payloads(), metadata: plan.outputMetadata, config: nil, to: output, overwrite: false)
        let reference = try Self.sentenceEmbeddings(try Self.encoder(Self.minilm))
        let quantized = try Self.sentenceEmbeddings(try Self.encoder(output))
        let lowest = Self.cosines(reference, quantized).min() ?? 0
        print("quantized \(dtype): lowest sentence cosine \(lowest)")
        #expect(Double(lowest) >= bound, "\(dtype): lowest cosine \(lowest)")
    }
}
