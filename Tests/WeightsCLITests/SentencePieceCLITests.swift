import Foundation
import Testing

@Suite("weights tokenize with a SentencePiece model")
struct SentencePieceCLITests {
    struct TokenizeJSON: Decodable, Equatable {
        let tokens: [String]
        let ids: [Int]
    }

    /// The ids the fixture script computed with the `sentencepiece` library.
    struct Expected: Decodable {
        struct Model: Decodable { let wrapped: [[Int]] }
        let texts: [String]
        let models: [String: Model]
    }

    static let expected = try! JSONDecoder().decode(Expected.self, from: Data(contentsOf: URL(fileURLWithPath: CLI.path("Formats/vectors/sentencepiece/expected.json"))))

    @Test("weights tokenize DIR \"Hello world\" on a folder with spm.model and tokenizer_config.json",
          arguments: ["nfkc", "nfkc-bytes", "identity"])
    func helloWorld(_ model: String) throws {
        let directory = TemporaryDirectory()
        for file in ["spm.model", "tokenizer_config.json"] {
            try FileManager.default.copyItem(atPath: CLI.path("Formats/vectors/sentencepiece/\(model)/\(file)"), toPath: directory.file(file))
        }
        let result = try CLI.run(["tokenize", directory.path, "Hello world", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(TokenizeJSON.self, from: Data(result.stdout.utf8))
        let index = try #require(Self.expected.texts.firstIndex(of: "Hello world"))
        #expect(report.ids == Self.expected.models[model]?.wrapped[index])
        #expect(report.tokens.first == "[CLS]" && report.tokens.last == "[SEP]")

        let table = try CLI.run(["tokenize", directory.path + "/spm.model", "Hello [MASK] world"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.hasPrefix(" #   ID  TOKEN\n 0    1  [CLS]\n"))
        #expect(table.stdout.contains("  [MASK]\n"))
    }

    @Test("a broken spm.model fails in one line naming the file and the rule")
    func broken() throws {
        let directory = TemporaryDirectory()
        try Data([0x0A, 0x05, 0x01]).write(to: URL(fileURLWithPath: directory.file("spm.model")))
        let result = try CLI.run(["tokenize", directory.path, "Hello"])
        #expect(result.status == 1)
        #expect(result.stderr == "weights: error: \(directory.file("spm.model")): length 5 at byte 1 runs past the end of its message (1 bytes left; truncated file?) [length-past-end]\n")
    }
}
