/// The compressed-tensors convention for int8 weights, as transformers (with the
/// compressed-tensors package), vLLM and llm-compressor read and write it: config.json's
/// `quantization_config` says `quant_method: compressed-tensors`, `format:
/// naive-quantized`, and a config group of 8-bit symmetric int weights with strategy
/// `channel`; each quantized module `M` stores `M.weight` (I8, [rows, columns]) and
/// `M.weight_scale` ([rows, 1], the model's float type), and the weight is
/// `weight × weight_scale` row by row. That is exactly our int8-per-row pair
/// (`Int8Safetensors`: `<name>` + `<name>_scale`), so folders written either way read as
/// int8-per-row tensors.
///
/// Written (`quantizationConfig`): targets `Linear` and `Embedding` (both kinds of module
/// whose weights the default policy quantizes), and `ignore` lists every module whose
/// two-dimensional `.weight` stayed floating point (position and token-type embeddings,
/// small or `--keep` matrices), so compressed-tensors looks for scales only where there
/// are some.
///
/// Read (`scheme(ofConfig:)`): a config whose every group is weight-only, 8-bit,
/// symmetric, int, channel-wise, naive-quantized (or with format absent), status
/// `compressed`; anything else (groups, asymmetric zero points, activation quantization,
/// sparsity, transforms) is not folded and a warning says why.
public enum CompressedTensors {
    static let configKey = "quantization_config"
    static let method = "compressed-tensors"
    static let format = "naive-quantized"

    /// What a config.json says about compressed-tensors weights.
    enum Scheme: Equatable {
        /// No compressed-tensors quantization_config (or weights not stored compressed).
        case none
        /// Int8 channel-wise weight pairs: fold them.
        case int8PerChannel
        /// A compressed-tensors scheme this reader does not fold, and why.
        case unsupported(String)
    }

    /// The `quantization_config` for a model whose int8-per-row matrices are written as
    /// compressed-tensors pairs, with `ignore` the modules left in floating point.
    package static func quantizationConfig(ignore: [String]) -> JSONValue {
        .object([
            "quant_method": .string(method),
            "format": .string(format),
            "quantization_status": .string("compressed"),
            "config_groups": .object([
                "group_0": .object([
                    "targets": .array([.string("Linear"), .string("Embedding")]),
                    "weights": .object([
                        "num_bits": .int(8),
                        "type": .string("int"),
                        "symmetric": .bool(true),
                        "strategy": .string("channel"),
                        "dynamic": .bool(false),
                    ]),
                    "input_activations": .null,
                    "output_activations": .null,
                    "format": .string(format),
                ]),
            ]),
            "ignore": .array(ignore.map(JSONValue.string)),
        ])
    }

    /// The modules to list in `ignore`: each two-dimensional tensor named `M.weight`
    /// that is not int8 per row in the output gives `M`.
    package static func ignoredModules(_ outputs: [(name: String, rank: Int, isInt8: Bool)]) -> [String] {
        outputs.filter { $0.rank == 2 && !$0.isInt8 && $0.name.hasByteSuffix(".weight") }
            .map { String($0.name.dropLast(".weight".count)) }
    }

    /// Reads the scheme from config.json's text (nil text: no config).
    static func scheme(ofConfig text: [UInt8]?) -> Scheme {
        guard let text else { return .none }
        let document: StrictJSON
        do { document = try text.withUnsafeBytes { raw throws(StrictJSON.ParseError) in try StrictJSON.parse(raw, duplicateKeys: .lastWins) } } catch {
            return .none
        }
        guard let config = document.root.member(configKey), config.kind == .object,
              config.member("quant_method")?.string == method else { return .none }
        if let status = config.member("quantization_status")?.string, status != "compressed" { return .none }
        if let topFormat = config.member("format")?.string, topFormat != format {
            return .unsupported("format \"\(topFormat)\" (only \(format) int8 is read)")
        }
        for key in ["sparsity_config", "transform_config"] {
            if let value = config.member(key), value.count > 0 { return .unsupported("a non-empty \(key)") }
        }
        guard let groups = config.member("config_groups"), groups.kind == .object, groups.count > 0 else {
            return .unsupported("no config_groups")
        }
        for (name, group) in groups.members {
            if let reason = unsupportedReason(group) { return .unsupported("config group \"\(name)\": \(reason)") }
        }
        return .int8PerChannel
    }

    private static func unsupportedReason(_ group: StrictJSON.Value) -> String? {
        if let groupFormat = group.member("format")?.string, groupFormat != format { return "format \"\(groupFormat)\"" }
        for key in ["input_activations", "output_activations"] {
            if let value = group.member(key), value.kind != .null { return "quantizes \(key) (only weight-only int8 is read)" }
        }
        guard let weights = group.member("weights"), weights.kind == .object else { return "no weights scheme" }
        if weights.member("num_bits")?.integer != 8 { return "weights are not 8-bit" }
        if let type = weights.member("type")?.string, type != "int" { return "weights of type \"\(type)\"" }
        if weights.member("symmetric")?.bool == false { return "asymmetric weights (zero points)" }
        if weights.member("strategy")?.string != "channel" { return "strategy is not \"channel\"" }
        if weights.member("dynamic")?.bool == true { return "dynamic weights" }
        return nil
    }
}
