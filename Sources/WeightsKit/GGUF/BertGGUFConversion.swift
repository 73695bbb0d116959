/// A BERT model planned as the GGUF file llama.cpp's convert_hf_to_gguf.py writes for it
/// (`BertModel`, `general.architecture = bert`), before any byte is written: the tensors
/// under their GGUF names, in the source's order, each with the type the converter picks,
/// and the metadata in the converter's order.
///
/// Types, as `ModelBase.prepare_tensors` picks them:
///
/// | tensor | f32 | f16 | bf16 | q8_0 |
/// | --- | --- | --- | --- | --- |
/// | 1-D (biases, LayerNorm), `*_norm.weight` | F32 | F32 | F32 | F32 |
/// | `position_embd`, `token_types`, names not ending in `.weight` | F32 | F32 | F32 | F32 |
/// | other matrices (`token_embd`, attention, FFN) | F32 | F16 | BF16 | Q8_0 (F16 when a row is not whole 32-value blocks) |
///
/// Tensors the converter leaves out are left out: `embeddings.position_ids`, the pooler and
/// the pre-training heads (`cls.*`); a leading "bert." is dropped.
public struct BertGGUFConversion {
    /// convert_hf_to_gguf's `--outtype`, with its `general.file_type` (LlamaFileType).
    public enum Target: String, Sendable, CaseIterable {
        case f32, f16, bf16, q8_0

        public var fileType: UInt32 {
            switch self {
            case .f32: 0
            case .f16: 1
            case .q8_0: 7
            case .bf16: 32
            }
        }

        var matrixType: GGMLType {
            switch self {
            case .f32: .f32
            case .f16: .f16
            case .bf16: .bf16
            case .q8_0: .q8_0
            }
        }
    }

    public let tensors: [GGUFWriter.Tensor]
    public let metadata: [GGUFMetadataEntry]
    /// Conversions whose progress a caller may follow (tensors that are not plain copies).
    public let conversions: [TensorConversion]

    /// Plans the file for the model folder `directory` (its config.json, tokenizer.json,
    /// README.md, modules.json) whose weights are `source`.
    public init(source: any TensorSource, directory: String, target: Target) throws(GGUFConversionError) {
        let location = ModelLocation(directory)
        let config: BertConfig
        do {
            switch try location.config(source: source) {
            case let .bert(bert): config = bert
            case .debertaV2: throw GGUFConversionError.notBert(architecture: "deberta-v2")
            }
        } catch let error as GGUFConversionError {
            throw error
        } catch {
            throw .unreadable(location.configFile, "\(error)")
        }

        var tensors: [GGUFWriter.Tensor] = []
        var conversions: [TensorConversion] = []
        for info in source.tensors {
            guard let name = BertTensorNames.ggufName(huggingFace: info.name) else {
                if Self.isLeftOut(info.name) { continue }
                throw .unmappedTensor(info.name)
            }
            guard info.dtype.isFloatingPoint else { throw .notFloatingPoint(tensor: info.name, dtype: info.dtype.rawValue) }
            guard let view = try? source.view(info.name) else { throw .unreadable(source.path(of: info.name) ?? directory, "tensor \"\(info.name)\"") }
            let type = Self.type(of: name, shape: info.shape, target: target)
            let payload: TensorPayload
            let copies = (info.encoding == .plain && type.plainDType == info.dtype) || (info.encoding == .q8_0 && type == .q8_0)
            if copies {
                let copy = TensorPayload(copying: view)
                payload = TensorPayload(name: name, dtype: copy.dtype, shape: copy.shape, encoding: copy.encoding, produce: copy.produce)
            } else {
                let path = source.path(of: info.name) ?? directory
                let conversion = type == .q8_0
                    ? TensorConversion(view: view, dtype: info.dtype, encoding: .q8_0, path: path)
                    : TensorConversion(view: view, dtype: type.plainDType ?? .f32, encoding: .plain, path: path)
                conversions.append(conversion)
                let converted = conversion.payloads(splitScales: false)[0]
                payload = TensorPayload(name: name, dtype: converted.dtype, shape: converted.shape, encoding: converted.encoding, produce: converted.produce)
            }
            guard let tensor = GGUFWriter.Tensor(payload) else { throw .notFloatingPoint(tensor: info.name, dtype: info.dtype.rawValue) }
            tensors.append(tensor)
        }
        self.tensors = tensors
        self.conversions = conversions

        let parameters = SaturatingCount(summing: tensors.lazy.map { $0.payload.shape.elementCount ?? 0 }).value
        let vocabulary = try BertGGUFVocabulary(directory: directory, vocabSize: config.vocabSize)
        var pooling: UInt32?
        do {
            if let folder = try location.sentenceTransformerConfig(), let first = folder.pooling.first {
                switch first {
                case .mean: pooling = 1
                case .cls: pooling = 2
                case .lastToken: pooling = 3
                default: throw GGUFConversionError.unsupportedPooling(first.rawValue)
                }
            }
        } catch let error as GGUFConversionError {
            throw error
        } catch {
            throw .unreadable(Paths.join(directory, "modules.json"), "\(error)")
        }
        metadata = Self.metadata(config: config, general: GGUFGeneralMetadata(directory: directory, totalParameters: parameters),
                                 target: target, pooling: pooling, vocabulary: vocabulary)
    }

