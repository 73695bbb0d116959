import Foundation
import Testing
@testable import WeightsKit

/// WeightPack against the independent Python writer (Scripts/wpk.py) and the safetensors
/// fixtures written by the reference package.
@Suite("WeightPack")
struct WeightPackTests {
    static let valid = Fixtures.path("Formats/vectors/weightpack/valid")
    static let invalid = Fixtures.path("Formats/vectors/weightpack/invalid")

    struct Manifest: Decodable {
        struct Tensor: Decodable {
            let dtype: String
            let shape: [Int]
            let encoding: String
            let payload_sha256: String
            let values_sha256: String?
        }
        struct File: Decodable {
            let metadata: [String: String]?
            let config: String?
            let compressed: Bool
            let tensors: [String: Tensor]
        }
        let files: [String: File]
    }

    static let manifest = FixtureFiles.decode(Manifest.self, from: valid + "/manifest.json").files
    static let invalidFiles = Fixtures.files(in: invalid, suffix: ".wpk")

    @Test("vectors are present: 4 valid files in the manifest, 26 damaged files")
    func present() {
        #expect(Self.manifest.count == 4)
        #expect(Self.manifest.keys.allSatisfy { FileManager.default.fileExists(atPath: Self.valid + "/" + $0) })
        #expect(Self.invalidFiles.count == 26)
        #expect(SafetensorsVectorTests.validFiles.count == 31, "the round-trip cases")
    }

    @Test("reads files from the Python writer: payloads, dequantized values, metadata, config", arguments: manifest.keys.sorted())
    func readsPythonFile(_ name: String) throws {
        let expected = try #require(Self.manifest[name])
        let pack = try WeightPackFile(path: Self.valid + "/" + name)
        #expect(pack.verify().isEmpty)
        #expect(pack.metadata.map { Dictionary(uniqueKeysWithValues: $0.entries.map { ($0.key, $0.value) }) } == expected.metadata)
        #expect(pack.config == expected.config)
        #expect(pack.tensors.count == expected.tensors.count)
        for (tensorName, tensor) in expected.tensors {
            let view = try #require(try pack.view(tensorName))
            #expect(view.dtype.name == tensor.dtype)
            #expect(view.shape.dims == tensor.shape)
            #expect(view.encoding.rawValue == tensor.encoding)
            #expect(SHA256.hex(view.bytes) == tensor.payload_sha256, "\(tensorName)")
            if let valuesHash = tensor.values_sha256 {
                let values = try #require(view.floats(), "\(tensorName): the manifest has its values, the reader gives none")
                let bytes = values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
                #expect(SHA256.hex(bytes) == valuesHash, "\(tensorName) dequantized")
            }
        }
    }

    @Test("the Swift writer reproduces the Python writer's files byte for byte", arguments: manifest.keys.sorted())
    func writerMatchesPython(_ name: String) throws {
        let expected = try #require(Self.manifest[name])
        let pack = try WeightPackFile(path: Self.valid + "/" + name)
        let directory = TemporaryDirectory()
        let output = directory.file("out.wpk")
        try WeightPackWriter.write(try pack.views().map(TensorPayload.init(copying:)), metadata: pack.metadata, config: pack.config,
                                   options: .init(compress: expected.compressed), to: output, overwrite: false)
        #expect(readBytes(output) == readBytes(Self.valid + "/" + name))
    }

    @Test("safetensors → wpk → safetensors is byte-identical for every reference fixture", arguments: SafetensorsVectorTests.validFiles)
    func roundTrip(_ name: String) throws {
        let source = try SafetensorsFile(path: Fixtures.validSafetensors + "/" + name)
        let directory = TemporaryDirectory()
        for compress in [false, true] {
            let pack = directory.file("model-\(compress).wpk")
            try WeightPackWriter.write(try source.views().map(TensorPayload.init(copying:)), metadata: source.metadata, config: nil,
                                       options: .init(compress: compress), to: pack, overwrite: false)
            let reopened = try WeightPackFile(path: pack)
            #expect(reopened.verify().isEmpty)
            let back = directory.file("back-\(compress).safetensors")
            try SafetensorsWriter.write(try reopened.views().map(TensorPayload.init(copying:)), metadata: reopened.metadata, to: back, overwrite: false)
            #expect(readBytes(back) == readBytes(source.path), "compress: \(compress)")
        }
    }

    @Test("each damaged file fails with the error its name announces", arguments: invalidFiles)
    func rejectsDamaged(_ name: String) {
        let expectedCode = String(name.prefix { $0 != "." }.components(separatedBy: "--")[0])
        do throws(WeightsFileError) {
            let pack = try WeightPackFile(path: Self.invalid + "/" + name)
            let problems = pack.verify()
            #expect(problems.first?.code == expectedCode, "\(name): \(problems)")
        } catch {
            guard case let .weightPack(reason) = error.reason else { Issue.record("\(name): \(error)"); return }
            #expect(reason.code == expectedCode, "\(name): \(error)")
        }
    }

    @Test("flipping any one byte of the header, the table or a payload is detected")
    func detectsEveryFlip() throws {
        let original = readBytes(Self.valid + "/mixed.wpk")
        let pack = try WeightPackFile(path: Self.valid + "/mixed.wpk")
        let directory = TemporaryDirectory()
        let path = directory.file("flipped.wpk")
        // Every header byte (fixed header, table, dims, names, metadata, config) and every payload byte.
        var positions = Array(0..<pack.header.headerBytes)
        for record in pack.header.records { positions += record.storedOffset..<(record.storedOffset + record.storedBytes) }
        for position in positions {
            var bytes = original
            bytes[position] ^= 0x10
            writeBytes(bytes, to: path)
            do throws(WeightsFileError) {
                let damaged = try WeightPackFile(path: path)
                #expect(!damaged.verify().isEmpty, "flip at \(position) went unnoticed")
            } catch {
                // Rejected at open: fine.
            }
        }
    }

    @Test("compression is lossless and only used where asked")
    func compression() throws {
        let plain = try WeightPackFile(path: Self.valid + "/mixed.wpk")
        let compressed = try WeightPackFile(path: Self.valid + "/mixed-compressed.wpk")
        #expect(plain.header.records.allSatisfy { !$0.isCompressed })
        #expect(compressed.header.records.filter { $0.info.byteCount > 0 }.allSatisfy { $0.isCompressed })
        #expect(!plain.tensors.isEmpty && compressed.tensors.map(\.name) == plain.tensors.map(\.name))
        for info in plain.tensors {
            let expected = try plain.view(info.name)?.bytes
            let actual = try compressed.view(info.name)?.bytes
            #expect(expected == actual)
        }
    }
}
