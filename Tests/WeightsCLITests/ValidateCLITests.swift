import Foundation
import Testing

@Suite("weights validate")
struct ValidateCLITests {
    static let sample = CLI.path("SampleModels/tiny-deberta")
    static let damaged = CLI.path("Formats/vectors/validate")

    struct Expectation: Decodable, Sendable {
        struct Problem: Decodable, Sendable {
            let code: String
            let severity: String
            let tensor: String
        }
        let problems: [Problem]
        let valid: Bool
        let valid_strict: Bool
    }

    static let expectations = FixtureFiles.decode([String: Expectation].self, from: damaged + "/manifest.json")

    @Test("the damaged copies are present: 7 in the manifest, each a directory")
    func fixturesPresent() {
        #expect(Self.expectations.count == 7)
        #expect(Self.expectations.keys.allSatisfy { FileManager.default.fileExists(atPath: Self.damaged + "/" + $0 + "/config.json") })
    }

    /// The `--json` report, decoded.
    struct Report: Decodable {
        struct Problem: Decodable {
            let code: String
            let severity: String
            let tensor: String?
            let message: String
        }
        let model_type: String?
        let valid: Bool
        let problems: [Problem]
    }

    static func report(_ result: CLI.Result) throws -> Report {
        try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    }

    @Test("the sample DeBERTa is valid: one summary line, exit 0, nothing on stderr")
    func sampleIsValid() throws {
        let result = try CLI.run(["validate", Self.sample])
        #expect(result.status == 0)
        #expect(result.stdout == "valid: deberta-v2, 38 tensors, 0 errors, 0 warnings\n")
        #expect(result.stderr.isEmpty)
    }

    @Test("text report: one line per problem, then the summary; one line on stderr; exit 1")
    func textReport() throws {
        let result = try CLI.run(["validate", Self.damaged + "/renamed-tensor"])
        #expect(result.status == 1)
        #expect(result.stdout == """
            warning: tensor "encoder.layer.1.attention.self.query.weight": unexpected, not part of a deberta-v2 model with this config [unexpected]
            error: tensor "encoder.layer.1.attention.self.query_proj.weight": missing (the layer 1 query weight, expected [32, 32]) [missing]
            invalid: deberta-v2, 38 tensors, 1 error, 1 warning

            """)
        #expect(result.stderr == "weights: error: \(Self.damaged)/renamed-tensor: not a valid deberta-v2 model: 1 error, 1 warning\n")
    }

    @Test("--json lists exactly each damaged copy's problems; exit status follows validity",
          arguments: expectations.keys.sorted())
    func damagedCopies(_ name: String) throws {
        let expected = try #require(Self.expectations[name])
        let result = try CLI.run(["validate", Self.damaged + "/" + name, "--json"])
        #expect(result.status == (expected.valid ? 0 : 1))
        let report = try Self.report(result)
        #expect(report.model_type == "deberta-v2" && report.valid == expected.valid)
        #expect(report.problems.map { "\($0.severity) \($0.code) \($0.tensor ?? "-")" }
            == expected.problems.map { "\($0.severity) \($0.code) \($0.tensor)" })
        let strict = try CLI.run(["validate", Self.damaged + "/" + name, "--strict"])
        #expect(strict.status == (expected.valid_strict ? 0 : 1))
    }

    @Test("--json keys are sorted; shapes are arrays; a missing tensor has a null actual")
    func jsonForm() throws {
        let result = try CLI.run(["validate", Self.damaged + "/transposed-tensor", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object.keys.sorted() == ["model_type", "problems", "valid"])
        let problem = try #require((object["problems"] as? [[String: Any]])?.first)
        #expect(problem.keys.sorted() == ["actual", "code", "expected", "message", "severity", "tensor"])
        #expect(problem["expected"] as? [Int] == [64, 32] && problem["actual"] as? [Int] == [32, 64])
        #expect(result.stdout.range(of: "\"actual\"")!.lowerBound < result.stdout.range(of: "\"code\"")!.lowerBound)
        let missing = try CLI.run(["validate", Self.damaged + "/removed-tensor", "--json"])
        #expect(missing.stdout.contains("\"actual\": null"))
    }

    @Test("a .wpk is checked against its embedded config; a damaged payload is a checksum error")
    func weightPack() throws {
        let directory = TemporaryDirectory()
        let pack = directory.file("model.wpk")
        #expect(try CLI.run(["convert", Self.sample, pack]).status == 0)
        let clean = try CLI.run(["validate", pack])
        #expect(clean.status == 0 && clean.stdout.hasPrefix("valid: deberta-v2, 38 tensors"))
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: pack)))
        bytes[bytes.count - 4] ^= 0x01  // the lowest mantissa byte of the last value of the last tensor
        try Data(bytes).write(to: URL(fileURLWithPath: pack))
        let result = try CLI.run(["validate", pack, "--json"])
        #expect(result.status == 1)
        let report = try Self.report(result)
        #expect(report.problems.map(\.code) == ["checksum"])
        #expect(report.problems.first?.tensor?.isEmpty == false)
    }

    @Test("--config replaces the config beside the weights")
    func explicitConfig() throws {
        let result = try CLI.run(["validate", Self.damaged + "/config-hidden-size", "--config", Self.sample + "/config.json"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("valid: deberta-v2"))
    }

    @Test("a missing, unsupported or broken config is a config problem: exit 1, values still checked")
    func configProblems() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: Self.damaged + "/nan-row/model.safetensors", toPath: directory.file("model.safetensors"))
        let none = try CLI.run(["validate", directory.path, "--json"])
        #expect(none.status == 1)
        let report = try Self.report(none)
        #expect(report.model_type == nil)
        #expect(report.problems.map(\.code) == ["config", "nonfinite"])
        #expect(report.problems.first?.message.contains("no config.json in \(directory.path)") == true)

        try #"{"model_type": "roberta"}"#.write(toFile: directory.file("config.json"), atomically: true, encoding: .utf8)
        let unsupported = try CLI.run(["validate", directory.path])
        #expect(unsupported.status == 1)
        #expect(unsupported.stdout.contains(#"model_type "roberta" is not supported (supported: bert, deberta-v2) [config]"#))
        #expect(unsupported.stderr == "weights: error: \(directory.path): cannot be validated: 2 errors, 0 warnings\n")

        let missing = try CLI.run(["validate", directory.path, "--config", directory.file("nope.json")])
        #expect(missing.status == 1 && missing.stdout.contains("nope.json: cannot open"))
    }

    @Test("an unreadable model is one line on stderr and exit 1; usage errors exit 64")
    func failures() throws {
        let result = try CLI.run(["validate", CLI.path("no-such-model")])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("weights: error: ") && result.stderr.split(separator: "\n").count == 1)
        let invalid = try CLI.run(["validate", CLI.path("Formats/vectors/safetensors/invalid/header-not-object--array.safetensors")])
        #expect(invalid.status == 1 && invalid.stderr.split(separator: "\n").count == 1)
        #expect(try CLI.run(["validate"]).status == 64)
        #expect(try CLI.run(["validate", Self.sample, "--no-such-flag"]).status == 64)
    }
}
