import Foundation
import Testing
@testable import WeightsKit

/// The files Scripts/gen_gguf_vectors.py wrote with gguf-py's GGUFWriter, read without it
/// and compared with what gguf-py's GGUFReader and `gguf.quants.dequantize` returned.
@Suite("GGUF vectors")
struct GGUFVectorTests {
    static let root = Fixtures.path("Formats/vectors/gguf")
    static let valid = root + "/valid"
    static let files = FixtureFiles.names(in: valid, suffix: ".gguf")
    /// The files with tensors, whose values gguf-py dequantized into FILE.expected.safetensors.
    static let filesWithValues = FixtureFiles.names(in: valid, suffix: ".expected.safetensors")
        .map { String($0.dropLast(".expected.safetensors".count)) + ".gguf" }
    static let invalid = FixtureFiles.decode([String: String].self, from: root + "/invalid/manifest.json")

    struct Expected: Decodable {
        struct Tensor: Decodable {
            let name: String
            let type: String
            let shape: [Int]
            let offset: Int
            let bytes: Int
        }
        let version: UInt32
        let alignment: Int
        let data_offset: Int
        let tensors: [Tensor]
    }

    static func stem(_ file: String) -> String { valid + "/" + String(file.dropLast(".gguf".count)) }

    @Test("every vector is there: metadata types, three alignments, version 2, an empty array, each broken rule")
    func complete() {
        #expect(Self.files.count == 6)
        // Only empty-array.gguf holds no tensor, so it has no values to compare.
        #expect(Set(Self.files).subtracting(Self.filesWithValues) == ["empty-array.gguf"])
        #expect(Set(Self.filesWithValues).isSubset(of: Self.files))
        #expect(Self.invalid.count == 37)
        #expect(FixtureFiles.names(in: Self.root + "/invalid", suffix: ".gguf").count == Self.invalid.count)
    }

