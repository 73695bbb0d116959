/// The config.json a BERT GGUF file stands for, rebuilt from the hyper-parameters
/// llama.cpp's converter (convert_hf_to_gguf.py, `BertModel.set_gguf_parameters`) writes,
/// so that the file alone is a model (`ModelLocation.config(source:)` falls back to it
/// when no config.json lies beside the weights):
///
/// | config.json | GGUF key |
/// |-------------|----------|
/// | hidden_size | bert.embedding_length |
/// | num_hidden_layers | bert.block_count |
/// | num_attention_heads | bert.attention.head_count |
/// | intermediate_size | bert.feed_forward_length |
/// | max_position_embeddings | bert.context_length |
/// | layer_norm_eps | bert.attention.layer_norm_epsilon (F32, written as its shortest decimal) |
/// | type_vocab_size | tokenizer.ggml.token_type_count, else the rows of token_types.weight |
/// | vocab_size | the rows of token_embd.weight, else the length of tokenizer.ggml.tokens |
/// | pad_token_id | tokenizer.ggml.padding_token_id, when present |
/// | hidden_act | "gelu": llama.cpp's BERT graph uses GELU whatever the original said |
///
/// The five size keys are required: a missing or non-integer one is an error naming it, and
/// so is a value outside what the config allows (`ModelConfig`'s range checks: a size of 0, a
/// negative or NaN epsilon, heads that do not divide the width).
public enum GGUFModelConfig {
    /// The config.json text of `file`; nil when its architecture is not "bert".
    public static func text(of file: GGUFFile) throws(ModelConfigError) -> String? {
        guard file.value("general.architecture")?.text == "bert" else { return nil }
        let origin = "\(file.path): GGUF metadata"
        func integer(_ key: String) throws(ModelConfigError) -> Int {
            guard let value = file.value(key) else {
                throw .located(origin, .invalidField(key: key, expected: "an integer", actual: "no such key"))
            }
            guard let number = value.integer else {
                throw .located(origin, .invalidField(key: key, expected: "an integer", actual: value.type.name))
            }
            return number
        }
        // Each config field, and the metadata key it came from (for errors).
        var sources = [
            "hidden_size": "bert.embedding_length", "num_hidden_layers": "bert.block_count",
            "num_attention_heads": "bert.attention.head_count", "intermediate_size": "bert.feed_forward_length",
            "max_position_embeddings": "bert.context_length",
        ]
        var members: [String: JSONValue] = ["model_type": .string("bert"), "hidden_act": .string("gelu")]
        for (field, key) in sources { members[field] = .int(try integer(key)) }
        let epsilonKey = "bert.attention.layer_norm_epsilon"
        if let epsilon = file.value(epsilonKey) {
            guard let number = epsilon.number else {
                throw .located(origin, .invalidField(key: epsilonKey, expected: "a number", actual: epsilon.type.name))
            }
            // JSON has no spelling for NaN or infinity: refuse them here, by their key.
            guard number.isFinite else {
                throw .located(origin, .numberOutOfRange(key: epsilonKey, value: number, requirement: "a finite number above 0, within 32-bit float range"))
            }
            members["layer_norm_eps"] = .double(shortest(number, isFloat32: epsilon.type == .float32))
            sources["layer_norm_eps"] = epsilonKey
        }
        // Optional keys, but when present of the right type: a wrong one is not ignored.
        for key in ["tokenizer.ggml.token_type_count", "tokenizer.ggml.padding_token_id"] {
            if let value = file.value(key), value.integer == nil {
                throw .located(origin, .invalidField(key: key, expected: "an integer", actual: value.brief))
            }
        }
        if let types = file.value("tokenizer.ggml.token_type_count")?.integer {
            members["type_vocab_size"] = .int(types)
            sources["type_vocab_size"] = "tokenizer.ggml.token_type_count"
        } else if let types = rows(file, "token_types.weight") {
            members["type_vocab_size"] = .int(types)
            sources["type_vocab_size"] = "the rows of token_types.weight"
        }
        if let vocabulary = rows(file, "token_embd.weight") {
            members["vocab_size"] = .int(vocabulary)
            sources["vocab_size"] = "the rows of token_embd.weight"
        } else if let vocabulary = file.value("tokenizer.ggml.tokens")?.elements?.count {
            members["vocab_size"] = .int(vocabulary)
            sources["vocab_size"] = "the length of tokenizer.ggml.tokens"
        }
        if let pad = file.value("tokenizer.ggml.padding_token_id")?.integer {
            members["pad_token_id"] = .int(pad)
            sources["pad_token_id"] = "tokenizer.ggml.padding_token_id"
        }
        // Not part of config.json, but of the model the metadata describes: a pooling type
        // gguf-py does not define is an error here too, so `validate` reports it.
        _ = try file.poolingType()
        let text = JSONValue.object(members).rendered()
        // The config's range checks, with errors naming the metadata keys.
        do { _ = try ModelConfig(parsing: text) } catch { throw .located(origin, error.renamingFields { sources[$0] }) }
        return text
    }

    /// The leading dimension of tensor `name`, if the file has it.
    private static func rows(_ file: GGUFFile, _ name: String) -> Int? {
        guard let info = file.tensors.first(where: { $0.name.isByteEqual(to: name) }), info.shape.rank >= 1 else { return nil }
        return info.shape.dims[0]
    }

    /// An F32 value as the shortest decimal that reads back as it (1e-12, not
    /// 9.999999960041972e-13), so the config says what the original did.
    private static func shortest(_ value: Double, isFloat32: Bool) -> Double {
        guard isFloat32, let decimal = Double(String(describing: Float(value))) else { return value }
        return decimal
    }
}

/// How llama.cpp pools a GGUF model's token vectors into one (`{arch}.pooling_type`,
/// gguf-py's `PoolingType`).
public enum GGUFPoolingType: Int, Sendable, CaseIterable {
    case none = 0
    case mean = 1
    case cls = 2
    case last = 3
    /// A reranker's classification head, not an embedding.
    case rank = 4
}

extension GGUFFile {
    /// "bert.pooling_type": the key of `poolingType()`; nil without `general.architecture`.
    public var poolingTypeKey: String? { value("general.architecture")?.text.map { $0 + ".pooling_type" } }

    /// `{general.architecture}.pooling_type`: nil when absent; an error naming the key when
    /// it is not an integer or not one of gguf-py's five `PoolingType` values.
    public func poolingType() throws(ModelConfigError) -> GGUFPoolingType? {
        guard let key = poolingTypeKey, let value = value(key) else { return nil }
        let accepted = GGUFPoolingType.allCases.map { "\($0.rawValue) (\($0))" }.joined(separator: ", ")
        guard let number = value.integer, let type = GGUFPoolingType(rawValue: number) else {
            let actual = value.integer.map(String.init) ?? value.brief
            throw .located("\(path): GGUF metadata", .invalidField(key: key, expected: "one of \(accepted)", actual: actual))
        }
        return type
    }
}
