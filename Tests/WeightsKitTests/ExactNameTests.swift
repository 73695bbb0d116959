import Foundation
import Testing
@testable import WeightsKit

/// Names and metadata keys are the file's bytes: "café" precomposed (U+00E9) and
/// decomposed (e + U+0301) are two tensors, as in the Rust reference, though Swift's
/// `String ==` calls them equal.
@Suite("names are bytes")
struct ExactNameTests {
    static let precomposed = "caf\u{e9}"
    static let decomposed = "cafe\u{301}"

    /// Two F32 tensors [2] whose names differ only by normalisation, different values.
    static func twoCafes(metadata: String = "") -> [UInt8] {
        let header = "{\(metadata)\"\(precomposed)\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"\(decomposed)\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}"
        return handMade(header, data: floatBytes([1, 2, 30, 40]))
    }

    static func floatBytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
    }

    func open(_ bytes: [UInt8], in directory: TemporaryDirectory) throws -> SafetensorsFile {
        let path = directory.file("in.safetensors")
        writeBytes(bytes, to: path)
        return try SafetensorsFile(path: path)
    }

    @Test("the premise: Swift's == equates the two spellings, their bytes differ")
    func premise() {
        #expect(Self.precomposed == Self.decomposed)
        #expect(Array(Self.precomposed.utf8) != Array(Self.decomposed.utf8))
        #expect(ExactName(Self.precomposed) != ExactName(Self.decomposed))
        #expect(Set([Self.precomposed.exact, Self.decomposed.exact, Self.precomposed.exact]).count == 2)
        #expect(Self.decomposed.exact < Self.precomposed.exact)  // 'e' 0x65 before 0xC3
        #expect(!Self.precomposed.isByteEqual(to: Self.decomposed))
        #expect("a\u{0}b".exact != "a\u{0}c".exact)
    }

    @Test("a file with both spellings reads each tensor's own values")
    func readsBoth() throws {
        let directory = TemporaryDirectory()
        let file = try open(Self.twoCafes(), in: directory)
        #expect(file.tensors.count == 2)
        #expect(file.view(Self.precomposed)?.floats() == [1, 2])
        #expect(file.view(Self.decomposed)?.floats() == [30, 40])
        #expect(file.view("cafe") == nil)
    }

    @Test("both spellings survive safetensors → safetensors and safetensors → wpk → safetensors")
    func writesBoth() throws {
        let directory = TemporaryDirectory()
        let file = try open(Self.twoCafes(), in: directory)
        let copy = directory.file("copy.safetensors")
        try SafetensorsWriter.write(file.views().map(TensorPayload.init(copying:)), metadata: nil, to: copy, overwrite: false)
        let pack = directory.file("copy.wpk")
        try WeightPackWriter.write(file.views().map(TensorPayload.init(copying:)), metadata: nil, config: nil, to: pack, overwrite: false)
        let packed = try WeightPackFile(path: pack)
        #expect(packed.verify().isEmpty)
        #expect(try packed.view(Self.precomposed)?.floats() == [1, 2])
        #expect(try packed.view(Self.decomposed)?.floats() == [30, 40])
        let back = directory.file("back.safetensors")
        try SafetensorsWriter.write(packed.views().map(TensorPayload.init(copying:)), metadata: nil, to: back, overwrite: false)
        #expect(readBytes(back) == readBytes(copy))
        let reread = try SafetensorsFile(path: back)
        #expect(reread.tensors.map { Array($0.name.utf8) } == [Array(Self.decomposed.utf8), Array(Self.precomposed.utf8)])
        #expect(reread.view(Self.decomposed)?.floats() == [30, 40])
    }

    @Test("metadata keys that differ only by normalisation are two keys, kept through both formats")
    func metadataKeys() throws {
        let directory = TemporaryDirectory()
        let metadataJSON = "\"__metadata__\":{\"\(Self.precomposed)\":\"one\",\"\(Self.decomposed)\":\"two\"},"
        let file = try open(Self.twoCafes(metadata: metadataJSON), in: directory)
        let metadata = try #require(file.metadata)
        #expect(metadata.count == 2)
        #expect(metadata[Self.precomposed] == "one")
        #expect(metadata[Self.decomposed] == "two")

        let copy = directory.file("copy.safetensors")
        try SafetensorsWriter.write(file.views().map(TensorPayload.init(copying:)), metadata: metadata, to: copy, overwrite: false)
        let pack = directory.file("copy.wpk")
        try WeightPackWriter.write(file.views().map(TensorPayload.init(copying:)), metadata: metadata, config: nil, to: pack, overwrite: false)
        for reread in [try SafetensorsFile(path: copy).metadata, try WeightPackFile(path: pack).metadata] {
            #expect(reread?.entries.map { Array($0.key.utf8) } == [Array(Self.precomposed.utf8), Array(Self.decomposed.utf8)])
            #expect(reread?[Self.decomposed] == "two")
        }
        // Setting one spelling leaves the other alone.
        var edited = metadata
        edited[Self.decomposed] = nil
        #expect(edited.count == 1 && edited[Self.precomposed] == "one")
    }

    @Test("writers refuse byte-identical names and accept canonically equal ones")
    func writerDuplicates() throws {
        let directory = TemporaryDirectory()
        func payload(_ name: String) -> TensorPayload {
            TensorPayload(copying: TensorView(info: TensorInfo(name: name, dtype: .f32, shape: Shape([1]), offset: 0, byteCount: 4),
                                              bytes: OwnedBytes(Self.floatBytes([1]))))
        }
        #expect(throws: WeightsFileError.self) {
            try SafetensorsWriter.write([payload("w"), payload("w")], metadata: nil, to: directory.file("a.safetensors"), overwrite: false)
        }
        #expect(throws: WeightsFileError.self) {
            try WeightPackWriter.write([payload("w"), payload("w")], metadata: nil, config: nil, to: directory.file("a.wpk"), overwrite: false)
        }
        try SafetensorsWriter.write([payload(Self.precomposed), payload(Self.decomposed)], metadata: nil,
                                    to: directory.file("b.safetensors"), overwrite: false)
        #expect(try SafetensorsFile(path: directory.file("b.safetensors")).tensors.count == 2)
        #expect(!FileManager.default.fileExists(atPath: directory.file("a.safetensors")))
    }

    @Test("a NUL in a name is written as \\u0000 and reads back whole")
    func nulInName() throws {
        let directory = TemporaryDirectory()
        let bytes = handMade(#"{"a\u0000b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a\u0000c":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                             data: Self.floatBytes([5, 6]))
        let file = try open(bytes, in: directory)
        #expect(file.tensors.map { Array($0.name.utf8) } == [[0x61, 0, 0x62], [0x61, 0, 0x63]])
        #expect(file.view("a\u{0}c")?.floats() == [6])
        let header = SafetensorsWriter.headerBytes(for: try file.views().map(TensorPayload.init(copying:)), metadata: nil)
        #expect(String(decoding: header.dropFirst(8), as: UTF8.self).contains(#""a\u0000b":{"#))
        #expect(!header.dropFirst(8).contains(0))
    }

    @Test("shards and their index keep both spellings apart")
    func shards() throws {
        let directory = TemporaryDirectory()
        let one = handMade("{\"\(Self.precomposed)\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", data: Self.floatBytes([1]))
        let two = handMade("{\"\(Self.decomposed)\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", data: Self.floatBytes([2]))
        writeBytes(one, to: directory.file("one.safetensors"))
        writeBytes(two, to: directory.file("two.safetensors"))
        let index = "{\"weight_map\":{\"\(Self.precomposed)\":\"one.safetensors\",\"\(Self.decomposed)\":\"two.safetensors\"}}"
        writeBytes(Array(index.utf8), to: directory.file("model.safetensors.index.json"))
        let sharded = try ShardedSafetensors(indexPath: directory.file("model.safetensors.index.json"))
        #expect(try sharded.view(Self.precomposed)?.floats() == [1])
        #expect(try sharded.view(Self.decomposed)?.floats() == [2])
        #expect(sharded.path(of: Self.decomposed) == directory.file("two.safetensors"))
        let unindexed = try ShardedSafetensors(shardPaths: [directory.file("one.safetensors"), directory.file("two.safetensors")])
        #expect(unindexed.tensors.count == 2)
    }

    @Test("the shard index is read strictly: names exact, a repeated or lone-surrogate name refused")
    func indexParsing() throws {
        func parse(_ text: String) -> Result<[(String, String)], ShardIndexError> {
            Array(text.utf8).withUnsafeBytes { raw in
                Result { () throws(ShardIndexError) in try ShardedSafetensors.parseIndex(raw).weightMap }
            }
        }
        let map = try parse(#"{"metadata":{"total_size":8},"weight_map":{"a\u0000b":"x.safetensors","a\u0000c":"y.safetensors"}}"#).get()
        #expect(map.map { Array($0.0.utf8) } == [[0x61, 0, 0x62], [0x61, 0, 0x63]])
        for bad in [#"{"weight_map":{"w":"x.safetensors","w":"y.safetensors"}}"#, #"{"weight_map":{"\ud800":"x.safetensors"}}"#] {
            guard case let .failure(error) = parse(bad) else { Issue.record("accepted \(bad)"); continue }
            #expect(error.code == "invalid-json", "\(error)")
        }
        guard case let .failure(error) = parse(#"{"weight_map":{"w":"x.safetensors","w":"y.safetensors"}}"#) else {
            Issue.record("accepted a repeated key")
            return
        }
        #expect(error.description.contains("key \"w\" appears twice"))
    }

    @Test("naming rules match prefixes and legacy suffixes by bytes")
    func namingRules() {
        let naming = TensorNaming.rules(for: "bert")
        // A combining mark right after "bert." would fuse with the "." as one Character.
        #expect(naming.canonical("bert.\u{301}x").prefix == "bert.")
        #expect(Array(naming.canonical("bert.\u{301}x").name.utf8) == [0xCC, 0x81, 0x78])
        #expect(naming.canonical("bert.encoder.LayerNorm.gamma").name == "encoder.LayerNorm.weight")
        #expect(naming.canonical("embeddings.LayerNorm.beta").name == "embeddings.LayerNorm.bias")
    }
}
