import Foundation
import Testing

@Suite("weights convert/verify/inspect with WeightPack")
struct WeightPackCLITests {
    static let sample = CLI.path("SampleModels/tiny-deberta")
    static let invalid = CLI.path("Formats/vectors/weightpack/invalid")

    @Test("safetensors → .wpk (config embedded) → safetensors is byte-identical; verify passes")
    func roundTrip() throws {
        let directory = TemporaryDirectory()
        let pack = directory.file("model.wpk")
        #expect(try CLI.run(["convert", Self.sample, pack]).status == 0)
        let verify = try CLI.run(["verify", pack])
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("ok: 38 tensors"))
        let inspect = try CLI.run(["inspect", pack, "--json"])
        #expect(inspect.stdout.contains("\"format\": \"weightpack\""))
        #expect(inspect.stdout.contains("deberta-v2"))  // the embedded config.json
        let back = directory.file("model.safetensors")
        #expect(try CLI.run(["convert", pack, back]).status == 0)
        #expect(FileManager.default.contentsEqual(atPath: back, andPath: Self.sample + "/model.safetensors"))
    }

    @Test("--compress makes a smaller file that converts back to the same bytes")
    func compressed() throws {
        let directory = TemporaryDirectory()
        let pack = directory.file("model.wpk")
        #expect(try CLI.run(["convert", Self.sample, pack, "--compress"]).status == 0)
        #expect(try CLI.run(["verify", pack]).status == 0)
        let back = directory.file("model.safetensors")
        #expect(try CLI.run(["convert", pack, back]).status == 0)
        #expect(FileManager.default.contentsEqual(atPath: back, andPath: Self.sample + "/model.safetensors"))
        #expect(try CLI.run(["convert", Self.sample, directory.file("x.safetensors"), "--compress"]).status == 64)
    }

    @Test("verify exits 1 naming the first damaged tensor and counting all of them")
    func verifyDamage() throws {
        let directory = TemporaryDirectory()
        let pack = directory.file("model.wpk")
        #expect(try CLI.run(["convert", Self.sample, pack]).status == 0)
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: pack)))
        // Damage the last byte of the file and one byte in the middle.
        bytes[bytes.count - 1] ^= 0xFF
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: pack))
        let result = try CLI.run(["verify", pack])
        #expect(result.status == 1)
        #expect(result.stderr.contains("[payload-checksum]"))
        #expect(result.stderr.contains("2 of 38 tensors damaged"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    static let invalidFiles = FixtureFiles.names(in: invalid, suffix: ".wpk")

    @Test("the damaged WeightPack files are present: 26")
    func fixturesPresent() {
        #expect(Self.invalidFiles.count == 26)
    }

    @Test("damaged WeightPack files fail inspect or verify with one line and exit 1", arguments: invalidFiles)
    func damagedFiles(_ name: String) throws {
        let code = String(name.prefix { $0 != "." }.components(separatedBy: "--")[0])
        let result = try CLI.run(["verify", Self.invalid + "/" + name])
        #expect(result.status == 1)
        #expect(result.stderr.contains("[\(code)]"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test("verify reads every byte of a safetensors file")
    func verifySafetensors() throws {
        let result = try CLI.run(["verify", Self.sample + "/model.safetensors"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("38 tensors, 204,960 bytes"))
    }
}