    @Test("each file opens with gguf-py's version, alignment, and each tensor's type, row-major shape and offset", arguments: files)
    func header(_ file: String) throws {
        let source = try ModelLoader.open(Self.valid + "/" + file)
        let gguf = try #require(source as? GGUFFile)
        #expect(source.format == "gguf")
        let expected = FixtureFiles.decode(Expected.self, from: Self.stem(file) + ".expected.json")
        #expect(gguf.version == expected.version)
        #expect(gguf.alignment == expected.alignment)
        #expect(gguf.tensors.map(\.name) == expected.tensors.map(\.name))
        for (info, tensor) in zip(gguf.tensors, expected.tensors) {
            #expect(gguf.ggmlType(of: info.name)?.name == tensor.type, "\(info.name)")
            #expect(info.shape.dims == tensor.shape, "\(info.name)")
            #expect(info.offset == tensor.offset, "\(info.name)")
            #expect(info.byteCount == tensor.bytes, "\(info.name)")
        }
        if let first = expected.tensors.first { #expect(gguf.header.dataOffset == expected.data_offset && first.offset >= expected.data_offset) }
    }

    /// A metadata value as the generator renders it (Scripts/gen_gguf_vectors.py, `value_json`).
    static func rendered(_ value: GGUFMetadataValue) -> [String: Any] {
        switch value {
        case let .array(values): ["type": "ARRAY", "element": values.elementType.name, "value": values.map(rendered)]
        case let .string(bytes): ["type": "STRING", "bytes": bytes.map(Int.init)]
        case let .float32(v): ["type": "FLOAT32", "bits": Int(v.bitPattern)]
        case let .float64(v): ["type": "FLOAT64", "bits": String(v.bitPattern)]
        case let .bool(v): ["type": "BOOL", "value": v ? 1 : 0]
        case let .uint64(v): ["type": "UINT64", "value": String(v)]
        case let .int64(v): ["type": "INT64", "value": String(v)]
        default: ["type": value.type.name, "value": String(value.integer ?? 0)]
        }
    }

    @Test("metadata reads as gguf-py wrote it: every value type, nested arrays, exact string bytes", arguments: files)
    func metadata(_ file: String) throws {
        let gguf = try GGUFFile(path: Self.valid + "/" + file)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.stem(file) + ".expected.json"))) as? [String: Any]
        let expected = try #require(json?["metadata"] as? [[String: Any]])
        #expect(gguf.ggufMetadata.count == expected.count)
        for (entry, wanted) in zip(gguf.ggufMetadata, expected) {
            var mine = Self.rendered(entry.value)
            mine["key"] = entry.key
            #expect(NSDictionary(dictionary: mine).isEqual(to: wanted), "\(file): \(entry.key)")
        }
    }

    @Test("the all-types file covers every value type and nesting")
    func allValueTypes() throws {
        let gguf = try GGUFFile(path: Self.valid + "/metadata.gguf")
        var types = Set<GGUFValueType>()
        for entry in gguf.ggufMetadata { types.insert(entry.value.type) }
        #expect(types == Set(GGUFValueType.allCases))
        let inner = [GGUFArray(.int32, [.int32(1), .int32(2)]), GGUFArray(.int32, [.int32(3)])].compactMap { $0.map(GGUFMetadataValue.array) }
        #expect(gguf.value("t.array_nested") == GGUFArray(.array, inner).map(GGUFMetadataValue.array))
        #expect(gguf.value("t.string")?.text == "caf\u{E9} \u{2581}word")
    }

    @Test("metadata written back is gguf-py's bytes: every value type, packed and nested arrays", arguments: files)
    func metadataRoundTrips(_ file: String) throws {
        let gguf = try GGUFFile(path: Self.valid + "/" + file)
        var writer = ByteWriter()
        for entry in gguf.ggufMetadata {
            writer.writeGGUFString(Array(entry.key.utf8))
            writer.write(entry.value.type.rawValue)
            writer.writeGGUFValue(entry.value)
        }
        // The pairs follow the 24-byte start: magic, version, tensor count, key count.
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: Self.valid + "/" + file)))
        #expect(bytes.count >= 24 + writer.bytes.count)
        #expect(Array(bytes.dropFirst(24).prefix(writer.bytes.count)) == writer.bytes)
    }

    @Test("an array is kept as one packed buffer: 1 M UINT8 take 1 MB, each element decoded when read")
    func arraysArePacked() throws {
        var bytes = Array("GGUF".utf8) + [3, 0, 0, 0] + [UInt8](repeating: 0, count: 8) + [1, 0, 0, 0, 0, 0, 0, 0]
        bytes += [5, 0, 0, 0, 0, 0, 0, 0] + Array("t.big".utf8) + [9, 0, 0, 0] + [0, 0, 0, 0] + [0x40, 0x42, 0x0F, 0, 0, 0, 0, 0]
        bytes += (0..<1_000_000).map { UInt8(truncatingIfNeeded: $0) }
        let directory = TemporaryDirectory()
        writeBytes(bytes, to: directory.file("big.gguf"))
        let array = try #require(GGUFFile(path: directory.file("big.gguf")).value("t.big")?.elements)
        #expect(array.elementType == .uint8 && array.count == 1_000_000)
        #expect(array.storage.count == 1_000_000 && array.starts.isEmpty)
        #expect(array[0] == .uint8(0) && array[257] == .uint8(1) && array[999_999] == .uint8(UInt8(999_999 % 256)))
    }

    @Test("values decode as gguf-py gives them: plain types byte for byte, Q8_0/Q4/Q5/BF16 bit for bit", arguments: filesWithValues)
    func values(_ file: String) throws {
        let gguf = try GGUFFile(path: Self.valid + "/" + file)
        let expected = try SafetensorsFile(path: Self.stem(file) + ".expected.safetensors")
        #expect(!expected.tensors.isEmpty)
        for info in expected.tensors {
            let view = try #require(gguf.view(info.name), "\(info.name)")
            let wanted = try #require(expected.view(info.name))
            #expect(view.shape == info.shape, "\(info.name)")
            if view.encoding == .plain && view.dtype != .bf16 {
                #expect(view.dtype == info.dtype, "\(info.name)")
                #expect(view.bytes == wanted.bytes, "\(info.name)")
            } else {
                let floats = try #require(view.floats(), "\(info.name)")
                #expect(floats.map(\.bitPattern) == (wanted.floats() ?? []).map(\.bitPattern), "\(info.name)")
            }
        }
    }

    @Test("types this version lists but cannot decode are carried, named, and refused for decoding")
    func undecodable() throws {
        let gguf = try GGUFFile(path: Self.valid + "/types-align32.gguf")
        for name in ["q4_k", "tq1_0", "tq2_0", "mxfp4"] {
            let view = try #require(gguf.view(name))
            #expect(view.encoding == .ggml)
            #expect(view.floats() == nil)
            let error = try #require(gguf.undecodable(name))
            #expect(error.description.hasSuffix("[unsupported-gguf-type]"))
            #expect(error.description.contains(gguf.ggmlType(of: name)!.name))
        }
        #expect(gguf.ggmlType(of: "q8_0") == .q8_0 && gguf.view("q8_0")?.encoding == .q8_0)
        #expect(gguf.undecodable("q4_0") == nil)
    }

    @Test("each broken file is refused with its code, naming the file", arguments: invalid.keys.sorted())
    func refused(_ file: String) throws {
        let path = Self.root + "/invalid/" + file
        do {
            _ = try GGUFFile(path: path)
            Issue.record("\(file) opened")
        } catch {
            guard case let .gguf(reason) = error.reason else { Issue.record("\(file): \(error)"); return }
            #expect(reason.code == Self.invalid[file], "\(file): \(error)")
            #expect(error.description.hasPrefix(path + ": "))
            #expect(error.description.hasSuffix("[\(reason.code)]"))
        }
    }

    @Test("every truncation of a valid file before its last tensor's end is refused, never read out of bounds")
    func everyTruncation() throws {
        let bytes = readBytes(Self.valid + "/metadata.gguf")
        let expected = FixtureFiles.decode(Expected.self, from: Self.stem("metadata.gguf") + ".expected.json")
        let end = try #require(expected.tensors.last.map { $0.offset + $0.bytes })
        // The padding after the last tensor is not required (llama.cpp's loader checks tensor bytes only).
        #expect(end < bytes.count)
        let folder = TemporaryDirectory()
        for length in 0..<end {
            let path = folder.file("cut.gguf")
            writeBytes(Array(bytes[0..<length]), to: path)
            #expect(throws: WeightsFileError.self, "\(length)") { _ = try GGUFFile(path: path) }
        }
    }

    @Test("a folder holding one .gguf opens it")
    func folder() throws {
        let folder = TemporaryDirectory()
        writeBytes(readBytes(Self.valid + "/version2.gguf"), to: folder.file("model.gguf"))
        let source = try ModelLoader.open(folder.path)
        #expect(source.format == "gguf")
        #expect(source.tensors.map(\.name) == ["w"])
    }
}
