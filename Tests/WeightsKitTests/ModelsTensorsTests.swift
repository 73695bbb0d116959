import Foundation
import Testing
@testable import WeightsKit

@Suite("ModelTensors: tensors by role")
struct ModelsTensorsTests {
    @Test("resolves every role of the sample DeBERTa, and refuses roles it does not have")
    func sampleDeberta() throws {
        let model = try ModelTensors.open(ModelFixtures.tinyDeberta)
        #expect(model.config.modelType == "deberta-v2")
        let query = try model.view(.query(layer: 0, .weight))
        #expect(query.name == "encoder.layer.0.attention.self.query_proj.weight" && query.shape == Shape([32, 32]))
        #expect(try model.view(.intermediate(layer: 1, .weight)).shape == Shape([64, 32]))
        #expect(try model.view(.relativeEmbeddings).shape == Shape([32, 32]))
        #expect(model.name(of: .encoderLayerNorm(.bias)) == "encoder.LayerNorm.bias")
        #expect(model.info(.wordEmbeddings)?.shape == Shape([1000, 32]))
        for expected in model.schema.tensors where expected.presence == .required {
            #expect(model.contains(expected.role), "\(expected.role)")
        }
        // DeBERTa-v3 has no absolute positions and no token types.
        #expect(!model.contains(.positionEmbeddings) && !model.contains(.tokenTypeEmbeddings) && !model.contains(.pooler(.weight)))
        #expect {
            try model.view(.positionEmbeddings)
        } throws: { "\($0)" == "this deberta-v2 model has no position embeddings" }
        #expect(throws: ModelTensorsError.self) { try model.view(.query(layer: 2, .weight)) }
    }

    @Test("the same roles resolve under a task model's prefix and legacy LayerNorm names, values unchanged")
    func prefixedAndLegacyNames() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: ModelFixtures.tinyDeberta + "/config.json", toPath: directory.file("config.json"))
        // DebertaV2ForSequenceClassification: "deberta." prefix, pooler and classifier at the top.
        try ModelFixtures.renamedCopy(of: ModelFixtures.tinyDeberta, to: directory.file("model.safetensors"), rename: { name in
            "deberta." + name.replacingOccurrences(of: "LayerNorm.weight", with: "LayerNorm.gamma").replacingOccurrences(of: "LayerNorm.bias", with: "LayerNorm.beta")
        }, extra: [
            ModelFixtures.floats("pooler.dense.weight", [32, 32]) { Float($0 % 7) * 0.01 },
            ModelFixtures.floats("pooler.dense.bias", [32]) { _ in 0 },
            ModelFixtures.floats("classifier.weight", [3, 32]) { Float($0) * 0.01 },
            ModelFixtures.floats("classifier.bias", [3]) { _ in 0 },
        ])
        let original = try ModelTensors.open(ModelFixtures.tinyDeberta)
        let renamed = try ModelTensors.open(directory.path)
        #expect(renamed.name(of: .embeddingLayerNorm(.weight)) == "deberta.embeddings.LayerNorm.gamma")
        #expect(renamed.name(of: .outputLayerNorm(layer: 1, .bias)) == "deberta.encoder.layer.1.output.LayerNorm.beta")
        #expect(renamed.name(of: .pooler(.weight)) == "pooler.dense.weight")
        for expected in original.schema.tensors where original.contains(expected.role) {
            #expect(try renamed.view(expected.role).floats() == original.view(expected.role).floats(), "\(expected.role)")
        }
        let report = ModelValidator.validate(renamed.source, config: .success(renamed.config), strict: true)
        #expect(report.problems.isEmpty, "\(report.problems)")
    }

    @Test("a file that does not match its config is refused in one line naming the first problem")
    func mismatch() throws {
        #expect {
            try ModelTensors.open(ModelFixtures.damaged + "/removed-tensor")
        } throws: { error in
            guard case let .mismatch(modelType, problems) = error as? ModelTensorsError else { return false }
            return modelType == "deberta-v2" && problems.map(\.tensor) == ["encoder.rel_embeddings.weight"]
                && "\(error)" == #"weights do not match the deberta-v2 config: tensor "encoder.rel_embeddings.weight": missing (the relative position embeddings, expected [32, 32]) [missing]"#
        }
        #expect {
            try ModelTensors.open(ModelFixtures.damaged + "/config-hidden-size")
        } throws: { "\($0)".hasSuffix("(and 35 more; run `weights validate` for all)") && !"\($0)".contains("\n") }
        // Unexpected tensors and bad values do not stop loading; `weights validate` reports those.
        #expect(try ModelTensors.open(ModelFixtures.damaged + "/extra-tensor").contains(.wordEmbeddings))
        #expect(try ModelTensors.open(ModelFixtures.damaged + "/nan-row").contains(.wordEmbeddings))
    }

    @Test("an explicit config replaces the one beside the weights")
    func explicitConfig() throws {
        let config = try ModelConfig(contentsOf: ModelFixtures.tinyDeberta + "/config.json")
        let model = try ModelTensors.open(ModelFixtures.damaged + "/config-hidden-size", config: config)
        #expect(model.config.hiddenSize == 32)
        #expect {
            try ModelTensors.open(ModelFixtures.damaged + "/no-such-model")
        } throws: { error in
            guard case .unreadable = error as? ModelTensorsError else { return false }
            return true
        }
    }

    @Test("resolves all-MiniLM-L6-v2's BERT tensors, pooler and position_ids included",
          .enabled(if: ModelFixtures.hasMiniLM, ModelFixtures.miniLMSkipReason))
    func miniLM() throws {
        let model = try ModelTensors.open(ModelFixtures.miniLM)
        #expect(model.config.modelType == "bert" && model.config.layerCount == 6)
        #expect(try model.view(.query(layer: 5, .bias)).name == "encoder.layer.5.attention.self.query.bias")
        #expect(try model.view(.tokenTypeEmbeddings).shape == Shape([2, 384]))
        #expect(try model.view(.pooler(.weight)).shape == Shape([384, 384]))
        #expect(try model.view(.positionIDs).dtype == .i64)
        #expect(!model.contains(.relativeEmbeddings))
    }
}
