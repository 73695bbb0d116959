import Foundation
import Testing
import WeightsKit

/// The card's example from text, on a DeBERTa-v3 folder in the published shape
/// (SampleModels/tiny-deberta-v3: config.json, pytorch_model.bin, spm.model,
/// tokenizer_config.json), against transformers' DebertaV2Model on the same folder
/// (Scripts/make_deberta_v3_sample.py wrote expected/).
@Suite("DeBERTa-v3 as published, from text")
struct PublishedDebertaCLITests {
    static let sample = CLI.path("SampleModels/tiny-deberta-v3")

    struct Texts: Decodable { let hello: [String]; let batch: [String]; let long: [String] }
    static let texts = FixtureFiles.decode(Texts.self, from: CLI.path("SampleModels/tiny-deberta-v3/expected/texts.json"))

    /// Runs `weights embed` on `texts` and compares ids, static vectors and last_hidden_state
    /// at the unmasked positions with the expected file `name`.
    func check(_ texts: [String], against name: String) throws {
        let directory = TemporaryDirectory()
        let output = directory.file("out.safetensors")
        let result = try CLI.run(["embed", Self.sample, "--output", output] + texts.flatMap { ["--text", $0] })
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try SafetensorsFile(path: CLI.path("SampleModels/tiny-deberta-v3/expected/\(name).safetensors"))
        let written = try SafetensorsFile(path: output)
        let shape = try #require(expected.view("last_hidden_state")?.shape)
        #expect(written.view("last_hidden_state")?.shape == shape)
        let mask = try #require(written.view("attention_mask")?.bytes)
        #expect(mask == expected.view("attention_mask")?.bytes, "token counts differ from transformers'")
        let actual = try #require(written.view("last_hidden_state")?.floats())
        let reference = try #require(expected.view("last_hidden_state")?.floats())
        let hidden = shape.dims[2]
        let unmasked = try #require(expected.view("attention_mask")?.floats())
        var worst: Float = 0
        for (position, flag) in unmasked.enumerated() where flag != 0 {
            for j in 0..<hidden { worst = max(worst, abs(actual[position * hidden + j] - reference[position * hidden + j])) }
        }
        #expect(worst < 1e-4, "max abs difference \(worst) from transformers")
    }

    @Test("\"Hello world\": [CLS] ▁Hello ▁world [SEP], ids and shape [1, 4, 384] as transformers gives them")
    func helloWorld() throws {
        try check(Self.texts.hello, against: "hello")
        let result = try CLI.run(["embed", Self.sample, "--text", "Hello world"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sequence 0: 4 tokens"))
        #expect(result.stdout.contains("▁Hello") && result.stdout.contains("▁world"))
        #expect(result.stdout.contains("shape [1, 4, 384]"))
        // The static vectors: each token's row of the lookup table, F16 as stored, exactly.
        let report = try CLI.run(["embed", Self.sample, "--text", "Hello world", "--json", "--values", "384"])
        struct Report: Decodable { let static_first_values: [[[Float]]] }
        let statics = try JSONDecoder().decode(Report.self, from: Data(report.stdout.utf8)).static_first_values.flatMap { $0.flatMap { $0 } }
        let expected = try SafetensorsFile(path: CLI.path("SampleModels/tiny-deberta-v3/expected/hello.safetensors"))
        #expect(statics == (try #require(expected.view("word_embeddings")?.floats())))
    }

    @Test("a padded batch of three texts of different lengths, within 1e-4 of transformers")
    func paddedBatch() throws {
        try check(Self.texts.batch, against: "batch")
    }

    @Test("156 tokens: relative distances in the logarithmic buckets, within 1e-4 of transformers")
    func longText() throws {
        try check(Self.texts.long, against: "long")
    }

    @Test("tokenize picks SentencePiece from the folder: ids equal transformers' DebertaV2Tokenizer")
    func tokenize() throws {
        let result = try CLI.run(["tokenize", Self.sample, "Hello world", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        struct Encoding: Decodable { let ids: [Int]; let tokens: [String] }
        let encoding = try JSONDecoder().decode(Encoding.self, from: Data(result.stdout.utf8))
        let expected = try SafetensorsFile(path: CLI.path("SampleModels/tiny-deberta-v3/expected/hello.safetensors"))
        let ids = try #require(expected.view("input_ids")?.floats()).map { Int($0) }
        #expect(encoding.ids == ids)
        #expect(encoding.tokens == ["[CLS]", "▁Hello", "▁world", "[SEP]"])
    }
}
