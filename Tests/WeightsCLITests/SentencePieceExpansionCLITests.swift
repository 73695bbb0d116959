import Foundation
import Testing

/// An spm.model whose charsmap writes 1,000 × "b" for ﬁ (Formats/vectors/sentencepiece/hostile,
/// which sentencepiece loads): the normalized text is a thousand times the input. Before,
/// `tokenize --max-length 16` of 20,000 ﬁ built the whole 20 MB lattice (28.8 s, 1.07 GB peak),
/// and `embed --text` then tokenized the text again in full to count its tokens (1.1 GB).
@Suite("weights tokenize / embed with a charsmap rule that expands text a thousandfold")
struct SentencePieceExpansionCLITests {
    struct Expected: Decodable {
        struct Model: Decodable { let ids: [IDs]? }
        /// All ids, or the first 64 and the count. A struct, not an enum with payloads:
        /// LeakSanitizer cannot follow a multi-payload enum's tagged pointers from a global
        /// (make test-asan reported the id arrays as leaked).
        struct IDs: Decodable {
            let first: [Int]
            private enum Key: String, CodingKey { case first }
            init(from decoder: any Decoder) throws {
                if let long = try? decoder.container(keyedBy: Key.self) {
                    first = try long.decode([Int].self, forKey: .first)
                } else {
                    first = try decoder.singleValueContainer().decode([Int].self)
                }
            }
        }
        let models: [String: Model]
    }

    static let expected = try! JSONDecoder().decode(Expected.self, from: Data(contentsOf: URL(fileURLWithPath: CLI.path("Formats/vectors/sentencepiece/hostile/expected.json"))))

    struct TokenizeJSON: Decodable { let ids: [Int] }

    /// A folder holding the hostile model as spm.model, and `extra` files copied from the repository.
    private static func folder(_ model: String, extra: [String: String] = [:]) throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: CLI.path("Formats/vectors/sentencepiece/hostile/\(model).model"), toPath: directory.file("spm.model"))
        for (name, source) in extra { try FileManager.default.copyItem(atPath: CLI.path(source), toPath: directory.file(name)) }
        return directory
    }

    /// Runs `weights ARGS` under /usr/bin/time: the result and the peak resident memory in kB.
    private static func measured(_ arguments: [String], environment: [String: String] = [:]) throws -> (CLI.Result, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "maxrss-kb %M", CLI.binary] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let line = stderr.split(separator: "\n").last { $0.hasPrefix("maxrss-kb ") }
        let kilobytes = line.flatMap { Int($0.dropFirst("maxrss-kb ".count)) } ?? Int.max
        return (CLI.Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: stderr), kilobytes)
    }

    @Test("tokenize --max-length 16 of 20,000 ﬁ: sentencepiece's first ids, segmenting only what they need")
    func cutBeforeTheLattice() throws {
        let directory = try Self.folder("expanding-rule")
        let first = try #require(Self.expected.models["expanding-rule"]?.ids?[2].first)
        let (result, kilobytes) = try Self.measured(["tokenize", directory.path, String(repeating: "\u{FB01}", count: 20000), "--max-length", "16", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let ids = try JSONDecoder().decode(TokenizeJSON.self, from: Data(result.stdout.utf8)).ids
        #expect(ids == [1] + first.prefix(14) + [2])
        #expect(kilobytes < 120_000, "peak resident memory \(kilobytes) kB")
    }

    @Test("where no piece boundary settles (a \"bb\" piece), the lattice is budgeted: [insufficient-memory], cut or not")
    func budgeted() throws {
        let directory = try Self.folder("expanding-rule-bb")
        let text = String(repeating: "\u{FB01}", count: 20000)
        for cut in [[], ["--max-length", "16"]] {
            let (result, _) = try Self.measured(["tokenize", directory.path, text] + cut, environment: ["WEIGHTS_MEMORY_LIMIT": "20000000"])
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("weights: error: tokenizing a text with spm.model needs "), "\(result.stderr)")
            #expect(result.stderr.contains(" MB, 20.0 MB available [insufficient-memory]\n"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        // Three ﬁ fit, and give sentencepiece's ids.
        let small = try CLI.run(["tokenize", directory.path, String(repeating: "\u{FB01}", count: 3), "--json", "--max-length", "66"])
        #expect(small.status == 0, "\(small.stderr)")
        let first = try #require(Self.expected.models["expanding-rule-bb"]?.ids?[1].first)
        #expect(try JSONDecoder().decode(TokenizeJSON.self, from: Data(small.stdout.utf8)).ids == [1] + first + [2])
    }

    @Test("embed --text of 3,000 ﬁ with a DeBERTa-v3 model: cut to 512 with the count noted, the ids past the cut never held")
    func embedCounts() throws {
        let directory = try Self.folder("expanding-rule", extra: [
            "config.json": "SampleModels/tiny-deberta-v3/config.json",
            "pytorch_model.bin": "SampleModels/tiny-deberta-v3/pytorch_model.bin",
            "tokenizer_config.json": "SampleModels/tiny-deberta-v3/tokenizer_config.json",
        ])
        let (result, kilobytes) = try Self.measured(["embed", directory.path, "--text", String(repeating: "\u{FB01}", count: 3000)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("weights: warning: text 0 has 3000003 tokens; cut to 512 (max_position_embeddings; --max-length to change)\n"))
        #expect(result.stdout.contains("sequence 0: 512 tokens"))
        // AddressSanitizer's shadow memory and quarantine keep hundreds of MB resident.
        if !CLI.underAddressSanitizer { #expect(kilobytes < 120_000, "peak resident memory \(kilobytes) kB") }
    }
}
