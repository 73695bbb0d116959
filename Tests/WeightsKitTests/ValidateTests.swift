import Foundation
import Testing
@testable import WeightsKit

/// `ModelValidator` against models with known damage: the committed copies of tiny-deberta
/// (Scripts/make_damaged_models.py, which also writes the problems each must produce), and
/// WeightPack files damaged here.
@Suite("Validate: models against their configs")
struct ValidateTests {
    static func validate(_ path: String, strict: Bool = false) throws -> ValidationReport {
        let source = try ModelLoader.open(path)
        return ModelValidator.validate(source, config: Result { () throws(ModelConfigError) in try ModelConfig.find(for: path, source: source) }, strict: strict)
    }

    static func summary(_ report: ValidationReport) -> [String] {
        report.problems.map { "\($0.severity.rawValue) \($0.code.rawValue) \($0.tensor ?? "-")" }
    }

    @Test("every damaged copy is present")
    func present() {
        #expect(ModelFixtures.expectations.keys.sorted() == [
            "config-hidden-size", "extra-tensor", "nan-row", "removed-tensor", "renamed-tensor", "transposed-tensor", "zeroed-tensor",
        ])
    }

    @Test("the sample DeBERTa validates clean")
    func sampleIsClean() throws {
        let report = try Self.validate(ModelFixtures.tinyDeberta, strict: true)
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.isValid && report.modelType == "deberta-v2" && report.tensorCount == 38)
    }

    @Test("the real all-MiniLM-L6-v2 validates clean", .enabled(if: ModelFixtures.hasMiniLM, ModelFixtures.miniLMSkipReason))
    func miniLMIsClean() throws {
        let report = try Self.validate(ModelFixtures.miniLM, strict: true)
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.isValid && report.modelType == "bert" && report.tensorCount == 104)
    }

    @Test("each damaged copy produces exactly its expected problems", arguments: ModelFixtures.expectations.keys.sorted())
    func damagedCopy(_ name: String) throws {
        let expected = try #require(ModelFixtures.expectations[name])
        let report = try Self.validate(ModelFixtures.damaged + "/" + name)
        #expect(Self.summary(report) == expected.problems.map { "\($0.severity) \($0.code) \($0.tensor)" })
        #expect(report.isValid == expected.valid)
        #expect(try Self.validate(ModelFixtures.damaged + "/" + name, strict: true).isValid == expected.valid_strict)
        for problem in report.problems {
            #expect(problem.message.hasPrefix("tensor \"\(problem.tensor ?? "")\": ") && !problem.message.contains("\n"))
        }
    }

    @Test("problems carry expected and actual values: shapes, dtypes, counts")
    func details() throws {
        let transposed = try Self.validate(ModelFixtures.damaged + "/transposed-tensor").problems
        #expect(transposed.map(\.expected) == [.shape(Shape([64, 32]))] && transposed.map(\.actual) == [.shape(Shape([32, 64]))])
        #expect(transposed.first?.message.hasSuffix("(transposed?)") == true)
        let nan = try Self.validate(ModelFixtures.damaged + "/nan-row").problems
        #expect(nan.map(\.actual) == [.text("32 NaN, 0 infinite")])
        let missing = try Self.validate(ModelFixtures.damaged + "/removed-tensor").problems
        #expect(missing.map(\.expected) == [.shape(Shape([32, 32]))] && missing.map(\.actual) == [nil])
    }

    @Test("problems are sorted: config first, then by tensor name, then by code")
    func sorted() throws {
        let report = try Self.validate(ModelFixtures.damaged + "/config-hidden-size")
        #expect(report.problems == report.problems.sorted())
        let names = report.problems.compactMap(\.tensor)
        #expect(names == names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        let first = ValidationProblem(code: .config, tensor: nil, message: "config: x")
        #expect(first < ValidationProblem(code: .missing, tensor: "a", message: "m"))
        #expect(ValidationProblem(code: .shape, tensor: "a", message: "m") < ValidationProblem(code: .nonfinite, tensor: "a", message: "m"))
    }

    @Test("without a usable config, the value checks still run")
    func configProblem() throws {
        let source = try ModelLoader.open(ModelFixtures.damaged + "/nan-row")
        let report = ModelValidator.validate(source, config: .failure(.unsupportedModelType("roberta")))
        #expect(Self.summary(report) == ["error config -", "error nonfinite embeddings.word_embeddings.weight"])
        #expect(report.modelType == nil && !report.isValid)
        #expect(report.problems.first?.message == #"config: model_type "roberta" is not supported (supported: bert, deberta-v2)"#)
    }

    @Test("a non-float weight is a dtype problem; an integer position_ids buffer is not")
    func dtypes() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: ModelFixtures.tinyDeberta + "/config.json", toPath: directory.file("config.json"))
        let source = try ModelLoader.open(ModelFixtures.tinyDeberta)
        let positionIDs = TensorPayload(name: "embeddings.position_ids", dtype: .i64, shape: Shape([1, 512])) { sink in
            try (0..<512).map { Int64($0) }.withUnsafeBytes { try sink.write($0) }
        }
        let payloads = try source.views().map { view in
            guard view.name == "encoder.layer.0.output.dense.bias" else { return TensorPayload(copying: view) }
            return TensorPayload(name: view.name, dtype: .i32, shape: view.shape) { sink in try sink.write([UInt8](repeating: 1, count: 128)) }
        }
        try SafetensorsWriter.write(payloads + [positionIDs], metadata: nil, to: directory.file("model.safetensors"), overwrite: false)
        let report = try Self.validate(directory.path, strict: true)
        #expect(Self.summary(report) == ["error dtype encoder.layer.0.output.dense.bias"])
        #expect(report.problems.first?.actual == .text("I32"))
    }

    @Test("an all-zero bias or LayerNorm is fine; all-zero embeddings are not; infinities count")
    func zerosAndInfinities() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: ModelFixtures.tinyDeberta + "/config.json", toPath: directory.file("config.json"))
        let source = try ModelLoader.open(ModelFixtures.tinyDeberta)
        let payloads = try source.views().map { view in
            switch view.name {
            case "embeddings.LayerNorm.bias", "encoder.layer.0.attention.self.query_proj.bias", "encoder.rel_embeddings.weight":
                return ModelFixtures.floats(view.name, view.shape.dims) { _ in 0 }
            case "encoder.layer.1.attention.output.LayerNorm.weight":
                return ModelFixtures.floats(view.name, view.shape.dims) { $0 == 3 ? -.infinity : 1 }
            default:
                return TensorPayload(copying: view)
            }
        }
        try SafetensorsWriter.write(payloads, metadata: nil, to: directory.file("model.safetensors"), overwrite: false)
        let report = try Self.validate(directory.path)
        #expect(Self.summary(report) == [
            "error nonfinite encoder.layer.1.attention.output.LayerNorm.weight",
            "error zero encoder.rel_embeddings.weight",
        ])
    }

    @Test("a damaged WeightPack payload is a checksum problem naming the tensor", arguments: [false, true])
    func damagedWeightPack(compressed: Bool) throws {
        let directory = TemporaryDirectory()
        let pack = directory.file("model.wpk")
        let source = try ModelLoader.open(ModelFixtures.tinyDeberta)
        let config = try String(contentsOfFile: ModelFixtures.tinyDeberta + "/config.json", encoding: .utf8)
        try WeightPackWriter.write(source.views().map(TensorPayload.init(copying:)), metadata: source.metadata, config: config,
                                   options: .init(compress: compressed), to: pack, overwrite: false)
        #expect(try Self.validate(pack, strict: true).problems.isEmpty)

        let target = "encoder.layer.1.intermediate.dense.weight"
        let record = try #require(WeightPackFile(path: pack).record(target))
        var bytes = readBytes(pack)
        bytes[record.storedOffset + record.storedBytes / 2] ^= 0x01  // a mantissa bit: values stay finite
        writeBytes(bytes, to: pack)
        let report = try Self.validate(pack)
        #expect(Self.summary(report) == ["error checksum \(target)"])
        #expect(report.problems.first?.message.contains("payload CRC-32 is") == true)
    }

    @Test("a tensor under two spellings is unexpected the second time")
    func duplicateSpelling() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: ModelFixtures.tinyDeberta + "/config.json", toPath: directory.file("config.json"))
        let source = try ModelLoader.open(ModelFixtures.tinyDeberta)
        let duplicate = try #require(try source.view("encoder.LayerNorm.weight"))
        let payloads = try source.views().map(TensorPayload.init(copying:)) + [
            TensorPayload(name: "deberta.encoder.LayerNorm.gamma", dtype: duplicate.dtype, shape: duplicate.shape) { sink in
                try duplicate.withUnsafeBytes { try sink.write($0) }
            },
        ]
        try SafetensorsWriter.write(payloads, metadata: nil, to: directory.file("model.safetensors"), overwrite: false)
        let report = try Self.validate(directory.path)
        #expect(Self.summary(report) == ["warning unexpected deberta.encoder.LayerNorm.gamma"])
        #expect(report.problems.first?.message.contains(#"another spelling of "encoder.LayerNorm.weight""#) == true)
    }

    @Test("DeBERTa-v3 position embeddings in a checkpoint are ignored, whatever their shape, as transformers ignores them")
    func toleratedTensor() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: ModelFixtures.tinyDeberta + "/config.json", toPath: directory.file("config.json"))
        let source = try ModelLoader.open(ModelFixtures.tinyDeberta)
        let payloads = try source.views().map(TensorPayload.init(copying:)) + [
            ModelFixtures.floats("embeddings.position_embeddings.weight", [7, 3]) { _ in 0 },
        ]
        try SafetensorsWriter.write(payloads, metadata: nil, to: directory.file("model.safetensors"), overwrite: false)
        #expect(try Self.validate(directory.path, strict: true).problems.isEmpty)
        #expect(try !ModelTensors.open(directory.path).contains(.positionEmbeddings))
    }

    @Test("missing tensors are spelled with the prefix the file uses")
    func missingSpelledWithPrefix() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: ModelFixtures.tinyDeberta + "/config.json", toPath: directory.file("config.json"))
        let source = try ModelLoader.open(ModelFixtures.tinyDeberta)
        let payloads = try source.views().filter { $0.name != "encoder.layer.0.attention.self.key_proj.bias" }.map { view in
            TensorPayload(name: "deberta." + view.name, dtype: view.dtype, shape: view.shape) { sink in try view.withUnsafeBytes { try sink.write($0) } }
        }
        try SafetensorsWriter.write(payloads, metadata: nil, to: directory.file("model.safetensors"), overwrite: false)
        #expect(Self.summary(try Self.validate(directory.path)) == ["error missing deberta.encoder.layer.0.attention.self.key_proj.bias"])
    }

    @Test("a config at the size caps is checked without trouble against a small file")
    func hostileConfig() throws {
        let directory = TemporaryDirectory()
        try #"{"model_type": "bert", "vocab_size": 16777216, "hidden_size": 16777216, "num_attention_heads": 1, "num_hidden_layers": 1024, "intermediate_size": 16777216}"#
            .write(toFile: directory.file("config.json"), atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: ModelFixtures.tinyDeberta + "/model.safetensors", toPath: directory.file("model.safetensors"))
        let report = try Self.validate(directory.path)
        #expect(!report.isValid)
        // 16 tensors per layer and 5 embedding tensors; the file has 23 of them under BERT's names.
        #expect(report.problems.count { $0.code == .missing } == 1024 * 16 + 5 - 23)
        #expect(report.problems.count { $0.code == .shape } == 23)
    }
}
