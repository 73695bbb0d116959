import Foundation
import Testing

@Suite("weights inspect")
struct InspectCLITests {
    static let valid = CLI.path("Formats/vectors/safetensors/valid")
    static let invalid = CLI.path("Formats/vectors/safetensors/invalid")

    struct Manifest: Decodable {
        struct Tensor: Decodable { let name: String; let dtype: String; let shape: [Int] }
        struct File: Decodable { let metadata: [String: String]?; let tensors: [Tensor] }
        let files: [String: File]
    }

    static let manifest = FixtureFiles.decode(Manifest.self, from: valid + "/manifest.json").files

    @Test("the fixtures are present: 31 valid files in the manifest (inspect and convert cases), 67 malformed files")
    func fixturesPresent() {
        #expect(Self.manifest.count == 31)
        #expect(Self.manifest.keys.allSatisfy { FileManager.default.fileExists(atPath: Self.valid + "/" + $0) })
        #expect(Fixtures.invalidFiles.count == 67)
    }

    struct InspectJSON: Decodable {
        struct Tensor: Decodable { let name: String; let dtype: String; let shape: [Int]; let offset: Int; let bytes: Int }
        let format: String
        let tensors: [Tensor]
        let metadata: [String: String]?
        let parameters: Int
        let bytes: Int
    }

    @Test("--json lists what the Python writer wrote", arguments: manifest.keys.sorted())
    func jsonMatchesManifest(_ name: String) throws {
        let result = try CLI.run(["inspect", Self.valid + "/" + name, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(InspectJSON.self, from: Data(result.stdout.utf8))
        let expected = try #require(Self.manifest[name])
        #expect(report.format == "safetensors")
        #expect(report.metadata == expected.metadata)
        // Names compared as bytes: exact-names.safetensors holds "café" spelled two ways.
        #expect(report.tensors.map { Array($0.name.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
            == expected.tensors.map { Array($0.name.utf8) }.sorted { $0.lexicographicallyPrecedes($1) })
        let byName = Dictionary(uniqueKeysWithValues: expected.tensors.map { (Array($0.name.utf8), $0) })
        for tensor in report.tensors {
            #expect(tensor.dtype == byName[Array(tensor.name.utf8)]?.dtype)
            #expect(tensor.shape == byName[Array(tensor.name.utf8)]?.shape)
        }
        #expect(report.parameters == expected.tensors.reduce(0) { $0 + $1.shape.reduce(1, *) })
        let fileSize = try FileManager.default.attributesOfItem(atPath: Self.valid + "/" + name)[.size] as! Int
        // Payloads tile the end of the file: the last one ends exactly at its end.
        #expect(report.tensors.map { $0.offset + $0.bytes }.max() ?? fileSize == fileSize)
    }

    @Test("every malformed file gives one line on stderr naming the file and rule, and exit 1",
          arguments: Fixtures.invalidFiles)
    func invalidFileError(_ name: String) throws {
        let result = try CLI.run(["inspect", Self.invalid + "/" + name])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        let code = String(name.prefix { $0 != "." }.components(separatedBy: "--")[0])
        #expect(result.stderr.contains(name))
        #expect(result.stderr.contains("[\(code)]"), "\(result.stderr)")
    }

    @Test("usage errors exit 64")
    func usageError() throws {
        #expect(try CLI.run(["inspect"]).status == 64)
        #expect(try CLI.run(["inspect", "a", "--no-such-flag"]).status == 64)
    }

    @Test("--tensor shows the first values; an unknown name fails clearly")
    func singleTensor() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("t.safetensors")
        Fixtures.writeSimple(path)
        let result = try CLI.run(["inspect", path, "--tensor", "w"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("first 6 of 6 values: 0, 0.5, 1, 1.5, 2, 2.5"))
        let missing = try CLI.run(["inspect", path, "--tensor", "nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no tensor named \"nope\""))
    }

    @Test("--stats gives min, max, mean, std and NaN/Inf counts")
    func stats() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("t.safetensors")
        Fixtures.writeSimple(path)
        let result = try CLI.run(["inspect", path, "--stats", "--json"])
        #expect(result.status == 0)
        // Values 0, 0.5, ..., 2.5: mean 1.25, population std sqrt(35/48).
        #expect(result.stdout.contains("\"mean\": 1.25"))
        #expect(result.stdout.contains("\"max\": 2.5"))
        #expect(result.stdout.contains("\"std\": 0.853912"))
    }
}

enum Fixtures {
    static let invalidFiles = FixtureFiles.names(in: InspectCLITests.invalid, suffix: ".safetensors")

    /// One F32 tensor "w" of shape [2, 3] holding 0, 0.5, ..., 2.5, no metadata.
    static func writeSimple(_ path: String) {
        var json = Array(#"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}"#.utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json
        for i in 0..<6 { bytes += withUnsafeBytes(of: (Float(i) / 2).bitPattern.littleEndian, Array.init) }
        try! Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
