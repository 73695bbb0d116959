import Foundation
import Testing
import WeightsKit

/// A copy of a GGUF file with some metadata values replaced (or added), written by the
/// library's GGUFWriter, tensors copied as they are.
enum GGUFRewrite {
    static func copy(_ source: String, to path: String, setting values: [String: GGUFMetadataValue]) throws {
        let file = try GGUFFile(path: source)
        var metadata = file.ggufMetadata.map { GGUFMetadataEntry(key: $0.key, value: values[$0.key] ?? $0.value) }
        for (key, value) in values.sorted(by: { $0.key < $1.key }) where file.value(key) == nil {
            metadata.append(GGUFMetadataEntry(key: key, value: value))
        }
        var tensors: [GGUFWriter.Tensor] = []
        for info in file.tensors {
            let view = try #require(file.view(info.name))
            tensors.append(try #require(GGUFWriter.Tensor(TensorPayload(copying: view))))
        }
        try GGUFWriter.write(metadata: metadata, tensors: tensors, to: path, overwrite: false, durable: false)
    }
}

/// Config values are range-checked as the architecture needs (config.json and a GGUF's
/// metadata alike), and `embed` never exits 0 with a NaN or infinity in what it prints.
@Suite("config ranges, GGUF pooling types and non-finite embeddings")
struct ConfigRangeCLITests {
    static let bert = CLI.path("Formats/vectors/gguf/bert")
    static let deberta = CLI.path("SampleModels/tiny-deberta")

    struct ConfigCase: CustomTestStringConvertible, Sendable {
        let model: String
        let original: String
        let replacement: String
        /// What the one-line error says.
        let message: String
        var testDescription: String { "\(replacement) in \((model as NSString).lastPathComponent)" }
    }

    static let configCases = [
        ConfigCase(model: bert, original: #""layer_norm_eps": 1e-12"#, replacement: #""layer_norm_eps": -1"#,
                   message: "layer_norm_eps is -1.0, must be a finite number above 0"),
        ConfigCase(model: bert, original: #""layer_norm_eps": 1e-12"#, replacement: #""layer_norm_eps": 0"#,
                   message: "layer_norm_eps is 0.0, must be a finite number above 0"),
        // Positive as a double, 0 as the F32 the kernels use.
        ConfigCase(model: bert, original: #""layer_norm_eps": 1e-12"#, replacement: #""layer_norm_eps": 1e-50"#,
                   message: "layer_norm_eps is 1e-50, must be a finite number above 0, within 32-bit float range"),
        ConfigCase(model: bert, original: #""pad_token_id": 0"#, replacement: #""pad_token_id": 24"#,
                   message: "pad_token_id is 24, outside -24...23"),
        ConfigCase(model: deberta, original: #""layer_norm_eps": 1e-07"#, replacement: #""layer_norm_eps": -1e-07"#,
                   message: "layer_norm_eps is -1e-07, must be a finite number above 0"),
    ]

    @Test("a config value the architecture cannot use: validate and embed refuse it, naming the field", arguments: configCases)
    func configRanges(_ test: ConfigCase) throws {
        let directory = TemporaryDirectory()
        let model = directory.file("model")
        try FileManager.default.copyItem(atPath: test.model, toPath: model)
        try? FileManager.default.removeItem(atPath: model + "/model.gguf")
        let config = try String(contentsOfFile: model + "/config.json", encoding: .utf8)
        #expect(config.contains(test.original))
        try config.replacingOccurrences(of: test.original, with: test.replacement).write(toFile: model + "/config.json", atomically: true, encoding: .utf8)
        let validate = try CLI.run(["validate", model])
        #expect(validate.status == 1)
        #expect(validate.stdout.contains("error: config: ") && validate.stdout.contains(test.message) && validate.stdout.contains("[config]"), "\(validate.stdout)")
        let embed = try CLI.run(["embed", model, "--ids", "2,5,3"])
        #expect(embed.status == 1)
        #expect(embed.stderr.hasPrefix("weights: error: config: ") && embed.stderr.contains(test.message) && embed.stderr.hasSuffix("[config]\n"), "\(embed.stderr)")
        #expect(embed.stdout.isEmpty)
    }

    @Test("the GGUF's bert.attention.layer_norm_epsilon -1, 0 or NaN: validate and embed refuse it, naming the key",
          arguments: [Float(-1), 0, .nan])
    func ggufEpsilon(_ epsilon: Float) throws {
        let directory = TemporaryDirectory()
        let model = directory.file("model.gguf")
        try GGUFRewrite.copy(Self.bert + "/model.gguf", to: model, setting: ["bert.attention.layer_norm_epsilon": .float32(epsilon)])
        let expected = "\(model): GGUF metadata: bert.attention.layer_norm_epsilon is \(Double(epsilon)), must be a finite number above 0"
        let validate = try CLI.run(["validate", model])
        #expect(validate.status == 1)
        #expect(validate.stdout.contains(expected), "\(validate.stdout)")
        let embed = try CLI.run(["embed", model, "--text", "hello world"])
        #expect(embed.status == 1)
        #expect(embed.stderr.contains(expected) && embed.stderr.hasSuffix("[config]\n"), "\(embed.stderr)")
        #expect(embed.stdout.isEmpty)
    }