    /// The converter's order: architecture, type, the general.* keys, the hyper-parameters,
    /// file type, causal flag, pooling, quantization version, then the vocabulary.
    static func metadata(config: BertConfig, general: GGUFGeneralMetadata, target: Target, pooling: UInt32?,
                         vocabulary: BertGGUFVocabulary) -> [GGUFMetadataEntry] {
        var out: [GGUFMetadataEntry] = [
            .init(key: "general.architecture", value: .text("bert")),
            .init(key: "general.type", value: .text("model")),
        ]
        out += general.entries
        out += [
            .init(key: "bert.block_count", value: .uint32(UInt32(config.numHiddenLayers))),
            .init(key: "bert.context_length", value: .uint32(UInt32(config.maxPositionEmbeddings))),
            .init(key: "bert.embedding_length", value: .uint32(UInt32(config.hiddenSize))),
            .init(key: "bert.feed_forward_length", value: .uint32(UInt32(config.intermediateSize))),
            .init(key: "bert.attention.head_count", value: .uint32(UInt32(config.numAttentionHeads))),
            .init(key: "bert.attention.layer_norm_epsilon", value: .float32(Float(config.layerNormEps))),
            .init(key: "general.file_type", value: .uint32(target.fileType)),
            .init(key: "bert.attention.causal", value: .bool(false)),
        ]
        if let pooling { out.append(.init(key: "bert.pooling_type", value: .uint32(pooling))) }
        out += [
            .init(key: "general.quantization_version", value: .uint32(2)),
            .init(key: "tokenizer.ggml.token_type_count", value: .uint32(UInt32(config.typeVocabSize))),
            .init(key: "tokenizer.ggml.model", value: .text("bert")),
            // The converter names the pre-tokenizer by hashing how its tokenizer splits a test
            // text; every WordPiece BERT vocabulary it knows hashes to "jina-v2-en".
            .init(key: "tokenizer.ggml.pre", value: .text("jina-v2-en")),
            .init(key: "tokenizer.ggml.tokens", value: .array(GGUFArray(strings: vocabulary.tokens))),
            .init(key: "tokenizer.ggml.token_type", value: .array(GGUFArray(int32: vocabulary.types.map(\.rawValue)))),
        ]
        let idKeys = ["bos": "bos_token_id", "eos": "eos_token_id", "unk": "unknown_token_id", "sep": "seperator_token_id",
                      "pad": "padding_token_id", "mask": "mask_token_id"]
        for (kind, id) in vocabulary.specialIDs {
            if let key = idKeys[kind] { out.append(.init(key: "tokenizer.ggml.\(key)", value: .uint32(UInt32(id)))) }
        }
        for (kind, value) in vocabulary.addFlags {
            out.append(.init(key: "tokenizer.ggml.add_\(kind)_token", value: .bool(value)))
        }
        if let lowercase = vocabulary.lowercase { out.append(.init(key: "tokenizer.ggml.normalizer.lowercase", value: .bool(lowercase))) }
        if let strip = vocabulary.stripAccents { out.append(.init(key: "tokenizer.ggml.normalizer.strip_accents", value: .bool(strip))) }
        return out
    }

    /// The type the converter gives tensor `name` (its GGUF name) at `target`.
    static func type(of name: String, shape: Shape, target: Target) -> GGMLType {
        if shape.rank <= 1 || name.hasByteSuffix("_norm.weight") { return .f32 }
        if name.isByteEqual(to: "position_embd.weight") || name.isByteEqual(to: "token_types.weight") || !name.hasByteSuffix(".weight") {
            return .f32
        }
        if target == .q8_0 && (shape.dims.last ?? 0) % GGMLType.q8_0.blockLength != 0 { return .f16 }
        return target.matrixType
    }

    /// Tensors `BertModel.filter_tensors` drops.
    static func isLeftOut(_ name: String) -> Bool {
        var name = name
        if name.hasBytePrefix("bert.") { name = String(name.utf8.dropFirst(5)) ?? name }
        return ["embeddings.position_ids", "pooler.dense.weight", "pooler.dense.bias"].contains(name)
            || name.hasBytePrefix("cls.predictions") || name.hasBytePrefix("cls.seq_relationship")
    }
}
