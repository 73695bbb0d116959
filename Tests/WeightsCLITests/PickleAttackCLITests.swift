import Foundation
import Testing

/// What the third attack round found in the PyTorch path, each pinned by a test: totals over
/// stride-0 views that overflow, and pickles whose lists, dicts or memo outgrow memory.
@Suite("weights against hostile PyTorch checkpoints (round three)")
struct PickleAttackCLITests {
    static let most = "9,223,372,036,854,775,807"

    /// A zip checkpoint whose tensors are each a stride-0 u8 view of `elements` elements over
    /// one 1-byte storage (as `expand` saves): each passes its own checks.
    static func expanded(_ names: [String], elements: Int) -> [UInt8] {
        var pickle = PickleWriter()
        pickle.stateDict(names.map { name in
            (name: name, write: { $0.tensor(key: "0", storage: "ByteStorage", numel: 1, sizes: [elements], strides: [0]) })
        })
        return TorchFiles.zip(pickle: pickle.bytes, storages: [("0", [7])])
    }

    @Test("inspect of two stride-0 views of 2^62 elements each says the totals exceed 2^63 − 1, in text and in JSON")
    func elementTotals() throws {
        let directory = TemporaryDirectory()
        let file = directory.file("two.pt")
        writeBytes(Self.expanded(["a", "b"], elements: 1 << 62), to: file)
        let text = try CLI.run(["inspect", file])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("parameters  more than \(Self.most)\n"), "\(text.stdout)")
        #expect(text.stdout.contains("bytes       more than \(Self.most) (more than 9.2 EB)\n"), "\(text.stdout)")
        #expect(text.stdout.contains("  U8            more than \(Self.most)\n"), "\(text.stdout)")
        let json = try CLI.run(["inspect", file, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["parameters"] is NSNull && object["bytes"] is NSNull, "\(json.stdout)")
        let tensors = try #require(object["tensors"] as? [[String: Any]])
        #expect(tensors.map { $0["bytes"] as? Int } == [1 << 62, 1 << 62])
    }

    @Test("inspect, validate, verify and convert of two shards of stride-0 views of 2^63 − 1 bytes each are reported, never trap")
    func shardTotals() throws {
        let directory = TemporaryDirectory()
        let folder = directory.file("model")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        writeBytes(Self.expanded(["a"], elements: Int.max), to: folder + "/pytorch_model-00001-of-00002.bin")
        writeBytes(Self.expanded(["b"], elements: Int.max), to: folder + "/pytorch_model-00002-of-00002.bin")
        let index = #"{"metadata": {"total_size": 2}, "weight_map": {"a": "pytorch_model-00001-of-00002.bin", "b": "pytorch_model-00002-of-00002.bin"}}"#
        try index.write(toFile: folder + "/pytorch_model.bin.index.json", atomically: true, encoding: .utf8)

        let inspect = try CLI.run(["inspect", folder])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(inspect.stdout.contains("parameters  more than \(Self.most)\n"), "\(inspect.stdout)")
        #expect(inspect.stderr.contains("index metadata.total_size is 2 but the shards hold more than 9223372036854775807 bytes of tensors"),
                "\(inspect.stderr)")
        let validate = try CLI.run(["validate", folder])
        #expect(validate.status == 1 && validate.stdout.contains("invalid: unknown model type, 2 tensors, 1 error"), "\(validate.stdout)")
        #expect(validate.stderr.hasSuffix("\nweights: error: \(folder): cannot be validated: 1 error, 0 warnings\n"), "\(validate.stderr)")
        // Reading a view of 2^63 - 1 gathered bytes is refused by the memory budget, in one line.
        for command in [["verify", folder], ["convert", folder, directory.file("out.safetensors")]] {
            let result = try CLI.run(command)
            #expect(result.status == 1, "\(command): \(result.stderr)")
            #expect(result.stderr.hasPrefix("weights: error: \(folder)/pytorch_model-00001-of-00002.bin: gathering the strided tensor \"a\" needs 9.2 EB, ")
                    && result.stderr.hasSuffix(" available [insufficient-memory]\n"), "\(command): \(result.stderr)")
        }
        #expect(directory.contents == ["model"])
    }

    @Test("an index naming 100,000 distinct shards is refused at the first missing one in under 20 s, not after its names are compared pairwise")
    func manyShardNames() throws {
        let directory = TemporaryDirectory()
        let entries = (0..<100_000).map { "\"t\($0)\": \"s\($0).bin\"" }.joined(separator: ", ")
        try "{\"weight_map\": {\(entries)}}".write(toFile: directory.file("pytorch_model.bin.index.json"), atomically: true, encoding: .utf8)
        let start = ContinuousClock.now
        let result = try HostileFiles.runBounded(["inspect", directory.path], seconds: 60)
        let elapsed = ContinuousClock.now - start
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("s0.bin") && result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
        #expect(elapsed < .seconds(20), "took \(elapsed)")
    }

    /// 8 MB pickles that hold 8M values: a list filled by MARK, DUP … APPENDS; a memo filled by
    /// MEMOIZE; a dict filled by MARK, DUP … SETITEMS. Each opcode byte is one value (70 bytes
    /// of Swift memory each before), kept under the 1M-value stack limit by rounds.
    static func growing(_ kind: String) -> [UInt8] {
        let total = 8_000_000, round = 1_000_000 - 2
        var pickle: [UInt8] = [0x80, 2]
        switch kind {
        case "list":
            pickle.append(0x5D)
            for _ in 0..<(total / round) { pickle += [0x28, 0x4E] + [UInt8](repeating: 0x32, count: round - 1) + [0x65] }
        case "memo":
            pickle += [0x4E] + [UInt8](repeating: 0x94, count: total)
        default:
            pickle.append(0x7D)
            for number in 0..<(total / round) {
                // Distinct keys do not matter to the reader (it keeps every pair, as the pickle
                // says); each round is MARK, an int, DUP × (round - 1), SETITEMS.
                pickle += [0x28, 0x4B, UInt8(number)] + [UInt8](repeating: 0x32, count: round - 1) + [0x75]
            }
        }
        return TorchFiles.zip(pickle: pickle + [0x2E], storages: [])
    }

    @Test("under ulimit -v 600000, an 8 MB pickle growing a list, the memo or a dict to 8M values is a memory error, not an abort",
          .disabled(if: CLI.underAddressSanitizer, "an address-space limit cannot apply to an AddressSanitizer binary"),
          arguments: ["list", "memo", "dict"])
    func growingContainers(_ kind: String) throws {
        let directory = TemporaryDirectory()
        let file = directory.file("\(kind).pt")
        writeBytes(Self.growing(kind), to: file)
        let limited = try CLI.run(["inspect", file], shellPrefix: "ulimit -v 600000")
        #expect(limited.status == 1, "\(limited.stderr)")
        #expect(limited.stderr.hasPrefix("weights: error: \(file): unpickling ") && limited.stderr.hasSuffix(" [insufficient-memory]\n"),
                "\(limited.stderr)")
    }
}