    @Test("a GGUF whose sizes disagree names its keys: heads that do not divide the width")
    func ggufInconsistentSizes() throws {
        let directory = TemporaryDirectory()
        let model = directory.file("model.gguf")
        try GGUFRewrite.copy(Self.bert + "/model.gguf", to: model, setting: ["bert.attention.head_count": .uint32(5)])
        let embed = try CLI.run(["embed", model, "--ids", "2,5,3"])
        #expect(embed.status == 1)
        #expect(embed.stderr.contains("hidden_size 32 is not a multiple of num_attention_heads 5 "
            + "(hidden_size is bert.embedding_length, num_attention_heads is bert.attention.head_count)"), "\(embed.stderr)")
    }

    @Test("a NaN weight: embed exits 1 naming the output, prints and writes nothing")
    func nonFiniteOutput() throws {
        let directory = TemporaryDirectory()
        let model = directory.file("model")
        try FileManager.default.copyItem(atPath: Self.bert, toPath: model)
        try FileManager.default.removeItem(atPath: model + "/model.gguf")
        let weights = model + "/model.safetensors"
        let info = try #require(try SafetensorsFile(path: weights).tensors.first { $0.name == "encoder.layer.1.output.dense.bias" })
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: weights)))
        withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { bytes.replaceSubrange(info.offset..<(info.offset + 4), with: $0) }
        writeBytes(bytes, to: weights)
        let output = directory.file("out.safetensors")
        let embed = try CLI.run(["embed", model, "--ids", "2,5,3", "--ids", "2,3", "--output", output])
        #expect(embed.status == 1)
        #expect(embed.stderr == "weights: error: \(model): last_hidden_state: 192 of 192 values are NaN or infinite (the first at sequence 0, position 0); "
            + "the weights or the config (layer_norm_eps?) give no finite answer [non-finite-output]\n", "\(embed.stderr)")
        #expect(embed.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    static let badPoolingTypes: [(GGUFMetadataValue, String)] = [
        (.uint32(99), "got 99"), (.int32(-1), "got -1"), (.text("mean"), #"got STRING "mean""#), (.float32(1), "got FLOAT32 1.0"),
    ]

    @Test("a bert.pooling_type outside 0...4 (99, -1, a string, a float): validate and embed refuse it, naming the key",
          arguments: 0..<4)
    func badPoolingType(_ index: Int) throws {
        let (value, actual) = Self.badPoolingTypes[index]
        let directory = TemporaryDirectory()
        let model = directory.file("model.gguf")
        try GGUFRewrite.copy(Self.bert + "/model.gguf", to: model, setting: ["bert.pooling_type": value])
        let expected = "\(model): GGUF metadata: bert.pooling_type: expected one of 0 (none), 1 (mean), 2 (cls), 3 (last), 4 (rank), \(actual)"
        let validate = try CLI.run(["validate", model])
        #expect(validate.status == 1)
        #expect(validate.stdout.contains(expected), "\(validate.stdout)")
        let embed = try CLI.run(["embed", model, "--text", "hello world"])
        #expect(embed.status == 1)
        #expect(embed.stderr.contains(expected), "\(embed.stderr)")
        #expect(embed.stdout.isEmpty)
    }

    @Test("bert.pooling_type 4 (rank): embed warns, naming the key, and pools nothing; --pool still pools")
    func rankPoolingType() throws {
        let directory = TemporaryDirectory()
        let model = directory.file("model.gguf")
        try GGUFRewrite.copy(Self.bert + "/model.gguf", to: model, setting: ["bert.pooling_type": .uint32(4)])
        let embed = try CLI.run(["embed", model, "--text", "hello world", "--json"])
        #expect(embed.status == 0, "\(embed.stderr)")
        #expect(embed.stderr == "weights: warning: \(model): bert.pooling_type 4 (rank) is a reranker's classification head, which is not modelled: "
            + "the token vectors are not pooled (give --pool to pool them)\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(embed.stdout.utf8)) as? [String: Any])
        #expect(object["sentence_embedding"] == nil)
        let pooled = try CLI.run(["embed", model, "--text", "hello world", "--json", "--pool", "mean"])
        #expect(pooled.status == 0 && pooled.stderr.isEmpty, "\(pooled.stderr)")
        let pooledObject = try #require(try JSONSerialization.jsonObject(with: Data(pooled.stdout.utf8)) as? [String: Any])
        #expect(pooledObject["sentence_embedding"] != nil)
    }

    @Test("other GGUF keys of the wrong type or range are refused, not ignored: token types, normaliser flags, token_type_count")
    func otherKeys() throws {
        let cases: [(String, GGUFMetadataValue, String, String)] = [
            ("tokenizer.ggml.normalizer.lowercase", .uint8(1), "tokenize", "tokenizer.ggml.normalizer.lowercase: expected a BOOL, got UINT8"),
            ("tokenizer.ggml.token_type", .array(GGUFArray(int32: [Int32](repeating: 3, count: 5) + [Int32](repeating: 1, count: 18) + [7])), "tokenize",
             "tokenizer.ggml.token_type[23]: expected a token type 1...6, got 7"),
            ("tokenizer.ggml.token_type_count", .text("2"), "validate", #"tokenizer.ggml.token_type_count: expected an integer, got STRING "2""#),
            ("tokenizer.ggml.padding_token_id", .float32(0), "validate", "tokenizer.ggml.padding_token_id: expected an integer, got FLOAT32 0.0"),
        ]
        for (key, value, command, message) in cases {
            let directory = TemporaryDirectory()
            let model = directory.file("model.gguf")
            try GGUFRewrite.copy(Self.bert + "/model.gguf", to: model, setting: [key: value])
            let result = try CLI.run(command == "tokenize" ? ["tokenize", model, "hello world"] : [command, model])
            #expect(result.status == 1, "\(key)")
            #expect((result.stdout + result.stderr).contains(message), "\(key): \(result.stdout) \(result.stderr)")
        }
    }
}
