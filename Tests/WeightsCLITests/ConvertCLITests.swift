import Foundation
import Testing

@Suite("weights convert")
struct ConvertCLITests {
    @Test("lossless convert reproduces every reference-written file byte for byte",
          arguments: InspectCLITests.manifest.keys.sorted())
    func byteIdentical(_ name: String) throws {
        let directory = TemporaryDirectory()
        let input = InspectCLITests.valid + "/" + name
        let result = try CLI.run(["convert", input, directory.file("out.safetensors")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.contentsEqual(atPath: input, andPath: directory.file("out.safetensors")))
    }

    /// A file large enough that a 64 kB limit stops the write in the middle.
    func bigInput(_ directory: TemporaryDirectory) -> String {
        let path = directory.file("big.safetensors")
        var json = Array(#"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[65536],"data_offsets":[0,262144]}}"#.utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json
        bytes += (0..<262_144).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try! Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a write that fails midway (ulimit -f) reports it and leaves nothing behind")
    func failedWriteLeavesNothing() throws {
        let directory = TemporaryDirectory()
        let input = bigInput(directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let result = try CLI.run(["convert", input, directory.file("out.safetensors")], shellPrefix: "ulimit -f 64")
        #expect(result.status == 1)
        #expect(result.stderr.contains("out.safetensors: cannot write: File too large"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(directory.contents == ["big.safetensors"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
    }

    @Test("the input is never overwritten, and an existing output needs --force")
    func overwriteRules() throws {
        let directory = TemporaryDirectory()
        let input = bigInput(directory)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let same = try CLI.run(["convert", input, input, "--force"])
        #expect(same.status == 1)
        #expect(same.stderr.contains("refusing to overwrite the input"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)

        try #require(FileManager.default.createFile(atPath: directory.file("out.safetensors"), contents: Data([1])))
        let exists = try CLI.run(["convert", input, directory.file("out.safetensors")])
        #expect(exists.status == 1)
        #expect(exists.stderr.contains("--force"))
        #expect(try CLI.run(["convert", input, directory.file("out.safetensors"), "--force"]).status == 0)
        #expect(FileManager.default.contentsEqual(atPath: input, andPath: directory.file("out.safetensors")))
    }

    @Test("--shard-size splits with an index, and the shards merge back to the same bytes")
    func shardRoundTrip() throws {
        let directory = TemporaryDirectory()
        let input = InspectCLITests.valid + "/" + (InspectCLITests.manifest.max { $0.value.tensors.count < $1.value.tensors.count }?.key ?? "")
        try FileManager.default.createDirectory(atPath: directory.file("shards"), withIntermediateDirectories: false)
        let split = try CLI.run(["convert", input, directory.file("shards/model.safetensors"), "--shard-size", "20kB"])
        #expect(split.status == 0, "\(split.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.file("shards"))
        #expect(files.contains("model.safetensors.index.json"))
        #expect(files.filter { $0.hasSuffix(".safetensors") }.count > 1)
        let merge = try CLI.run(["convert", directory.file("shards"), directory.file("merged.safetensors")])
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(FileManager.default.contentsEqual(atPath: input, andPath: directory.file("merged.safetensors")))
    }

    @Test("a bad --shard-size is a usage error")
    func badShardSize() throws {
        #expect(try CLI.run(["convert", "a.safetensors", "b.safetensors", "--shard-size", "lots"]).status == 64)
    }
}
