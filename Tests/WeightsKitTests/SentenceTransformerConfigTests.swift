import Foundation
import Testing
import TestSupport
import WeightsKit

/// The folder reader against config-only folders whose expected settings sentence-transformers
/// itself read (its Pooling class parses 1_Pooling/config.json; Scripts/make_sentence_transformers_reference.py).
@Suite("sentence-transformers folders: modules.json, sentence_bert_config.json, 1_Pooling")
struct SentenceTransformerConfigTests {
    static let folders = Repository.path("Formats/vectors/sentence-transformers/folders")
    static let valid = FixtureFiles.names(in: folders + "/valid", suffix: "")
    static let invalid = FixtureFiles.names(in: folders + "/invalid", suffix: "")

    struct Expected: Decodable {
        let transformer_path: String
        let normalize: Bool
        let max_seq_length: Int?
        let do_lower_case: Bool
        let pooling_mode: [String]
        let include_prompt: Bool?
        let embedding_dimension: Int?
    }

    struct ExpectedError: Decodable {
        let code: String
        let file: String
    }

    @Test("every fixture folder is tested")
    func counts() {
        #expect(Self.valid.count == 8)
        #expect(Self.invalid.count == 14)
    }

    @Test("valid folders give the settings sentence-transformers reads", arguments: valid)
    func validFolder(_ name: String) throws {
        let directory = Self.folders + "/valid/" + name
        let expected = FixtureFiles.decode(Expected.self, from: directory + "/expected.json")
        let config = try #require(try ModelLocation(directory).sentenceTransformerConfig())
        #expect(config.transformerPath == expected.transformer_path)
        #expect(config.transformerDirectory == (expected.transformer_path.isEmpty ? directory : directory + "/" + expected.transformer_path))
        #expect(config.normalize == expected.normalize)
        #expect(config.maxSequenceLength == expected.max_seq_length)
        #expect(config.lowercase == expected.do_lower_case)
        #expect(config.pooling.map(\.rawValue) == expected.pooling_mode)
        #expect(config.includePrompt == (expected.include_prompt ?? true))
        #expect(config.embeddingDimension == expected.embedding_dimension)
    }

    @Test("malformed folders are refused naming the file and the rule", arguments: invalid)
    func invalidFolder(_ name: String) throws {
        let directory = Self.folders + "/invalid/" + name
        let expected = FixtureFiles.decode(ExpectedError.self, from: directory + "/expected-error.json")
        do {
            let config = try SentenceTransformerConfig(directory: directory)
            Issue.record("\(name): accepted as \(config)")
        } catch {
            #expect(error.code == expected.code, "\(error)")
            #expect(error.path == directory + "/" + expected.file)
            #expect(error.description.hasPrefix(directory + "/" + expected.file + ": "))
            #expect(error.description.hasSuffix("[\(expected.code)]"))
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("a folder without modules.json is not a sentence-transformers folder")
    func plainFolder() throws {
        #expect(try ModelLocation(Repository.path("SampleModels/tiny-deberta")).sentenceTransformerConfig() == nil)
        let directory = TemporaryDirectory()
        #expect(throws: SentenceTransformerConfigError.missingFile(path: directory.file("modules.json"), neededBy: "a sentence-transformers folder")) {
            try SentenceTransformerConfig(directory: directory.path)
        }
    }

    @Test("a Transformer or Pooling folder that is a symlink (even to a real module outside) or a file is refused naming modules.json",
          arguments: [("0_Transformer", "link", 0, "a symlink"), ("1_Pooling", "link", 1, "a symlink"),
                      ("1_Pooling", "file", 1, "a regular file")])
    func moduleFolderNotInside(_ module: String, _ kind: String, _ index: Int, _ found: String) throws {
        let directory = TemporaryDirectory()
        let outside = TemporaryDirectory()
        try #"{"pooling_mode": "mean"}"#.write(toFile: outside.file("config.json"), atomically: true, encoding: .utf8)
        for folder in ["0_Transformer", "1_Pooling"] where folder != module {
            try FileManager.default.createDirectory(atPath: directory.file(folder), withIntermediateDirectories: true)
        }
        if module != "1_Pooling" {
            try #"{"pooling_mode": "mean"}"#.write(toFile: directory.file("1_Pooling/config.json"), atomically: false, encoding: .utf8)
        }
        if kind == "link" {
            try FileManager.default.createSymbolicLink(atPath: directory.file(module), withDestinationPath: outside.path)
        } else {
            writeBytes([], to: directory.file(module))
        }
        let modules = #"[{"path": "0_Transformer", "type": "sentence_transformers.models.Transformer"}, {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]"#
        try modules.write(toFile: directory.file("modules.json"), atomically: true, encoding: .utf8)
        #expect(throws: SentenceTransformerConfigError.moduleFolderNotInside(path: directory.file("modules.json"), index: index, folder: module, found: found)) {
            try SentenceTransformerConfig(directory: directory.path)
        }
    }

    @Test("a weights file inside the folder stands for the folder")
    func fromWeightsFile() throws {
        let directory = Self.folders + "/valid/published-minilm"
        let config = try #require(try ModelLocation(directory + "/model.safetensors").sentenceTransformerConfig())
        #expect(config.directory == directory && config.pooling == [.mean] && config.maxSequenceLength == 256)
    }

    @Test("hostile values: huge integers, fractions, deep nesting and non-UTF-8 are refused, never trapped on")
    func hostileValues() throws {
        let cases: [(String, String, String)] = [
            ("sentence_bert_config.json", #"{"max_seq_length": 99999999999999999999999}"#, "invalid-field"),
            ("sentence_bert_config.json", #"{"max_seq_length": 256.5}"#, "invalid-field"),
            ("sentence_bert_config.json", #"{"max_seq_length": 1}"#, "invalid-field"),  // no room for [CLS] and [SEP]
            ("sentence_bert_config.json", String(repeating: "[", count: 5000), "invalid-json"),
            ("1_Pooling/config.json", "{\"pooling_mode\": \"m\u{FF}\"}", "invalid-field"),
            ("modules.json", #"[{"path": "", "type": "sentence_transformers.models.Transformer"}, 5]"#, "invalid-field"),
            ("modules.json", "[]", "invalid-field"),
        ]
        for (file, text, code) in cases {
            let directory = TemporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory.file("1_Pooling"), withIntermediateDirectories: true)
            let modules = #"[{"path": "", "type": "sentence_transformers.models.Transformer"}, {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]"#
            try modules.write(toFile: directory.file("modules.json"), atomically: true, encoding: .utf8)
            try #"{"pooling_mode": "mean"}"#.write(toFile: directory.file("1_Pooling/config.json"), atomically: true, encoding: .utf8)
            try text.write(toFile: directory.file(file), atomically: true, encoding: .utf8)
            #expect(throws: SentenceTransformerConfigError.self) { try SentenceTransformerConfig(directory: directory.path) }
            do { _ = try SentenceTransformerConfig(directory: directory.path) } catch { #expect(error.code == code, "\(file) \(text.prefix(40)): \(error)") }
        }
    }
}
