import Foundation
import Testing
import TestSupport

@Suite("hostile input: non-regular files, option values, ranks, diff exactness, terminal escaping, memory")
struct HostileInputCLITests {
    static let deberta = CLI.path("SampleModels/tiny-deberta")

    private func fifo(_ path: String) throws {
        #expect(mkfifo(path, 0o600) == 0)
    }

    // MARK: non-regular files

    @Test("a FIFO as the input, as a shard in a directory, as config.json, as vocab.txt: exit 1 at once, naming it")
    func fifos() throws {
        let directory = TemporaryDirectory()
        let input = directory.file("input.safetensors")
        try fifo(input)
        var result = try HostileFiles.runBounded(["inspect", input])
        #expect(result.status == 1 && result.stderr.contains("\(input): cannot open: not a regular file"), "\(result.status) \(result.stderr)")

        let shards = directory.file("shards")
        try FileManager.default.createDirectory(atPath: shards, withIntermediateDirectories: false)
        try HostileFiles.safetensors([HostileFiles.f32("a", [1])], to: shards + "/model-00001.safetensors")
        try fifo(shards + "/model-00002.safetensors")
        result = try HostileFiles.runBounded(["inspect", shards])
        #expect(result.status == 1 && result.stderr.contains("model-00002.safetensors: cannot open: not a regular file"), "\(result.status) \(result.stderr)")

        let model = directory.file("model")
        try FileManager.default.copyItem(atPath: Self.deberta, toPath: model)
        try FileManager.default.removeItem(atPath: model + "/config.json")
        try fifo(model + "/config.json")
        result = try HostileFiles.runBounded(["validate", model])
        #expect(result.status == 1 && result.stdout.contains("config.json: cannot open: not a regular file"), "\(result.status) \(result.stdout)")
        result = try HostileFiles.runBounded(["embed", model, "--ids", "1,2"])
        #expect(result.status == 1 && result.stderr.contains("config.json: cannot open: not a regular file"), "\(result.status) \(result.stderr)")

        let vocabulary = directory.file("vocab.txt")
        try fifo(vocabulary)
        result = try HostileFiles.runBounded(["tokenize", vocabulary, "hello"])
        #expect(result.status == 1 && result.stderr.contains("not a regular file") && result.stderr.contains(vocabulary), "\(result.status) \(result.stderr)")
    }

