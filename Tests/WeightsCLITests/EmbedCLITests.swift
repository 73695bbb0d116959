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

/// `weights embed` on a sentence-transformers folder: pooled and cut as the folder says,
/// against `SentenceTransformer(folder).encode` (Formats/vectors/sentence-transformers).
@Suite("weights embed on sentence-transformers folders")
struct EmbedSentenceTransformersCLITests {
    static let minilm = QuantizeCLITests.minilm
    static let vectors = CLI.path("Formats/vectors/sentence-transformers")

    struct Cases: Decodable { let texts: [String] }
    static let texts = FixtureFiles.decode(Cases.self, from: vectors + "/cases.json").texts

    struct Report: Decodable {
        struct Pooling: Decodable { let modes: [String]; let normalize: Bool }
        let ids: [[Int]]
        let sentence_embedding: [[Double]]
        let pooling: Pooling
    }

    /// Row `row` of the reference embedding of `name`.
    static func expected(_ name: String, row: Int) throws -> [Float] {
        let view = try #require(try SafetensorsFile(path: vectors + "/minilm-embeddings.safetensors").view("\(name).embedding"))
        let width = view.shape.dims[1]
        return Array(try #require(view.floats())[(row * width)..<((row + 1) * width)])
    }

    static func maxError(_ ours: [Double], _ expected: [Float]) -> Double {
        guard ours.count == expected.count else { return .infinity }
        return zip(ours, expected).map { abs($0 - Double($1)) }.max() ?? .infinity
    }

    @Test("without --pool, a 592-token text is cut to 256 and mean-pooled, normalised, as the folder says")
    func folderDefault() throws {
        try #require(FileManager.default.fileExists(atPath: Self.minilm + "/model.safetensors"), "run `make minilm` first")
        let result = try CLI.run(["embed", Self.minilm, "--text", Self.texts[3], "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("592 tokens; cut to 256"))
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.ids.first?.count == 256 && report.ids.first?.last == 102)
        #expect(report.pooling.modes == ["mean"] && report.pooling.normalize)
        let error = Self.maxError(try #require(report.sentence_embedding.first), try Self.expected("default", row: 3))
        #expect(error < 1e-4, "max abs error \(error)")
    }

    @Test("--max-length 512 and --pool replace the folder's settings; --output holds the same embedding")
    func overrides() throws {
        try #require(FileManager.default.fileExists(atPath: Self.minilm + "/model.safetensors"), "run `make minilm` first")
        let long = try CLI.run(["embed", Self.minilm, "--text", Self.texts[3], "--max-length", "512", "--json"])
        #expect(long.status == 0, "\(long.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(long.stdout.utf8))
        #expect(report.ids.first?.count == 512)
        #expect(Self.maxError(try #require(report.sentence_embedding.first), try Self.expected("max512", row: 3)) < 1e-4)

        let directory = TemporaryDirectory()
        let output = directory.file("out.safetensors")
        let pooled = try CLI.run(["embed", Self.minilm, "--text", Self.texts[0], "--text", Self.texts[2], "--pool", "weightedmean",
                                  "--no-normalize", "--output", output, "--values", "0"])
        #expect(pooled.status == 0, "\(pooled.stderr)")
        #expect(pooled.stdout.contains("position-weighted mean): shape [2, 384]"))
        let written = try #require(try SafetensorsFile(path: output).view("sentence_embedding")?.floats())
        let expected = try Self.expected("weightedmean", row: 0) + Self.expected("weightedmean", row: 2)
        #expect(zip(written, expected).map { abs($0 - $1) }.max() ?? 1 < 1e-4)
    }

    @Test("a copy of the folder with another 1_Pooling/config.json and no Normalize pools as it says")
    func modifiedFolder() throws {
        try #require(FileManager.default.fileExists(atPath: Self.minilm + "/model.safetensors"), "run `make minilm` first")
        let directory = TemporaryDirectory()
        for name in ["config.json", "model.safetensors", "tokenizer.json", "sentence_bert_config.json"] {
            try FileManager.default.createSymbolicLink(atPath: directory.file(name), withDestinationPath: Self.minilm + "/" + name)
        }
        try FileManager.default.createDirectory(atPath: directory.file("1_Pooling"), withIntermediateDirectories: true)
        try #"{"embedding_dimension": 384, "pooling_mode": "lasttoken"}"#.write(toFile: directory.file("1_Pooling/config.json"), atomically: true, encoding: .utf8)
        try #"[{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}, {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]"#
            .write(toFile: directory.file("modules.json"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["embed", directory.path, "--text", Self.texts[2], "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.pooling.modes == ["lasttoken"] && !report.pooling.normalize)
        #expect(Self.maxError(try #require(report.sentence_embedding.first), try Self.expected("lasttoken", row: 2)) < 1e-4)

        // A malformed modules.json: one line naming the file and the rule, exit 1.
        try #"[{"path": "", "type": "sentence_transformers.models.Transformer"}, {"path": "2_Dense", "type": "sentence_transformers.models.Dense"}]"#
            .write(toFile: directory.file("modules.json"), atomically: true, encoding: .utf8)
        let dense = try CLI.run(["embed", directory.path, "--text", "hello"])
        #expect(dense.status == 1)
        #expect(dense.stderr.hasPrefix("weights: error: \(directory.file("modules.json")): module 1 (sentence_transformers.models.Dense)"))
        #expect(dense.stderr.hasSuffix("[unsupported-module]\n") && dense.stderr.split(separator: "\n").count == 1)
    }

    @Test("the older layout: the Transformer module in 0_Transformer/, weights and tokenizer read from there")
    func transformerSubfolder() throws {
        try #require(FileManager.default.fileExists(atPath: Self.minilm + "/model.safetensors"), "run `make minilm` first")
        let directory = TemporaryDirectory()
        for folder in ["0_Transformer", "1_Pooling"] {
            try FileManager.default.createDirectory(atPath: directory.file(folder), withIntermediateDirectories: true)
        }
        for name in ["config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "sentence_bert_config.json"] {
            try FileManager.default.createSymbolicLink(atPath: directory.file("0_Transformer/" + name), withDestinationPath: Self.minilm + "/" + name)
        }
        try FileManager.default.copyItem(atPath: Self.minilm + "/1_Pooling/config.json", toPath: directory.file("1_Pooling/config.json"))
        try #"[{"path": "0_Transformer", "type": "sentence_transformers.models.Transformer"}, {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}, {"path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]"#
            .write(toFile: directory.file("modules.json"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["embed", directory.path, "--text", Self.texts[2], "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(Self.maxError(try #require(report.sentence_embedding.first), try Self.expected("default", row: 2)) < 1e-4)
    }

    @Test("a folder's max_seq_length beyond the model's 512 positions: a short text embeds, a 592-token one is refused naming the setting")
    func folderLengthBeyondPositions() throws {
        try #require(FileManager.default.fileExists(atPath: Self.minilm + "/model.safetensors"), "run `make minilm` first")
        let directory = TemporaryDirectory()
        // Module folders must be folders of the model folder (a symlinked one is refused);
        // the files in them may be symlinks.
        try FileManager.default.createDirectory(atPath: directory.file("1_Pooling"), withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors", "tokenizer.json", "modules.json", "1_Pooling/config.json"] {
            try FileManager.default.createSymbolicLink(atPath: directory.file(name), withDestinationPath: Self.minilm + "/" + name)
        }
        try #"{"max_seq_length": 100000}"#.write(toFile: directory.file("sentence_bert_config.json"), atomically: true, encoding: .utf8)
        #expect(try CLI.run(["embed", directory.path, "--text", Self.texts[2]]).status == 0)
        let long = try CLI.run(["embed", directory.path, "--text", Self.texts[2], "--text", Self.texts[3]])
        #expect(long.status == 1)
        #expect(long.stderr.hasPrefix("weights: error: \(directory.file("sentence_bert_config.json")): max_seq_length 100000 exceeds"))
        #expect(long.stderr.contains("text 1 has 592 tokens") && long.stderr.split(separator: "\n").count == 1)
    }

    @Test("flag errors: --max-length beyond the positions, below 2, with --ids; --normalize without pooling")
    func flagErrors() throws {
        let sample = CLI.path("SampleModels/tiny-deberta")
        #expect(try CLI.run(["embed", sample, "--ids", "1,2", "--max-length", "8"]).status == 64)
        #expect(try CLI.run(["embed", sample, "--text", "hi", "--max-length", "1"]).status == 64)
        let normalize = try CLI.run(["embed", sample, "--ids", "1,2", "--normalize"])
        #expect(normalize.status == 1 && normalize.stderr.contains("--pool"))
        #expect(try CLI.run(["embed", sample, "--ids", "1,2", "--pool", "median"]).status == 64)
        try #require(FileManager.default.fileExists(atPath: Self.minilm + "/model.safetensors"), "run `make minilm` first")
        let beyond = try CLI.run(["embed", Self.minilm, "--text", "hi", "--max-length", "513"])
        #expect(beyond.status == 1 && beyond.stderr.contains("512 positions"))
    }
}
