/// The config.json of a converted model folder: the source's, with what the conversion
/// changed, and nothing else (other members keep their bytes; see `JSONMemberEdit`).
///
/// | conversion                                   | config.json                                        |
/// |----------------------------------------------|----------------------------------------------------|
/// | `--dtype f32`, `f16`, `bf16`                 | `torch_dtype` (and `dtype`, if present) = float32, float16, bfloat16 |
/// | safetensors holding int8-per-row matrices    | `quantization_config` = compressed-tensors int8 (`CompressedTensors`) |
/// | anything else, from a compressed-tensors model | its `quantization_config` removed (the weights are no longer stored that way) |
/// | lossless, no int8                            | unchanged, byte for byte                           |
///
/// A `quantization_config` of another method (bitsandbytes, GPTQ…) is kept as it is.
public enum ConvertedConfig {
    /// The new text of config.json `text` for `conversion`, or nil when nothing changes
    /// (or `text` is not a JSON object, which is then copied as it is).
    public static func updated(_ text: [UInt8], for conversion: ModelConversion) -> [UInt8]? {
        var changes: [(key: String, change: JSONMemberEdit.Change)] = []
        if let dtype = conversion.policy?.target.dtype {
            let name: String = switch dtype {
            case .f16: "float16"
            case .bf16: "bfloat16"
            default: "float32"
            }
            let keys = present(["torch_dtype", "dtype"], in: text)
            for key in keys.isEmpty ? ["torch_dtype"] : keys { changes.append((key, .set(.string(name)))) }
        }
        if conversion.format == .safetensors && conversion.writesInt8 {
            let ignore = CompressedTensors.ignoredModules(conversion.outputTensors)
            changes.append((CompressedTensors.configKey, .set(CompressedTensors.quantizationConfig(ignore: ignore))))
        } else if hasCompressedTensorsConfig(text) {
            changes.append((CompressedTensors.configKey, .remove))
        }
        guard !changes.isEmpty else { return nil }
        return JSONMemberEdit.apply(changes, to: text)
    }

    /// The keys of `keys` that are top-level members of `text`.
    private static func present(_ keys: [String], in text: [UInt8]) -> [String] {
        guard let document = try? text.withUnsafeBytes({ raw throws(StrictJSON.ParseError) in try StrictJSON.parse(raw, duplicateKeys: .lastWins) }) else {
            return []
        }
        return keys.filter { document.root.member($0) != nil }
    }

    private static func hasCompressedTensorsConfig(_ text: [UInt8]) -> Bool {
        guard let document = try? text.withUnsafeBytes({ raw throws(StrictJSON.ParseError) in try StrictJSON.parse(raw, duplicateKeys: .lastWins) }) else {
            return false
        }
        return document.root.member(CompressedTensors.configKey)?.member("quant_method")?.string == CompressedTensors.method
    }
}
