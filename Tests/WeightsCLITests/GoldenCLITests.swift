import Foundation
import Testing

/// The human output of each command, compared with Golden/<name>.txt (its stdout; exit status
/// and stderr are checked here): byte for byte, except that values computed through BLAS or
/// threads (the encoder's) are compared as numbers with a tolerance, by the rule written in
/// GoldenNumbers.swift. Commands run in the repository root with relative paths, so the files
/// hold no machine's paths; the one timing (verify's) is replaced by a placeholder before comparing.
///
/// A change to the output fails here; if it is intended, re-record and review the diff:
///     RECORD_SNAPSHOTS=1 swift test --filter Golden     (then git diff Tests/WeightsCLITests/Golden)
/// A recording run fails each case it wrote, so it never passes unnoticed.
@Suite("Golden output of the human CLI")
struct GoldenCLITests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil

    static let sample = "SampleModels/tiny-deberta"
    static let damaged = "Formats/vectors/validate"
    static let minilmTokenizer = "Formats/vectors/tokenizer/minilm"

    struct Case: Sendable, CustomTestStringConvertible {
        /// The golden file's name, without ".txt".
        let name: String
        /// Arguments; "$TMP" stands for a scratch directory holding int8.wpk (the sample, --dtype int8).
        let arguments: [String]
        let status: Int32
        /// How its numbers are compared (GoldenNumbers): text unless they pass through BLAS.
        var numbers: GoldenNumbers = .exactText
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "inspect", arguments: ["inspect", sample], status: 0),
        Case(name: "inspect-tensor", arguments: ["inspect", sample, "--tensor", "embeddings.word_embeddings.weight"], status: 0),
        Case(name: "inspect-stats", arguments: ["inspect", sample, "--stats"], status: 0),
        Case(name: "inspect-weightpack", arguments: ["inspect", "Formats/vectors/weightpack/valid/mixed.wpk"], status: 0),
        Case(name: "validate", arguments: ["validate", sample], status: 0),
        Case(name: "validate-config-hidden-size", arguments: ["validate", damaged + "/config-hidden-size"], status: 1),
        Case(name: "validate-extra-tensor", arguments: ["validate", damaged + "/extra-tensor"], status: 0),
        Case(name: "validate-nan-row", arguments: ["validate", damaged + "/nan-row"], status: 1),
        Case(name: "validate-removed-tensor", arguments: ["validate", damaged + "/removed-tensor"], status: 1),
        Case(name: "validate-renamed-tensor", arguments: ["validate", damaged + "/renamed-tensor"], status: 1),
        Case(name: "validate-transposed-tensor", arguments: ["validate", damaged + "/transposed-tensor"], status: 1),
        Case(name: "validate-zeroed-tensor", arguments: ["validate", damaged + "/zeroed-tensor"], status: 1),
        Case(name: "diff-identical", arguments: ["diff", sample, sample], status: 0),
        Case(name: "diff-zeroed-tensor", arguments: ["diff", sample, damaged + "/zeroed-tensor"], status: 1),
        Case(name: "diff-removed-tensor", arguments: ["diff", sample, damaged + "/removed-tensor"], status: 1),
        Case(name: "diff-int8", arguments: ["diff", sample, "$TMP/int8.wpk"], status: 1),
        Case(name: "verify", arguments: ["verify", sample], status: 0),
        Case(name: "verify-weightpack", arguments: ["verify", "Formats/vectors/weightpack/valid/mixed-compressed.wpk"], status: 0),
        Case(name: "tokenize", arguments: ["tokenize", minilmTokenizer, "¿Qué? ¡Hola! (nested [brackets] {and} <angles>) naïve café"], status: 0),
        Case(name: "tokenize-max-length", arguments: ["tokenize", minilmTokenizer, "The quick brown fox jumps over the lazy dog.", "--max-length", "6"], status: 0),
        Case(name: "embed", arguments: ["embed", sample, "--ids", "1,17,42,99,2", "--pool", "mean"], status: 0,
             numbers: .computedValues),
        Case(name: "embed-batch", arguments: ["embed", sample, "--ids", "1,5,6,7,8,9,10,2", "--ids", "1,300,301,2", "--pool", "mean"], status: 0,
             numbers: .computedValues),
    ]

    /// verify's "verified in 0.001 s (0.27 GB/s)" depends on the machine.
    static func normalized(_ output: String) -> String {
        output.replacingOccurrences(of: #"verified in [0-9.]+ s \([0-9.]+ GB/s\)"#, with: "verified in SECONDS s (RATE GB/s)",
                                    options: .regularExpression)
    }

    @Test("22 cases, each with its golden file, and no golden file without a case")
    func filesMatchCases() throws {
        #expect(Self.cases.count == 22)
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".txt") }.sorted()
        #expect(files == Self.cases.map { $0.name + ".txt" }.sorted())
    }

    @Test("stdout equals the golden file", arguments: cases)
    func matchesGolden(_ test: Case) throws {
        let scratch = TemporaryDirectory()
        if test.arguments.contains(where: { $0.hasPrefix("$TMP") }) {
            let convert = try CLI.run(["convert", Self.sample, scratch.file("int8.wpk"), "--dtype", "int8", "--quiet"], currentDirectory: CLI.root.path)
            try #require(convert.status == 0, "\(convert.stderr)")
        }
        let arguments = test.arguments.map { $0.replacingOccurrences(of: "$TMP", with: scratch.path) }
        let result = try CLI.run(arguments, currentDirectory: CLI.root.path)
        #expect(result.status == test.status, "\(result.stderr)")
        // Failures are one line on stderr naming the input; success says nothing there.
        if test.status == 0 {
            #expect(result.stderr.isEmpty, "\(result.stderr)")
        } else if test.arguments[0] == "validate" {
            #expect(result.stderr.hasPrefix("weights: error: \(test.arguments[1]): not a valid deberta-v2 model: "), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        } else {
            #expect(result.stderr.isEmpty, "diff reports differences on stdout: \(result.stderr)")
        }
        let actual = Self.normalized(result.stdout)
        #expect(!actual.contains(scratch.path), "output holds a temporary path")

        let golden = Self.directory.appendingPathComponent(test.name + ".txt")
        if Self.recording {
            try Data(actual.utf8).write(to: golden)
            Issue.record("recorded \(golden.lastPathComponent); review it (git diff), then run without RECORD_SNAPSHOTS")
            return
        }
        let expected = try #require(try? String(contentsOf: golden, encoding: .utf8),
                                    "no \(golden.path): record it with RECORD_SNAPSHOTS=1 swift test --filter Golden")
        let mismatch = test.numbers.mismatch(actual: actual, expected: expected)
        #expect(mismatch == nil, "stdout differs from Golden/\(golden.lastPathComponent): \(mismatch ?? ""); if intended, re-record with RECORD_SNAPSHOTS=1")
    }

    @Test("only the encoder's outputs are compared as numbers")
    func numericCasesAreTheEncoders() {
        #expect(Self.cases.filter { $0.numbers == .computedValues }.map(\.name) == ["embed", "embed-batch"])
    }

    @Test("the numeric rule accepts a last-digit move between CPUs and rejects every real change")
    func numericRuleCanFail() {
        let golden = "3. sentence embeddings: shape [2, 32]\n  1  [-0.127193, 0.398009, 0.125138, 0.071659, ...]\n"
        let rule = GoldenNumbers.computedValues
        // What an AVX-512 machine printed where the golden file (AVX2) holds 0.071659.
        #expect(rule.mismatch(actual: golden.replacingOccurrences(of: "0.071659", with: "0.07166"), expected: golden) == nil)
        #expect(rule.mismatch(actual: golden, expected: golden) == nil)
        let changes = [("0.071659", "0.07176"), ("0.071659", "-0.071659"), ("[2, 32]", "[2, 33]"), ("  1  [", "  0  ["),
                       ("sentence", "token"), (", ...]", "]"), ("0.398009", "nan"), ("0.125138", "1.25138")]
        for (from, to) in changes {
            #expect(rule.mismatch(actual: golden.replacingOccurrences(of: from, with: to), expected: golden) != nil, "\(from) → \(to)")
        }
        #expect(rule.mismatch(actual: golden + "extra\n", expected: golden) != nil)
        #expect(GoldenNumbers.exactText.mismatch(actual: golden.replacingOccurrences(of: "0.071659", with: "0.07166"), expected: golden) != nil)
    }
}
