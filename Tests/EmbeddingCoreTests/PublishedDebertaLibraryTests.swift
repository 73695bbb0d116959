import Foundation
import Testing
import TestSupport
import WeightsKit
@testable import EmbeddingCore

/// The card's example through the library, as a Swift tool would call it: the published-shape
/// DeBERTa-v3 folder (pytorch_model.bin, spm.model) opened by `ModelTensors`, its tokenizer
/// picked by `TokenizerLoader`, the encoder by `Encoders`, against transformers
/// (SampleModels/tiny-deberta-v3/expected, Scripts/make_deberta_v3_sample.py).
@Suite("DeBERTa-v3 as published, through the library")
struct PublishedDebertaLibraryTests {
    static let sample = Repository.root.appendingPathComponent("SampleModels/tiny-deberta-v3").path

    @Test("\"Hello world\" → 4 tokens → [1, 4, 384], ids and last_hidden_state as transformers gives them",
          arguments: ["hello", "batch", "long"])
    func fromText(_ name: String) throws {
        let texts = FixtureFiles.decode([String: [String]].self, from: Self.sample + "/expected/texts.json")
        let model = try ModelTensors.open(Self.sample)
        #expect(model.source.format == "pytorch")
        let tokenizer = try TokenizerLoader.load(modelPath: Self.sample)
        #expect(tokenizer is SentencePieceTokenizer)
        let encodings = try #require(texts[name]).map { tokenizer.encode($0) }
        let reference = try EncoderAccuracyTests.reference(Self.sample + "/expected/\(name).safetensors")
        for (row, encoding) in encodings.enumerated() {
            let length = reference.batch.mask[row].reduce(0, +)
            #expect(encoding.ids == Array(reference.batch.ids[row].prefix(length)))
        }
        let states = try Encoders.load(model).encode(try EncoderBatch(sequences: encodings.map(\.ids)))
        let shape: [Int] = [states.batch, states.length, states.hidden]
        #expect(shape == [reference.batch.size, reference.batch.length, 384])
        let error = EncoderAccuracyTests.maxError(states, reference, onlyRealTokens: true)
        #expect(error < 1e-4, "max abs error \(error)")
    }
}
