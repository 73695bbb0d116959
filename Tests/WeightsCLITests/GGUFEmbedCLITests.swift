import Foundation
import Testing
import WeightsKit

/// `weights embed model.gguf --text …` with nothing but the GGUF file: hyper-parameters,
/// vocabulary and pooling from its metadata, checked against the original model through
/// Hugging Face tokenizers and transformers (Scripts/gen_gguf_embed_vectors.py).
@Suite("weights embed on a GGUF file alone")
struct GGUFEmbedCLITests {
    static let bert = GGUFEmbedFixture.folder

    static let expected = GGUFEmbedFixture.expected

    /// A folder holding only a copy of model.gguf.
    static func loneCopy() throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: bert + "/model.gguf", toPath: directory.file("model.gguf"))
        return directory
    }

    @Test("ids as Hugging Face tokenizers gives on the original vocab.txt; last_hidden_state within 1e-4 of transformers; mean pooled, normalised")
    func matchesOriginalModel() throws {
        let directory = try Self.loneCopy()
        #expect(directory.contents == ["model.gguf"])
        let output = directory.file("out.safetensors")
        let arguments = ["embed", directory.file("model.gguf")] + Self.expected.texts.flatMap { ["--text", $0] } + ["--output", output, "--json"]
        let result = try CLI.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        struct Report: Decodable { let ids: [[Int]]; let tokens: [[String]]; let attention_mask: [[Int]]; let shape: [Int] }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.attention_mask == Self.expected.attention_mask)
        #expect(report.shape == Self.expected.last_hidden_state_shape)
        let real = zip(report.ids, Self.expected.attention_mask).map { ids, mask in zip(ids, mask).filter { $1 == 1 }.map(\.0) }
        #expect(real == Self.expected.ids)
        #expect(report.tokens == Self.expected.tokens)
        let written = try SafetensorsFile(path: output)
        let states = try #require(written.view("last_hidden_state")?.floats())
        let hidden = Self.expected.last_hidden_state_shape[2], length = Self.expected.last_hidden_state_shape[1]
        var worst: Float = 0
        for (index, (ours, theirs)) in zip(states, Self.expected.last_hidden_state).enumerated()
        where Self.expected.attention_mask[index / (length * hidden)][(index / hidden) % length] == 1 {
            worst = max(worst, abs(ours - theirs))
        }
        #expect(states.count == Self.expected.last_hidden_state.count)
        #expect(worst < 1e-4, "max abs error \(worst)")
        let pooled = try #require(written.view("sentence_embedding")?.floats())
        #expect(pooled.count == Self.expected.sentence_embedding.count)
        #expect(zip(pooled, Self.expected.sentence_embedding).map { abs($0 - $1) }.max() ?? 1 < 1e-5)
    }

    @Test("the folder stands for its one .gguf; --pool and --no-normalize still apply")
    func folderAndFlags() throws {
        let directory = try Self.loneCopy()
        let result = try CLI.run(["embed", directory.path, "--text", Self.expected.texts[0], "--pool", "cls", "--no-normalize", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        struct Report: Decodable { struct Pooling: Decodable { let modes: [String]; let normalize: Bool }; let ids: [[Int]]; let pooling: Pooling; let sentence_embedding: [[Float]] }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.ids == [Self.expected.ids[0]])
        #expect(report.pooling.modes == ["cls"] && !report.pooling.normalize)
        // cls without normalising is position 0's vector of transformers' last_hidden_state.
        let hidden = Self.expected.last_hidden_state_shape[2]
        let cls = Array(Self.expected.last_hidden_state[0..<hidden])
        #expect(zip(try #require(report.sentence_embedding.first), cls).map { abs($0 - $1) }.max() ?? 1 < 1e-4)
        let tokenize = try CLI.run(["tokenize", directory.file("model.gguf"), Self.expected.texts[1], "--json"])
        #expect(tokenize.status == 0, "\(tokenize.stderr)")
        struct Tokens: Decodable { let ids: [Int] }
        #expect(try JSONDecoder().decode(Tokens.self, from: Data(tokenize.stdout.utf8)).ids == Self.expected.ids[1])
    }
}
