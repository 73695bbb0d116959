import Foundation
import Testing
@testable import WeightsKit

@Suite("sharded checkpoints")
struct ShardTests {
    /// Three small F32 tensors of 16, 32 and 16 bytes.
    func sampleFile(in directory: TemporaryDirectory) throws -> SafetensorsFile {
        let path = directory.file("source.safetensors")
        let data = (0..<16).flatMap { withUnsafeBytes(of: Float($0).bitPattern.littleEndian, Array.init) }
        writeBytes(handMade(#"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[8],"data_offsets":[16,48]},"c":{"dtype":"F32","shape":[4],"data_offsets":[48,64]}}"#, data: data), to: path)
        return try SafetensorsFile(path: path)
    }

    @Test("splitting then merging reproduces the file byte for byte")
    func splitAndMerge() throws {
        let directory = TemporaryDirectory()
        let source = try sampleFile(in: directory)
        try FileManager.default.createDirectory(atPath: directory.file("shards"), withIntermediateDirectories: false)
        let written = try ShardedWriter.write(source.views().map(TensorPayload.init(copying:)), metadata: source.metadata,
                                              to: directory.file("shards/model.safetensors"), maxShardBytes: 40, overwrite: false)
        #expect(written.map { $0.split(separator: "/").last! } == ["model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                                                                   "model-00003-of-00003.safetensors", "model.safetensors.index.json"])
        let sharded = try ModelLoader.open(directory.file("shards"))
        #expect(sharded.paths.count == 3)
        #expect(sharded.tensors.map(\.name) == ["a", "b", "c"])
        #expect(try sharded.view("b")?.floats() == (4..<12).map(Float.init))
        let index = String(decoding: readBytes(directory.file("shards/model.safetensors.index.json")), as: UTF8.self)
        #expect(index.contains("\"total_size\": 64"))

        let merged = directory.file("merged.safetensors")
        try SafetensorsWriter.write(sharded.views().map(TensorPayload.init(copying:)), metadata: sharded.metadata, to: merged, overwrite: false)
        #expect(readBytes(merged) == readBytes(source.path))
    }

    func openIndex(_ weightMap: String, in directory: TemporaryDirectory) -> ShardIndexError? {
        writeBytes(Array(#"{"metadata":{"total_size":64},"weight_map":\#(weightMap)}"#.utf8), to: directory.file("model.safetensors.index.json"))
        do throws(WeightsFileError) {
            _ = try ShardedSafetensors(indexPath: directory.file("model.safetensors.index.json"))
            return nil
        } catch {
            guard case let .shardIndex(reason) = error.reason else { return nil }
            return reason
        }
    }

    @Test("every index rule is enforced")
    func indexRules() throws {
        let directory = TemporaryDirectory()
        _ = try sampleFile(in: directory)
        #expect(openIndex(#"{"a":"source.safetensors","b":"source.safetensors","c":"source.safetensors"}"#, in: directory) == nil)
        #expect(openIndex(#"{"a":"source.safetensors","b":"source.safetensors","c":"source.safetensors","d":"source.safetensors"}"#, in: directory)
            == .tensorNotInShard(tensor: "d", shard: "source.safetensors"))
        #expect(openIndex(#"{"a":"source.safetensors","b":"source.safetensors"}"#, in: directory)
            == .unindexedTensor(tensor: "c", shard: "source.safetensors"))
        #expect(openIndex(#"{"a":"../source.safetensors"}"#, in: directory) == .unsafeShardName(shard: "../source.safetensors"))
        #expect(openIndex(#"{"a":1}"#, in: directory)?.code == "invalid-entry")
        writeBytes(Array("[1]".utf8), to: directory.file("model.safetensors.index.json"))
        #expect(throws: WeightsFileError.self) { try ShardedSafetensors(indexPath: directory.file("model.safetensors.index.json")) }
    }

    @Test("two shards that define the same tensor are refused")
    func duplicateAcrossShards() throws {
        let directory = TemporaryDirectory()
        let source = try sampleFile(in: directory)
        try FileManager.default.copyItem(atPath: source.path, toPath: directory.file("second.safetensors"))
        do throws(WeightsFileError) {
            _ = try ModelLoader.open(directory.path)
            Issue.record("expected a duplicate-tensor error")
        } catch {
            guard case let .shardIndex(reason) = error.reason else { Issue.record("\(error)"); return }
            #expect(reason.code == "duplicate-tensor")
        }
    }
}
