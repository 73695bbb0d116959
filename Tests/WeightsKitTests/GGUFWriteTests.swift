import Foundation
import Testing
@testable import WeightsKit

/// Our GGUF of the real all-MiniLM-L6-v2 against the manifests of the files llama.cpp's
/// convert_hf_to_gguf.py writes for the same folder (Scripts/make_gguf_reference.py):
/// metadata keys in order, value types and values, tensor names, types, shapes, offsets
/// and bytes (CRC-32: a Swift SHA-256 of 200 MB is minutes in a debug build), the header
/// (SHA-256) and the whole file.
@Suite("GGUF writing (BERT, against convert_hf_to_gguf.py)")
struct GGUFWriteTests {
    struct Manifest: Decodable {
        struct File: Decodable {
            let bytes: Int; let crc32: UInt32; let header_sha256: String; let data_offset: Int; let version: Int; let alignment: Int
        }
        struct Entry: Decodable {
            let key: String
            let type: String
            let element_type: String?
            let value: JSONScalar?
            let bits: UInt32?
            let count: Int?
            let sha256: String?
            let samples: [String: JSONScalar]?
        }
        struct Tensor: Decodable { let name: String; let type: String; let shape: [Int]; let offset: Int; let bytes: Int; let crc32: UInt32 }
        let file: File
        let metadata: [Entry]
        let tensors: [Tensor]
    }

