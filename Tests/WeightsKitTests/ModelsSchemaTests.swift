import Foundation
import Testing
@testable import WeightsKit

/// Schemas against transformers itself: Scripts/param_counts.py builds `AutoModel.from_config`
/// for each config and lists its parameters; the schema must list the same names and shapes.
@Suite("Model schemas against transformers")
struct ModelsSchemaTests {
    @Test("the fixture covers the committed configs and the synthetic branches")
    func present() {
        let names = Set(ModelFixtures.parameterCases.map(\.name))
        #expect(names.isSuperset(of: ["all-MiniLM-L6-v2", "deberta-v3-xsmall", "tiny-deberta", "bert-defaults", "deberta-v2-defaults"]))
        #expect(names.count >= 9)
        #expect(ModelFixtures.parameterCases.count == 9)
    }

    @Test("expected tensors and parameter counts match transformers", arguments: ModelFixtures.parameterCases)
    func matchesTransformers(_ testCase: ModelFixtures.ParameterCase) throws {
        let config = try ModelConfig(parsing: try testCase.configText())
        let schema = config.schema
        #expect(schema.modelType == testCase.model_type)
        // BertModel has a pooler by default; DebertaV2Model never has one.
        let presences: Set<ExpectedTensor.Presence> = testCase.model_type == "bert" ? [.required, .optional] : [.required]
        var listed: [String: [Int]] = [:]
        for tensor in schema.tensors where presences.contains(tensor.presence) && tensor.kind != .buffer {
            listed[tensor.name] = tensor.shape.dims
        }
        #expect(listed.count == testCase.tensors.count)
        for (name, shape) in testCase.tensors.sorted(by: { $0.key < $1.key }) {
            #expect(listed[name] == shape, "\(name)")
        }
        for name in Set(listed.keys).subtracting(testCase.tensors.keys).sorted() {
            Issue.record("schema lists \(name), which transformers does not create")
        }
        #expect(schema.parameterCount(including: presences) == testCase.parameters)
        if let withoutPooler = testCase.parameters_without_pooler {
            #expect(schema.parameterCount() == withoutPooler)
        }
    }

    @Test("every role is listed once and finds its tensor")
    func rolesAreUnique() throws {
        for testCase in ModelFixtures.parameterCases {
            let schema = try ModelConfig(parsing: try testCase.configText()).schema
            #expect(Set(schema.tensors.map(\.role)).count == schema.tensors.count, "\(testCase.name)")
            #expect(Set(schema.tensors.map(\.name)).count == schema.tensors.count, "\(testCase.name)")
            for tensor in schema.tensors {
                #expect(schema.tensor(for: tensor.role) == tensor)
                #expect(schema.tensor(named: tensor.name) == tensor)
            }
        }
    }

    @Test("DeBERTa's position embeddings are tolerated when position_biased_input is false")
    func toleratedPositionEmbeddings() throws {
        let schema = try ModelConfig(contentsOf: Fixtures.path("SampleModels/configs/deberta-v3-xsmall/config.json")).schema
        let positions = try #require(schema.tensor(for: .positionEmbeddings))
        #expect(positions.presence == .tolerated && positions.shape == Shape([512, 384]))
        #expect(!positions.mustNotBeZero)
        #expect(schema.tensor(for: .relativeEmbeddings)?.shape == Shape([512, 384]))
        #expect(schema.tensor(for: .encoderLayerNorm(.weight))?.shape == Shape([384]))
        #expect(schema.tensor(for: .positionKey(layer: 0, .weight)) == nil)  // share_att_key
    }

    @Test("sizes at the caps give a schema without overflow")
    func hugeConfig() throws {
        let json = #"{"model_type": "deberta-v2", "vocab_size": 16777216, "hidden_size": 16777216, "num_attention_heads": 1, "intermediate_size": 16777216, "max_position_embeddings": 16777216, "num_hidden_layers": 1024, "relative_attention": true, "conv_kernel_size": 4096, "share_att_key": false, "pos_att_type": "c2p|p2c"}"#
        let schema = try ModelConfig(parsing: json).schema
        #expect(schema.tensors.count > 1024 * 16)
        #expect(schema.parameterCount() > 0)
    }

    @Test("naming rules remove the task model's prefix and rewrite gamma and beta")
    func naming() {
        let bert = TensorNaming.rules(for: "bert")
        #expect(bert.canonical("bert.embeddings.word_embeddings.weight") == ("embeddings.word_embeddings.weight", "bert."))
        #expect(bert.canonical("encoder.layer.0.output.LayerNorm.gamma") == ("encoder.layer.0.output.LayerNorm.weight", ""))
        #expect(bert.canonical("bert.embeddings.LayerNorm.beta") == ("embeddings.LayerNorm.bias", "bert."))
        #expect(bert.canonical("deberta.embeddings.LayerNorm.weight").prefix == "")  // another architecture's prefix
        #expect(bert.canonical("bert.").name == "bert.")  // a prefix alone is a name, not a prefix
        #expect(bert.canonical("encoder.layer.0.output.dense.gamma").name == "encoder.layer.0.output.dense.gamma")
        #expect(bert.isHead("cls.predictions.bias") && bert.isHead("classifier.weight"))
        #expect(!bert.isHead("pooler.dense.weight"))
        let deberta = TensorNaming.rules(for: "deberta-v2")
        #expect(deberta.canonical("deberta.encoder.rel_embeddings.weight") == ("encoder.rel_embeddings.weight", "deberta."))
        #expect(deberta.isHead("lm_predictions.lm_head.bias") && deberta.isHead("mask_predictions.dense.weight"))
    }
}
