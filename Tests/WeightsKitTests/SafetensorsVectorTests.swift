import Foundation
import Testing
@testable import WeightsKit

/// The committed vectors: valid files written by the Python `safetensors` package
/// (Scripts/gen_safetensors_valid.py) and malformed files written with `struct`
/// (Scripts/gen_safetensors_invalid.py), each named for the rule it breaks.
@Suite("safetensors test vectors")
struct SafetensorsVectorTests {
    struct ManifestTensor: Decodable {
        let name: String
        let dtype: String
        let shape: [Int]
        let sha256: String
    }

    struct ManifestFile: Decodable {
        let metadata: [String: String]?
        let tensors: [ManifestTensor]
    }

    static let manifest: [String: ManifestFile] = {
        struct Root: Decodable { let files: [String: ManifestFile] }
        return FixtureFiles.decode(Root.self, from: Fixtures.validSafetensors + "/manifest.json").files
    }()

    static let validFiles = manifest.keys.sorted()
    static let invalidFiles = Fixtures.files(in: Fixtures.invalidSafetensors, suffix: ".safetensors")

    @Test("the fixture sets are present: 31 valid files in the manifest, 67 malformed files")
    func fixturesPresent() {
        #expect(Self.validFiles.count == 31)
        #expect(Self.validFiles.allSatisfy { FileManager.default.fileExists(atPath: Fixtures.validSafetensors + "/" + $0) })
        #expect(Self.invalidFiles.count == 67)
        #expect(Self.manifest.values.contains { $0.tensors.count >= 5000 })
    }

    @Test("reads every valid file exactly as the manifest describes it", arguments: validFiles)
    func readsValidFile(_ name: String) throws {
        let expected = try #require(Self.manifest[name])
        let file = try SafetensorsFile(path: Fixtures.validSafetensors + "/" + name)
        #expect(file.metadata.map { Dictionary(uniqueKeysWithValues: $0.entries.map { ($0.key, $0.value) }) } == expected.metadata)
        #expect(file.tensors.count == expected.tensors.count)
        for tensor in expected.tensors {
            let view = try #require(file.view(tensor.name), "missing \(tensor.name)")
            #expect(view.dtype.name == tensor.dtype, "\(tensor.name)")
            #expect(view.shape.dims == tensor.shape, "\(tensor.name)")
            #expect(SHA256.hex(view.bytes) == tensor.sha256, "\(tensor.name)")
        }
    }

    @Test("writing a valid file's tensors and metadata reproduces it byte for byte", arguments: validFiles)
    func roundTripsValidFile(_ name: String) throws {
        let input = Fixtures.validSafetensors + "/" + name
        let file = try SafetensorsFile(path: input)
        let directory = TemporaryDirectory()
        let output = directory.file("copy.safetensors")
        try SafetensorsWriter.write(file.views().map(TensorPayload.init(copying:)), metadata: file.metadata, to: output, overwrite: false)
        #expect(readBytes(output) == readBytes(input))
        #expect(directory.contents == ["copy.safetensors"])
    }

    @Test("rejects each malformed file with the error its name announces", arguments: invalidFiles)
    func rejectsInvalidFile(_ name: String) throws {
        let expectedCode = String(name.prefix { $0 != "." }.components(separatedBy: "--")[0])
        do throws(WeightsFileError) {
            let file = try SafetensorsFile(path: Fixtures.invalidSafetensors + "/" + name)
            Issue.record("opened \(name) with \(file.tensors.count) tensors; expected \(expectedCode)")
        } catch {
            guard case let .safetensors(reason) = error.reason else { Issue.record("\(name): \(error)"); return }
            #expect(reason.code == expectedCode, "\(name): \(reason)")
            #expect(error.description.hasPrefix(Fixtures.invalidSafetensors + "/" + name + ": "))
            #expect(!error.description.contains("\n"))
        }
    }
}
