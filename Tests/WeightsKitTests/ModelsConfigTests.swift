import Foundation
import Testing
@testable import WeightsKit

@Suite("Model configs")
struct ModelsConfigTests {
    @Test("all-MiniLM-L6-v2's config.json parses into a BertConfig with its values")
    func miniLMConfig() throws {
        let config = try ModelConfig(contentsOf: Fixtures.path("SampleModels/configs/all-MiniLM-L6-v2/config.json"))
        let bert = try #require(config.bert, "parsed as \(config.modelType)")
        #expect(bert.hiddenSize == 384 && bert.numHiddenLayers == 6 && bert.numAttentionHeads == 12)
        #expect(bert.intermediateSize == 1536 && bert.vocabSize == 30522 && bert.typeVocabSize == 2)
        #expect(bert.layerNormEps == 1e-12 && bert.hiddenAct == .gelu && bert.padTokenID == 0)
    }

    @Test("deberta-v3-xsmall's config.json parses, \"p2c|c2p\" becoming both position terms")
    func debertaV3Config() throws {
        let config = try ModelConfig(contentsOf: Fixtures.path("SampleModels/configs/deberta-v3-xsmall/config.json"))
        let deberta = try #require(config.debertaV2, "parsed as \(config.modelType)")
        #expect(deberta.hiddenSize == 384 && deberta.numHiddenLayers == 12 && deberta.numAttentionHeads == 6)
        #expect(deberta.posAttType == [.positionToContent, .contentToPosition])
        #expect(deberta.normRelEbd == .layerNorm && deberta.normalizesRelativeEmbeddings)
        #expect(deberta.relativeAttention && deberta.shareAttKey && !deberta.positionBiasedInput)
        #expect(deberta.relativePositionSpan == 512)  // max_relative_positions -1 → max_position_embeddings
        #expect(deberta.relativeEmbeddingRows == 512)  // 2 × position_buckets 256
        #expect(deberta.layerNormEps == 1e-7 && deberta.embeddingSize == 384 && deberta.attentionHeadSize == 64)
    }

    @Test("absent fields take the defaults of transformers' BertConfig and DebertaV2Config")
    func defaults() throws {
        #expect(try ModelConfig(parsing: #"{"model_type": "bert"}"#) == .bert(BertConfig()))
        #expect(try ModelConfig(parsing: #"{"model_type": "deberta-v2"}"#) == .debertaV2(DebertaV2Config()))
        let deberta = DebertaV2Config()
        #expect(deberta.hiddenSize == 1536 && deberta.numHiddenLayers == 24 && deberta.typeVocabSize == 0)
        #expect(!deberta.relativeAttention && deberta.positionBiasedInput && !deberta.shareAttKey)
        #expect(deberta.normRelEbd == RelativeEmbeddingNorm.none && deberta.posAttType.isEmpty && deberta.poolerHiddenSize == 1536)
        // Sizes that default to others follow the config's own hidden size.
        let small = try #require(try ModelConfig(parsing: #"{"model_type": "deberta-v2", "hidden_size": 64, "num_attention_heads": 4}"#).debertaV2)
        #expect(small.embeddingSize == 64 && small.attentionHeadSize == 16 && small.poolerHiddenSize == 64)
    }

    @Test("null pad_token_id and pos_att_type are accepted as transformers accepts them")
    func nulls() throws {
        let config = try #require(try ModelConfig(parsing: #"{"model_type": "deberta-v2", "pad_token_id": null, "pos_att_type": null}"#).debertaV2)
        #expect(config.padTokenID == nil && config.posAttType.isEmpty)
    }

    @Test("hidden_act, pos_att_type and norm_rel_ebd are read once into their types, as transformers reads them")
    func namedSettings() throws {
        // Any ACT2FN name is a valid config, whether or not an encoder here runs it.
        for name in ["gelu", "relu", "gelu_new", "gelu_pytorch_tanh", "silu", "tanh"] {
            let bert = try #require(try ModelConfig(parsing: #"{"model_type": "bert", "hidden_act": "\#(name)"}"#).bert)
            #expect(bert.hiddenAct.rawValue == name)
        }
        // pos_att_type: case and spaces do not matter, unknown entries ("p2p" of v1) are ignored.
        let deberta = try #require(try ModelConfig(parsing: #"{"model_type": "deberta-v2", "pos_att_type": " C2P | p2p ", "norm_rel_ebd": "Layer_Norm|none"}"#).debertaV2)
        #expect(deberta.posAttType == [.contentToPosition] && !deberta.posAttType.contains(.positionToContent))
        #expect(deberta.normRelEbd == .layerNorm)
        let other = try #require(try ModelConfig(parsing: #"{"model_type": "deberta-v2", "pos_att_type": ["p2c"], "norm_rel_ebd": "none"}"#).debertaV2)
        #expect(other.posAttType == [.positionToContent] && !other.normalizesRelativeEmbeddings)
    }

