import Foundation
import Testing

/// What an attack on the hardened build still found, each pinned by a test.
@Suite("weights against the second round of hostile inputs")
struct AttackRegressionCLITests {
    static let sample = CLI.path("SampleModels/tiny-deberta")

    @Test("--force never replaces a FIFO (or other non-regular file) with the output")
    func forceKeepsSpecialFiles() throws {
        let directory = TemporaryDirectory()
        let fifo = directory.file("out.wpk")
        #expect(mkfifo(fifo, 0o644) == 0)
        let result = try HostileFiles.runBounded(["convert", Self.sample, fifo, "--force"])
        #expect(result.status == 1)
        #expect(result.stderr == "weights: error: \(fifo): cannot replace: not a regular file (a FIFO)\n")
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
        #expect(directory.contents == ["out.wpk"])
    }

    @Test("a shard name with a NUL is refused, not opened as the name before the NUL")
    func nulInShardName() throws {
        let directory = TemporaryDirectory()
        try HostileFiles.safetensors([HostileFiles.f32("a", [1, 2])], to: directory.file("s1.safetensors"))
        try HostileFiles.safetensors([HostileFiles.f32("b", [3])], to: directory.file("s2.safetensors"))
        let index = #"{"weight_map": {"a": "s1.safetensors\u0000x", "b": "s2.safetensors"}}"#
        try index.write(toFile: directory.file("model.safetensors.index.json"), atomically: true, encoding: .utf8)
        let result = try CLI.run(["inspect", directory.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains(#"shard name "s1.safetensors\u{0}x" must be a plain file name beside the index [unsafe-shard-name]"#), "\(result.stderr)")
    }

    @Test("under an address-space limit (ulimit -v), a compressed claim larger than what is left is a memory error, not an abort",
          .disabled(if: CLI.underAddressSanitizer, "an address-space limit cannot apply to an AddressSanitizer binary"))
    func addressSpaceLimitInflate() throws {
        let directory = TemporaryDirectory()
        let pack = directory.file("bomb.wpk")
        // 1 MB stored claiming 1 GB (2 GB to unshuffle), with 800 MB of address space.
        writeBytes(DecompressionBombCLITests.bomb(stored: 1_000_000, elements: 250_000_000), to: pack)
        for command in [["inspect", pack, "--stats"], ["convert", pack, directory.file("out.safetensors")]] {
            let result = try CLI.run(command, shellPrefix: "ulimit -v 800000")
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("inflating tensor \"w\" needs 2.0 GB") && result.stderr.contains("[insufficient-memory]"), "\(result.stderr)")
        }
        #expect(directory.contents == ["bomb.wpk"])
    }

    @Test("under an address-space limit, embedding 8,000 tokens is a memory error, not an abort",
          .disabled(if: CLI.underAddressSanitizer, "an address-space limit cannot apply to an AddressSanitizer binary"))
    func addressSpaceLimitEmbed() throws {
        let ids = Array(repeating: "5", count: 8000).joined(separator: ",")
        let result = try CLI.run(["embed", Self.sample, "--ids", ids], shellPrefix: "ulimit -v 1200000")
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("weights: error: embedding 8000 tokens needs ") && result.stderr.contains("[insufficient-memory]"), "\(result.stderr)")
    }

    @Test("a tokenizer.json with a huge max_input_chars_per_word tokenizes a 4,000-letter word at once")
    func longWordHugeLimit() throws {
        let directory = TemporaryDirectory()
        let tokenizer = """
        {"model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                   "max_input_chars_per_word": 4611686018427387904,
                   "vocab": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "a": 3, "##a": 4}},
         "normalizer": null, "pre_tokenizer": {"type": "BertPreTokenizer"},
         "post_processor": {"type": "BertProcessing", "cls": ["[CLS]", 1], "sep": ["[SEP]", 2]}}
        """
        try tokenizer.write(toFile: directory.file("tokenizer.json"), atomically: true, encoding: .utf8)
        let result = try HostileFiles.runBounded(["tokenize", directory.path, String(repeating: "a", count: 4000), "--json"], seconds: 20)
        #expect(result.status == 0, "\(result.stderr)")
        // [CLS], "a", 3,999 × "##a", [SEP]: greedy longest match with a vocabulary of one letter.
        let expected = [1, 3] + Array(repeating: 4, count: 3999) + [2]
        let data = try #require(result.stdout.data(using: .utf8))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((object["ids"] as? [Int]) == expected, "\(result.stdout.prefix(200))")
    }
}
