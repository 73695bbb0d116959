import Foundation
import Testing
import TestSupport
import WeightsKit
@testable import EmbeddingCore

/// `hidden_act` is parsed once with the config; the encoder resolves it at load.
@Suite("encoder activations")
struct EncoderActivationTests {
    static let sample = Repository.root.appendingPathComponent("SampleModels/tiny-deberta").path

    @Test("an activation transformers knows but the encoder does not run is refused at load, naming it")
    func unsupportedAtLoad() throws {
        let model = try ModelTensors.open(Self.sample)
        guard case var .debertaV2(config) = model.config else { Issue.record("not a DeBERTa sample"); return }
        #expect(config.hiddenAct == .gelu)
        #expect(throws: Never.self) { try DebertaV2Encoder(model: model, config: config) }
        config.hiddenAct = .geluNew
        #expect(throws: EncoderError.unsupported(tensor: "hidden_act", reason: "activation \"gelu_new\" is not implemented (gelu is)")) {
            try DebertaV2Encoder(model: model, config: config)
        }
        var bert = BertConfig()
        bert.hiddenAct = .relu
        #expect(throws: EncoderError.unsupported(tensor: "hidden_act", reason: "activation \"relu\" is not implemented (gelu is)")) {
            try Activation(bert.hiddenAct)
        }
    }
}