    static let rejected: [(json: String, mentions: String)] = [
        ("{}", "no model_type"),
        (#"{"model_type": "roberta"}"#, "model_type \"roberta\" is not supported (supported: bert, deberta-v2)"),
        (#"{"model_type": 3}"#, "model_type: expected a string, got number"),
        ("[]", "expected a JSON object, got array"),
        ("nul", "not valid JSON"),
        (#"{"model_type": "bert"} x"#, "not valid JSON"),
        (#"{"model_type": "bert", "hidden_size": "384"}"#, "hidden_size: expected an integer, got string \"384\""),
        (#"{"model_type": "bert", "hidden_size": 384.5}"#, "hidden_size: expected an integer, got number 384.5"),
        (#"{"model_type": "bert", "hidden_size": 0}"#, "hidden_size is 0, outside 1...16777216"),
        (#"{"model_type": "bert", "num_hidden_layers": -1}"#, "num_hidden_layers is -1"),
        (#"{"model_type": "bert", "num_hidden_layers": 1000000000}"#, "num_hidden_layers is 1000000000, outside 0...1024"),
        (#"{"model_type": "bert", "vocab_size": 99999999999999999999}"#, "vocab_size"),
        (#"{"model_type": "bert", "vocab_size": -9223372036854775808}"#, "vocab_size is -9223372036854775808"),
        (#"{"model_type": "bert", "hidden_size": 100, "num_attention_heads": 3}"#, "hidden_size 100 is not a multiple of num_attention_heads 3"),
        (#"{"model_type": "bert", "position_embedding_type": "relative_key"}"#, "position_embedding_type \"relative_key\" is not supported"),
        (#"{"model_type": "bert", "layer_norm_eps": "small"}"#, "layer_norm_eps: expected a number"),
        (#"{"model_type": "bert", "hidden_act": "swiglu"}"#, #"hidden_act: expected one of "gelu", "gelu_10", "gelu_fast", "gelu_new""#),
        (#"{"model_type": "bert", "hidden_act": "Gelu"}"#, #""relu6", "sigmoid", "silu", "sqrtsoftplus", "swish", "tanh", "prelu", "xielu", got string "Gelu""#),
        (#"{"model_type": "deberta-v2", "hidden_act": 1}"#, "hidden_act: expected a string, got number"),
        (#"{"model_type": "bert", "pad_token_id": 1.5}"#, "pad_token_id: expected an integer or null"),
        (#"{"model_type": "deberta-v2", "relative_attention": "yes"}"#, "relative_attention: expected true or false, got string \"yes\""),
        (#"{"model_type": "deberta-v2", "share_att_key": 1}"#, "share_att_key: expected true or false, got number 1"),
        (#"{"model_type": "deberta-v2", "pos_att_type": [1]}"#, "pos_att_type: expected a list of strings"),
        (#"{"model_type": "deberta-v2", "norm_rel_ebd": {}}"#, "norm_rel_ebd: expected a string or a list of strings, got object"),
        (#"{"model_type": "deberta-v2", "conv_kernel_size": 3, "conv_groups": 5}"#, "not a multiple of conv_groups 5"),
        (#"{"model_type": "deberta-v2", "max_relative_positions": 99999999999}"#, "max_relative_positions is 99999999999"),
    ]

    @Test("configs it cannot use are one-line errors naming the field", arguments: rejected)
    func rejects(_ json: String, _ mentions: String) {
        #expect {
            _ = try ModelConfig(parsing: json)
        } throws: { error in
            let text = "\(error)"
            return error is ModelConfigError && text.contains(mentions) && !text.contains("\n")
        }
    }

    @Test("a config larger than any real one is refused before parsing")
    func tooLarge() {
        let huge = #"{"model_type": "bert", "x": ""# + String(repeating: "a", count: ModelConfig.maximumBytes) + #""}"#
        #expect(throws: ModelConfigError.tooLarge(bytes: huge.utf8.count, limit: ModelConfig.maximumBytes)) { try ModelConfig(parsing: huge) }
    }

    @Test("the config is read from beside the weights, from a WeightPack file, or reported missing")
    func locating() throws {
        let directory = TemporaryDirectory()
        let sample = try ModelLoader.open(ModelFixtures.tinyDeberta)
        let beside = try ModelConfig.find(for: ModelFixtures.tinyDeberta + "/model.safetensors", source: sample)
        #expect(beside.modelType == "deberta-v2" && beside.hiddenSize == 32 && beside.layerCount == 2)

        let text = try String(contentsOfFile: ModelFixtures.tinyDeberta + "/config.json", encoding: .utf8)
        let pack = directory.file("model.wpk")
        try WeightPackWriter.write(sample.views().map(TensorPayload.init(copying:)), metadata: nil, config: text, to: pack, overwrite: false)
        let embedded = try ModelConfig.find(for: pack, source: try ModelLoader.open(pack))
        #expect(embedded == beside)

        let bare = directory.file("bare.wpk")
        try WeightPackWriter.write(sample.views().map(TensorPayload.init(copying:)), metadata: nil, config: nil, to: bare, overwrite: false)
        #expect(throws: ModelConfigError.notFound(directory: directory.path)) {
            try ModelConfig.find(for: bare, source: try ModelLoader.open(bare))
        }

        let broken = directory.file("broken.wpk")
        try WeightPackWriter.write(sample.views().map(TensorPayload.init(copying:)), metadata: nil, config: #"{"model_type": "gpt2"}"#, to: broken, overwrite: false)
        #expect {
            try ModelConfig.find(for: broken, source: try ModelLoader.open(broken))
        } throws: { "\($0)".hasPrefix("\(broken): embedded config: model_type \"gpt2\"") }
    }
}
