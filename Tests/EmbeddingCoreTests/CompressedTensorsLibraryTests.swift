import Foundation
import Testing
import TestSupport
@testable import WeightsKit
@testable import EmbeddingCore

/// A tiny BERT quantized by compressed-tensors' own API the llm-compressor way (I8
/// `weight` + F32 `weight_scale`, no `weights.int8_per_row` metadata; only config.json's
/// quantization_config says so), read by the library and run against transformers +
/// compressed-tensors on the same folder (Scripts/make_compressed_tensors_reference.py).
@Suite("compressed-tensors int8 folders, through the library")
struct CompressedTensorsLibraryTests {
    static let root = Repository.path("SampleModels/compressed-tensors")

    struct Expected: Decodable {
        let sequences: [[Int]]
        let hidden_states: [[[Float]]]
    }

    @Test("llm-compressor's pairs fold into int8-per-row tensors from config.json alone")
    func folds() throws {
        let source = try ModelLoader.open(Self.root + "/tiny-bert-ct")
        #expect(source.metadata?["weights.int8_per_row"] == nil)
        #expect(!source.tensors.contains { $0.name.hasSuffix("_scale") })
        let word = try #require(source.tensors.first { $0.name == "embeddings.word_embeddings.weight" })
        #expect(word.encoding == .int8PerRow)
        #expect(source.tensors.filter { $0.encoding == .int8PerRow }.count == 14)
        // The float model beside it has no quantization_config: nothing is folded.
        #expect(try ModelLoader.open(Self.root + "/tiny-bert").tensors.allSatisfy { $0.encoding == .plain })
    }

    @Test("last_hidden_state within 1e-5 of transformers + compressed-tensors on the same folder")
    func matchesTransformers() throws {
        let expected = FixtureFiles.decode(Expected.self, from: Self.root + "/expected.json")
        let encoder = try Encoders.load(try ModelTensors.open(Self.root + "/tiny-bert-ct"))
        #expect(expected.sequences.count == 3 && expected.hidden_states.count == expected.sequences.count)
        for (sequence, reference) in zip(expected.sequences, expected.hidden_states) {
            let states = try encoder.encode(try EncoderBatch(sequences: [sequence]))
            var worst: Float = 0
            #expect(reference.count == sequence.count && reference.allSatisfy { $0.count == states.hidden })
            for position in 0..<sequence.count {
                for (ours, theirs) in zip(states.vector(0, position), reference[position]) { worst = max(worst, abs(ours - theirs)) }
            }
            #expect(worst < 1e-5, "max abs error \(worst) on \(sequence)")
        }
    }

    @Test("a scheme it does not fold (asymmetric, activations) is left as stored, with a warning")
    func unsupportedScheme() throws {
        for (field, value) in [("symmetric", "false"), ("strategy", "\"group\"")] {
            let config = "{\"quantization_config\": {\"quant_method\": \"compressed-tensors\", \"format\": \"naive-quantized\", \"config_groups\": {\"g\": {\"weights\": {\"num_bits\": 8, \"type\": \"int\", \"symmetric\": true, \"strategy\": \"channel\", \"\(field)\": \(value)}}}}}"
            let scheme = CompressedTensors.scheme(ofConfig: Array(config.utf8))
            guard case .unsupported = scheme else { Issue.record("\(field): \(scheme)"); continue }
        }
        let activations = "{\"quantization_config\": {\"quant_method\": \"compressed-tensors\", \"config_groups\": {\"g\": {\"weights\": {\"num_bits\": 8, \"strategy\": \"channel\"}, \"input_activations\": {\"num_bits\": 8}}}}}"
        guard case .unsupported = CompressedTensors.scheme(ofConfig: Array(activations.utf8)) else { Issue.record("activations folded"); return }
        #expect(CompressedTensors.scheme(ofConfig: Array("{\"quantization_config\": {\"quant_method\": \"bitsandbytes\"}}".utf8)) == .none)
    }
}
