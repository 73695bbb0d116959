import Foundation
import Testing
import TestSupport
import WeightsKit
@testable import EmbeddingCore

/// all-MiniLM-L6-v2 (WEIGHTS_MINILM_DIR, fetched by `make test`) followed as a
/// sentence-transformers folder, against `SentenceTransformer(folder).encode` on texts of
/// 4, 12, 282 and 592 tokens and one with "[SEP]" typed in it, one padded batch
/// (Formats/vectors/sentence-transformers, Scripts/make_sentence_transformers_reference.py).
@Suite("sentence-transformers folders: all-MiniLM-L6-v2 against sentence-transformers")
struct SentenceTransformersAccuracyTests {
    static let minilm = Repository.minilm
    static let directory = Repository.path("Formats/vectors/sentence-transformers")
    static let reference = FixtureFiles.decode(Reference.self, from: directory + "/cases.json")
    static let caseNames = reference.cases.map(\.name)

    struct Reference: Decodable {
        struct Case: Decodable {
            let name: String
            let pooling_mode: [String]
            let normalize: Bool
            let max_seq_length: Int
            let do_lower_case: Bool
        }
        let texts: [String]
        let cases: [Case]
    }

    static func expected(_ name: String) throws -> TensorView? {
        try SafetensorsFile(path: directory + "/minilm-embeddings.safetensors").view(name)
    }

    /// The folder's encoder, tokenizer and settings, loaded once.
    struct Model: Sendable {
        let encoder: any TextEncoder
        let tokenizer: WordPieceTokenizer
        let settings: TextEmbeddingSettings
    }

    static let model: Result<Model, any Error> = Result {
        let tensors = try ModelTensors.open(minilm)
        let folder = try #require(try ModelLocation(minilm).sentenceTransformerConfig())
        return Model(encoder: try Encoders.load(tensors), tokenizer: try WordPieceTokenizer(modelPath: minilm),
                     settings: TextEmbeddingSettings(folder: folder, model: tensors.config))
    }

    /// The texts cut at each length of the reference, encoded once for every case that
    /// shares it (the pooling cases all use the folder's 256).
    struct Encoded: Sendable {
        let encodings: [WordPieceTokenizer.Encoding]
        let batch: EncoderBatch
        let states: HiddenStates
    }

    struct Cut: Hashable { let length: Int; let lowercase: Bool }

    static let encoded: Result<[Cut: Encoded], any Error> = Result {
        let loaded = try model.get()
        var result: [Cut: Encoded] = [:]
        for cut in Set(reference.cases.map { Cut(length: $0.max_seq_length, lowercase: $0.do_lower_case) }) {
            var settings = loaded.settings
            settings.maxLength = cut.length
            settings.lowercase = cut.lowercase
            let encodings = reference.texts.map { settings.encode($0, with: loaded.tokenizer) }
            let batch = try EncoderBatch(sequences: encodings.map(\.ids))
            result[cut] = Encoded(encodings: encodings, batch: batch, states: try loaded.encoder.encode(batch))
        }
        return result
    }

    static func requireModel() throws -> Model {
        try #require(FileManager.default.fileExists(atPath: minilm + "/model.safetensors"), "run `make minilm` first")
        return try model.get()
    }

    @Test("the reference covers every case, and texts longer than 256 and 512 tokens")
    func coverage() throws {
        #expect(Self.caseNames.count == 11)
        // The cases whose ids the tokenizer is checked against (embeddings: every case).
        #expect(try Self.caseNames.filter { try Self.expected("\($0).input_ids") != nil } == ["default", "max128", "max512"])
        let model = try Self.requireModel()
        let lengths = Self.reference.texts.map { model.tokenizer.encode($0).count }
        #expect(lengths.contains { $0 > 256 && $0 <= 512 } && lengths.contains { $0 > 512 })
    }

    @Test("the folder's settings: max_seq_length 256, mean pooling, Normalize")
    func folderSettings() throws {
        let settings = try Self.requireModel().settings
        #expect(settings == TextEmbeddingSettings(maxLength: 256, lowercase: false, pooling: SentencePooling(modes: [.mean], normalize: true)))
    }

    @Test("embeddings equal sentence-transformers' within 1e-4 (max abs)", arguments: caseNames)
    func embeddings(_ name: String) throws {
        _ = try Self.requireModel()
        let reference = try #require(Self.reference.cases.first { $0.name == name })
        let encoded = try #require(try Self.encoded.get()[Cut(length: reference.max_seq_length, lowercase: reference.do_lower_case)])
        // Where the reference stored its ids, the cut is the same ([CLS] first, [SEP] last).
        if let ids = try Self.expected("\(name).input_ids"), let mask = try Self.expected("\(name).attention_mask") {
            let (ids, mask, length) = (try #require(ids.floats()), try #require(mask.floats()), ids.shape.dims[1])
            for (index, encoding) in encoded.encodings.enumerated() {
                let row = (index * length)..<((index + 1) * length)
                let real = zip(ids[row], mask[row]).filter { $0.1 == 1 }.map { Int($0.0) }
                #expect(encoding.ids == real, "text \(index)")
            }
        }
        // The default and max-length cases pool as the folder does (checked in folderSettings).
        let modes = reference.pooling_mode.compactMap(Pooling.init(rawValue:))
        #expect(modes.count == reference.pooling_mode.count)
        let ours = SentencePooling(modes: modes, normalize: reference.normalize).pooled(encoded.states, mask: encoded.batch.mask)
        let expected = try #require(try Self.expected("\(name).embedding"))
        #expect([ours.rows, ours.columns] == expected.shape.dims)
        let worst = zip(ours.values, try #require(expected.floats())).map { abs($0 - $1) }.max() ?? .infinity
        print("sentence-transformers \(name): max abs error \(worst)")
        #expect(worst < 1e-4, "\(name): max abs error \(worst)")
    }
}
