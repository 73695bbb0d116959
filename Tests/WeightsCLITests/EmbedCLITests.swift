import Foundation
import Testing
import WeightsKit

@Suite("weights embed")
struct EmbedCLITests {
    static let sample = CLI.path("SampleModels/tiny-deberta")
    static let minilm = QuantizeCLITests.minilm

    @Test("all-MiniLM-L6-v2 on \"Hello world\": 4 tokens, shape [1, 4, 384], outputs equal to transformers")
    func helloWorld() throws {
        try #require(FileManager.default.fileExists(atPath: Self.minilm + "/model.safetensors"), "run `make minilm` first")
        let directory = TemporaryDirectory()
        let output = directory.file("out.safetensors")
        let result = try CLI.run(["embed", Self.minilm, "--text", "Hello world", "--pool", "mean", "--output", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sequence 0: 4 tokens"))
        #expect(result.stdout.contains("[CLS]") && result.stdout.contains("hello") && result.stdout.contains("world") && result.stdout.contains("[SEP]"))
        #expect(result.stdout.contains("shape [1, 4, 384]"))
        let written = try SafetensorsFile(path: output)
        #expect(written.view("last_hidden_state")?.shape == Shape([1, 4, 384]))
        #expect(written.view("attention_mask")?.dtype == .i64)
        #expect(written.view("sentence_embedding")?.shape == Shape([1, 384]))
        // The same input through transformers (Scripts/make_minilm_reference.py, batch_a).
        let reference = try SafetensorsFile(path: CLI.path("Formats/vectors/encoder/minilm-reference.safetensors"))
        let expected = try #require(reference.view("batch_a.last_hidden_state")?.floats())
        let actual = try #require(written.view("last_hidden_state")?.floats())
        #expect(zip(expected, actual).map { abs($0 - $1) }.max() ?? 1 < 1e-4)
        let embedding = try #require(written.view("sentence_embedding")?.floats())
        let expectedEmbedding = try #require(reference.view("sentences.embedding")?.floats())
        #expect(zip(embedding, expectedEmbedding.prefix(384)).map { abs($0 - $1) }.max() ?? 1 < 1e-4)
    }

    @Test("a padded batch of --ids with --type-ids, and --json")
    func idsBatch() throws {
        let result = try CLI.run(["embed", Self.sample, "--ids", "1,5,6,2", "--ids", "1,300,2", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        struct Report: Decodable { let shape: [Int]; let attention_mask: [[Int]] }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.shape == [2, 4, 32])
        #expect(report.attention_mask == [[1, 1, 1, 1], [1, 1, 1, 0]])
    }

    @Test("clear errors: text without a vocabulary, bad ids, mismatched type ids, ids outside the vocabulary")
    func errors() throws {
        let noVocabulary = try CLI.run(["embed", Self.sample, "--text", "hello"])
        #expect(noVocabulary.status == 1)
        #expect(noVocabulary.stderr.contains("--ids"))
        #expect(noVocabulary.stderr.split(separator: "\n").count == 1)
        #expect(try CLI.run(["embed", Self.sample, "--ids", "1,x"]).status == 64)
        #expect(try CLI.run(["embed", Self.sample, "--ids", "1,2", "--type-ids", "0,0", "--type-ids", "0"]).status == 64)
        #expect(try CLI.run(["embed", Self.sample]).status == 64)
        let outside = try CLI.run(["embed", Self.sample, "--ids", "1,5000,2"])
        #expect(outside.status == 1)
        #expect(outside.stderr.contains("outside the vocabulary"))
    }
}