    /// A JSON scalar or list of scalars as the manifest stores a value.
    enum JSONScalar: Decodable, Equatable, CustomStringConvertible {
        case bool(Bool), int(Int), double(Double), string(String), list([JSONScalar])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode(Bool.self) { self = .bool(v) } else if let v = try? c.decode(Int.self) { self = .int(v) }
            else if let v = try? c.decode(Double.self) { self = .double(v) } else if let v = try? c.decode(String.self) { self = .string(v) }
            else { self = .list(try c.decode([JSONScalar].self)) }
        }
        var description: String {
            switch self {
            case let .bool(v): "\(v)"
            case let .int(v): "\(v)"
            case let .double(v): "\(v)"
            case let .string(v): "\"\(v)\""
            case let .list(v): "\(v)"
            }
        }
    }

    static func manifest(_ target: BertGGUFConversion.Target) -> Manifest {
        FixtureFiles.decode(Manifest.self, from: Fixtures.path("Formats/vectors/gguf-write/minilm-\(target.rawValue).json"))
    }

    /// The value as the manifest writes it (scalars as JSON, arrays element by element).
    static func scalar(_ value: GGUFMetadataValue) -> JSONScalar? {
        switch value {
        case let .string(bytes): .string(String(decoding: bytes, as: UTF8.self))
        case let .bool(v): .bool(v)
        case let .float32(v): .double(Double(v))
        case let .array(elements): .list(elements.compactMap(scalar))
        default: value.integer.map(JSONScalar.int)
        }
    }

    /// The GGUF serialization of an array's elements (what the manifest hashes).
    static func serializedElements(_ value: GGUFMetadataValue) -> [UInt8] {
        var out = ByteWriter()
        for element in value.elements.map(Array.init) ?? [] { out.writeGGUFValue(element) }
        return out.bytes
    }

    @Test("MiniLM as convert_hf_to_gguf.py writes it: keys, values, tensors, whole file",
          .enabled(if: ModelFixtures.hasMiniLM, ModelFixtures.miniLMSkipReason),
          arguments: BertGGUFConversion.Target.allCases)
    func miniLMMatchesReference(target: BertGGUFConversion.Target) throws {
        let expected = Self.manifest(target)
        let source = try ModelLoader.open(ModelFixtures.miniLM)
        let plan = try BertGGUFConversion(source: source, directory: ModelFixtures.miniLM, target: target)

        // Metadata: same keys in the same order, same types, same values.
        #expect(plan.metadata.map(\.key) == expected.metadata.map(\.key))
        for (entry, reference) in zip(plan.metadata, expected.metadata) {
            let type = entry.value.type
            #expect(type.name == reference.type, "\(entry.key): type")
            if case let .array(elements) = entry.value {
                #expect(elements.elementType.name == reference.element_type, "\(entry.key): element type")
                if let count = reference.count {
                    #expect(elements.count == count, "\(entry.key): count")
                    #expect(SHA256.hex(Self.serializedElements(entry.value)) == reference.sha256, "\(entry.key): elements differ")
                    for (index, sample) in reference.samples ?? [:] {
                        let position = Int(index)!
                        #expect(position < elements.count && Self.scalar(elements[position]) == sample, "\(entry.key)[\(index)]")
                    }
                } else {
                    #expect(Self.scalar(entry.value) == reference.value, "\(entry.key)")
                }
            } else if case let .float32(value) = entry.value {
                #expect(value.bitPattern == reference.bits, "\(entry.key): \(value)")
            } else {
                #expect(Self.scalar(entry.value) == reference.value, "\(entry.key)")
            }
        }

        // Tensors: names, types, row-major shapes, in the converter's order.
        #expect(plan.tensors.map(\.name) == expected.tensors.map(\.name))
        for (tensor, reference) in zip(plan.tensors, expected.tensors) {
            #expect(tensor.type.name == reference.type, "\(tensor.name): type")
            #expect(tensor.payload.shape.dims == reference.shape, "\(tensor.name): shape")
            #expect(tensor.payload.byteCount == reference.bytes, "\(tensor.name): bytes")
        }

        // The written file: the header, every tensor's bytes, the whole file.
        let directory = TemporaryDirectory()
        let path = directory.file("minilm-\(target.rawValue).gguf")
        try GGUFWriter.write(metadata: plan.metadata, tensors: plan.tensors, to: path, overwrite: false, durable: false)
        let bytes = readBytes(path)
        #expect(bytes.count == expected.file.bytes)
        let header = try GGUFWriter.headerBytes(metadata: plan.metadata, tensors: plan.tensors, alignment: GGUF.defaultAlignment, path: path)
        #expect(header.count == expected.file.data_offset, "data section starts where the reference's does")
        #expect(SHA256.hex(bytes.prefix(expected.file.data_offset)) == expected.file.header_sha256, "header, metadata and tensor infos byte-identical")
        bytes.withUnsafeBytes { raw in
            for reference in expected.tensors {
                let start = expected.file.data_offset + reference.offset
                guard start + reference.bytes <= raw.count else {
                    Issue.record("\(reference.name): beyond the end of the file")
                    continue
                }
                let crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: raw[start..<(start + reference.bytes)]))
                #expect(crc == reference.crc32, "\(reference.name): bytes differ")
            }
            #expect(CRC32.checksum(raw) == expected.file.crc32, "whole file byte-identical to the reference converter's")
        }
    }

    @Test("the converter's type rules: norms, biases, position and token-type embeddings stay F32")
    func typeRules() {
        let matrix = Shape([1536, 384])
        #expect(BertGGUFConversion.type(of: "blk.0.ffn_up.weight", shape: matrix, target: .q8_0) == .q8_0)
        #expect(BertGGUFConversion.type(of: "blk.0.ffn_up.weight", shape: matrix, target: .bf16) == .bf16)
        #expect(BertGGUFConversion.type(of: "blk.0.ffn_up.bias", shape: Shape([1536]), target: .f16) == .f32)
        #expect(BertGGUFConversion.type(of: "position_embd.weight", shape: Shape([512, 384]), target: .f16) == .f32)
        #expect(BertGGUFConversion.type(of: "token_types.weight", shape: Shape([2, 384]), target: .q8_0) == .f32)
        #expect(BertGGUFConversion.type(of: "blk.0.attn_q.weight", shape: Shape([40, 40]), target: .q8_0) == .f16)
        #expect(BertGGUFConversion.isLeftOut("bert.pooler.dense.weight"))
        #expect(!BertGGUFConversion.isLeftOut("bert.embeddings.word_embeddings.weight"))
    }

    @Test("gguf-py's size labels and title case", arguments: [(22_713_216, "23M"), (335_141_888, "335M"), (1_340_000_000, "1.3B"), (7_000, "7.0K")])
    func sizeLabel(count: Int, label: String) {
        #expect(GGUFGeneralMetadata.sizeLabel(count) == label)
    }

    @Test("model ids become names as gguf-py's id_to_title writes them")
    func titles() {
        #expect(GGUFGeneralMetadata.title("MiniLM-L6-H384-uncased") == "MiniLM L6 H384 Uncased")
        #expect(GGUFGeneralMetadata.title("s2orc") == "S2Orc")
        #expect(GGUFGeneralMetadata.title("flickr30k-captions") == "Flickr30K Captions")
        #expect(GGUFGeneralMetadata.title("v1.5") == "v1.5")
    }
}