    @Test("a character device and a directory as a file to read: refused as not regular")
    func devices() throws {
        let result = try HostileFiles.runBounded(["inspect", "/dev/zero"])
        #expect(result.status == 1 && result.stderr.contains("/dev/zero: cannot open: not a regular file (a character device)"), "\(result.stderr)")
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.file("x.safetensors"), withIntermediateDirectories: false)
        try HostileFiles.safetensors([HostileFiles.f32("a", [1])], to: directory.file("a.safetensors"))
        let listed = try HostileFiles.runBounded(["diff", directory.file("a.safetensors"), directory.file("x.safetensors")])
        #expect(listed.status == 2 && listed.stderr.contains("x.safetensors"), "\(listed.status) \(listed.stderr)")
    }

    // MARK: option values

    @Test("negative --values, non-finite or negative --tolerance, sub-byte --shard-size: usage errors (64)")
    func optionValues() throws {
        let directory = TemporaryDirectory()
        let file = directory.file("a.safetensors")
        try HostileFiles.safetensors([HostileFiles.f32("a", [1, 2])], to: file)
        #expect(try CLI.run(["embed", Self.deberta, "--ids", "1,2", "--values=-1"]).status == 64)
        #expect(try CLI.run(["inspect", file, "--tensor", "a", "--values=-1"]).status == 64)
        for tolerance in ["nan", "-1", "inf", "-inf"] {
            let result = try CLI.run(["diff", file, file, "--tolerance=\(tolerance)"])
            #expect(result.status == 64, "--tolerance=\(tolerance): \(result.status) \(result.stderr)")
        }
        #expect(try CLI.run(["convert", file, directory.file("b.safetensors"), "--shard-size", "0.5B"]).status == 64)
    }

    // MARK: WeightPack rank

    @Test("rank 9 and rank 256 tensors to .wpk: exit 1 with the rule, no output and no temporary file")
    func ranks() throws {
        for rank in [9, 256] {
            let directory = TemporaryDirectory()
            let input = directory.file("in.safetensors")
            try HostileFiles.safetensors([HostileFiles.f32("t", [1], shape: Array(repeating: 1, count: rank))], to: input)
            let result = try CLI.run(["convert", input, directory.file("out.wpk")])
            #expect(result.status == 1)
            #expect(result.stderr.contains("tensor \"t\": rank \(rank) exceeds WeightPack's maximum rank 8 [rank-too-large]"), "\(result.stderr)")
            #expect(directory.contents == ["in.safetensors"])
        }
    }

    // MARK: diff

    @Test("diff compares I64 and F64 exactly and counts a dtype change")
    func diffExact() throws {
        let directory = TemporaryDirectory()
        let a = directory.file("a.safetensors"), b = directory.file("b.safetensors")
        try HostileFiles.safetensors([HostileFiles.i64("i", [1 << 40 + 1, 7]), HostileFiles.f64("d", [2])], to: a)
        try HostileFiles.safetensors([HostileFiles.i64("i", [1 << 40, 7]), HostileFiles.f64("d", [2 + 1e-12])], to: b)
        let result = try CLI.run(["diff", a, b, "--json"])
        #expect(result.status == 1)
        struct Report: Decodable {
            struct Tensor: Decodable { let name: String; let equal: Bool; let differing: Int?; let max_abs_difference: Double? }
            let identical: Bool
            let tensors: [Tensor]
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(!report.identical)
        let integer = try #require(report.tensors.first { $0.name == "i" })
        #expect(!integer.equal && integer.differing == 1 && integer.max_abs_difference == 1)
        let double = try #require(report.tensors.first { $0.name == "d" })
        #expect(!double.equal && double.differing == 1 && double.max_abs_difference == abs(2 - (2 + 1e-12)))
        // Within a tolerance of 1 the integer matches; 1e-12 covers the double.
        #expect(try CLI.run(["diff", a, b, "--tolerance", "1"]).status == 0)
        #expect(try CLI.run(["diff", a, b, "--tolerance", "0.5"]).status == 1)

        let f32 = directory.file("f32.safetensors"), f16 = directory.file("f16.safetensors")
        try HostileFiles.safetensors([HostileFiles.f32("w", [1, 2])], to: f32)
        try HostileFiles.safetensors([HostileFiles.Tensor(name: "w", dtype: "F16", shape: [2], bytes: [0x00, 0x3C, 0x00, 0x40])], to: f16)
        let dtype = try CLI.run(["diff", f32, f16, "--tolerance", "1"])
        #expect(dtype.status == 1 && dtype.stdout.contains("dtype differs") && dtype.stdout.contains("differ: 1 of 1"), "\(dtype.stdout)")
    }

    @Test("diff matches names by bytes: \"é\" and \"e\\u{301}\" are different tensors")
    func diffNamesByBytes() throws {
        let directory = TemporaryDirectory()
        let a = directory.file("a.safetensors"), b = directory.file("b.safetensors")
        try HostileFiles.safetensors([HostileFiles.f32("\u{E9}", [1])], to: a)
        try HostileFiles.safetensors([HostileFiles.f32("e\u{301}", [1])], to: b)
        let result = try CLI.run(["diff", a, b, "--json"])
        #expect(result.status == 1)
        struct Report: Decodable { let only_in_a: [String]; let only_in_b: [String] }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.only_in_a.map { Array($0.utf8) } == [Array("\u{E9}".utf8)])
        #expect(report.only_in_b.map { Array($0.utf8) } == [Array("e\u{301}".utf8)])
    }

    // MARK: terminal escaping

    @Test("names with a newline or an escape sequence: one line each, no ESC byte; --json exact")
    func escaping() throws {
        let directory = TemporaryDirectory()
        let file = directory.file("x.safetensors")
        let forged = "a\nweights: error: forged", colour = "\u{1B}[31mred"
        try HostileFiles.safetensors([HostileFiles.f32(forged, [1]), HostileFiles.f32(colour, [2])], metadata: ["k\u{1B}": "v\nw"], to: file)
        let inspect = try CLI.run(["inspect", file])
        #expect(inspect.status == 0)
        #expect(!inspect.stdout.utf8.contains(0x1B))
        let lines = inspect.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("a\\u{A}weights: error: forged ") }.count == 1)
        #expect(lines.filter { $0.hasPrefix("\\u{1B}[31mred ") }.count == 1)
        #expect(!lines.contains { $0.hasPrefix("weights: error") })
        #expect(lines.contains { $0 == "  k\\u{1B} = v\\u{A}w" })

        // An error naming such a tensor stays one line.
        let other = directory.file("y.safetensors")
        try HostileFiles.safetensors([HostileFiles.f32(forged, [1, 2])], to: other)
        let missing = try CLI.run(["inspect", file, "--tensor", forged + "!"])
        #expect(missing.status == 1 && missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
        let diff = try CLI.run(["diff", file, other])
        #expect(diff.status == 1 && !diff.stdout.utf8.contains(0x1B) && !diff.stdout.contains("\nweights: error"))

        struct Report: Decodable { struct Tensor: Decodable { let name: String }; let tensors: [Tensor]; let metadata: [String: String] }
        let json = try JSONDecoder().decode(Report.self, from: Data(try CLI.run(["inspect", file, "--json"]).stdout.utf8))
        #expect(Set(json.tensors.map(\.name)) == [forged, colour])
        #expect(json.metadata == ["k\u{1B}": "v\nw"])
    }

    // MARK: memory and configs

    @Test("60,000 ids on DeBERTa: a clear memory error, not an abort")
    func longInput() throws {
        let ids = Array(repeating: "5", count: 60_000).joined(separator: ",")
        // 2 index tables of 60000² Ints alone are 57.6 GB; 16 GB is the stated limit.
        let result = try HostileFiles.runBounded(["embed", Self.deberta, "--ids", ids], environment: ["WEIGHTS_MEMORY_LIMIT": "16000000000"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("weights: error: embedding 60000 tokens needs "), "\(result.stderr)")
        #expect(result.stderr.contains(", 16.0 GB available [insufficient-memory]"))
        // The same limit leaves room for a short input.
        #expect(try HostileFiles.runBounded(["embed", Self.deberta, "--ids", "1,5,2"], environment: ["WEIGHTS_MEMORY_LIMIT": "16000000000"]).status == 0)
    }

    @Test("a consistent model whose weights need 512 GiB as F32 (sparse 256 GiB F16 file): a clear memory error")
    func hugeWeights() throws {
        let directory = TemporaryDirectory()
        let hidden = 4096, intermediate = 1 << 24
        let config = #"{"model_type":"bert","vocab_size":8,"hidden_size":4096,"num_hidden_layers":1,"num_attention_heads":1,"#
            + #""intermediate_size":16777216,"max_position_embeddings":8,"type_vocab_size":1}"#
        writeBytes(Array(config.utf8), to: directory.file("config.json"))
        func tensor(_ name: String, _ shape: [Int]) -> HostileFiles.Tensor { HostileFiles.Tensor(name: name, dtype: "F16", shape: shape, bytes: []) }
        var tensors = [tensor("embeddings.word_embeddings.weight", [8, hidden]), tensor("embeddings.position_embeddings.weight", [8, hidden]),
                       tensor("embeddings.token_type_embeddings.weight", [1, hidden]),
                       tensor("encoder.layer.0.intermediate.dense.weight", [intermediate, hidden]),
                       tensor("encoder.layer.0.intermediate.dense.bias", [intermediate]),
                       tensor("encoder.layer.0.output.dense.weight", [hidden, intermediate])]
        for name in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
            tensors += [tensor("encoder.layer.0.\(name).weight", [hidden, hidden]), tensor("encoder.layer.0.\(name).bias", [hidden])]
        }
        for name in ["embeddings.LayerNorm", "encoder.layer.0.attention.output.LayerNorm", "encoder.layer.0.output.LayerNorm"] {
            tensors += [tensor("\(name).weight", [hidden]), tensor("\(name).bias", [hidden])]
        }
        tensors.append(tensor("encoder.layer.0.output.dense.bias", [hidden]))
        try HostileFiles.safetensors(tensors, to: directory.file("model.safetensors"), sparse: true)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: directory.file("model.safetensors"))[.size] as? Int)
        #expect(size > 256 << 30)
        let result = try HostileFiles.runBounded(["embed", directory.path, "--ids", "1,2"], environment: ["WEIGHTS_MEMORY_LIMIT": "64000000000"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("weights: error: \(directory.path): loading the model's weights as F32 needs 5"), "\(result.stderr)")
        #expect(result.stderr.contains("64.0 GB available [insufficient-memory]"))
    }

    @Test("DeBERTa position_buckets 1 and a span whose log base is 1: validate reports the config, embed does not trap")
    func logBuckets() throws {
        for (replacement, field) in [(#""position_buckets": 1"#, "position_buckets 1"),
                                     (#""position_buckets": 16, "max_relative_positions": 9"#, "max_relative_positions 9")] {
            let directory = TemporaryDirectory()
            let model = directory.file("model")
            try FileManager.default.copyItem(atPath: Self.deberta, toPath: model)
            let config = try String(contentsOfFile: model + "/config.json", encoding: .utf8)
            #expect(config.contains(#""position_buckets": 16"#))
            try config.replacingOccurrences(of: #""position_buckets": 16"#, with: replacement)
                .write(toFile: model + "/config.json", atomically: true, encoding: .utf8)
            let validate = try CLI.run(["validate", model])
            #expect(validate.status == 1)
            #expect(validate.stdout.contains("error: config: ") && validate.stdout.contains(field) && validate.stdout.contains("[config]"), "\(validate.stdout)")
            let embed = try CLI.run(["embed", model, "--ids", Array(repeating: "5", count: 40).joined(separator: ",")])
            #expect(embed.status == 1 && embed.stderr.contains(field), "\(embed.status) \(embed.stderr)")
        }
    }
}
