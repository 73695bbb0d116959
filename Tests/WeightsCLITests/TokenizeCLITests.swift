import Foundation
import Testing

@Suite("weights tokenize")
struct TokenizeCLITests {
    static let minilm = CLI.path("Formats/vectors/tokenizer/minilm")

    struct TokenizeJSON: Decodable, Equatable {
        let tokens: [String]
        let ids: [Int]
    }

    @Test("--json prints the tokens and ids of Hugging Face tokenizers, keys sorted")
    func json() throws {
        let result = try CLI.run(["tokenize", Self.minilm, "Hello world", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("{\n  \"ids\": ["))
        let report = try JSONDecoder().decode(TokenizeJSON.self, from: Data(result.stdout.utf8))
        #expect(report == TokenizeJSON(tokens: ["[CLS]", "hello", "world", "[SEP]"], ids: [101, 7592, 2088, 102]))
    }

    @Test("the table lists position, id and token")
    func table() throws {
        let result = try CLI.run(["tokenize", Self.minilm, "Crème brûlée!"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            #     ID  TOKEN
            0    101  [CLS]
            1  13675  cr
            2  21382  ##eme
            3   7987  br
            4   9307  ##ule
            5   2063  ##e
            6    999  !
            7    102  [SEP]

            """)
        #expect(result.stderr.isEmpty)
    }

    @Test("MODEL may be vocab.txt, tokenizer.json or another file of the model directory",
          arguments: ["vocab.txt", "tokenizer.json", "tokenizer_config.json"])
    func modelFiles(_ file: String) throws {
        let result = try CLI.run(["tokenize", Self.minilm + "/" + file, "naïve [MASK]", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(TokenizeJSON.self, from: Data(result.stdout.utf8))
        #expect(report.tokens == ["[CLS]", "naive", "[MASK]", "[SEP]"])
        #expect(report.ids == [101, 15743, 103, 102])
    }

    @Test("--max-length keeps the first tokens and still ends with [SEP]")
    func maxLength() throws {
        let result = try CLI.run(["tokenize", Self.minilm, "one two three four", "--max-length", "4", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(TokenizeJSON.self, from: Data(result.stdout.utf8))
        #expect(report.tokens == ["[CLS]", "one", "two", "[SEP]"])
    }

    @Test("--max-length below 2 is a usage error")
    func maxLengthTooSmall() throws {
        let result = try CLI.run(["tokenize", Self.minilm, "text", "--max-length", "1"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--max-length"))
    }

    @Test("a model without a tokenizer fails in one line pointing to --ids")
    func noVocabulary() throws {
        let result = try CLI.run(["tokenize", CLI.path("SampleModels/tiny-deberta"), "Hello"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("weights: error: "))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("no tokenizer (vocab.txt, tokenizer.json with a WordPiece model, or spm.model)"))
        #expect(result.stderr.contains("--ids"))
        #expect(result.stderr.contains("weights embed"))
    }

    @Test("a missing model and a broken tokenizer.json fail in one line naming the file")
    func brokenInput() throws {
        let missing = try CLI.run(["tokenize", "/nonexistent/model", "Hello"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("weights: error: /nonexistent/model: "))

        let directory = TemporaryDirectory()
        try Data(#"{"model": {"type": "WordPiece", "vocab": {"a": 0,}}}"#.utf8).write(to: URL(fileURLWithPath: directory.file("tokenizer.json")))
        let broken = try CLI.run(["tokenize", directory.path, "Hello"])
        #expect(broken.status == 1)
        #expect(broken.stderr == "weights: error: \(directory.file("tokenizer.json")): invalid JSON at byte 49: expected a string key, found '}' [invalid-tokenizer-file]\n")
    }
}
