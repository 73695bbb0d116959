/// The names llama.cpp's converter (convert_hf_to_gguf.py, `BertModel`; gguf-py's
/// tensor_mapping.py) gives a Hugging Face BERT's tensors in a GGUF file with
/// `general.architecture = bert`, both ways. Layouts do not change: GGUF stores each
/// array as numpy holds it, its dims listed fastest first, so the row-major shape read
/// back is the Hugging Face shape.
///
/// The converter drops a leading "bert.", renames the old ".gamma"/".beta" to
/// ".weight"/".bias", and leaves out `embeddings.position_ids`, the pooler and the
/// pre-training heads (`cls.predictions`, `cls.seq_relationship`): those have no GGUF name.
public enum BertTensorNames {
    /// Hugging Face module → GGUF name, for tensors outside the layers.
    public static let embeddings: [(huggingFace: String, gguf: String)] = [
        ("embeddings.word_embeddings", "token_embd"),
        ("embeddings.position_embeddings", "position_embd"),
        ("embeddings.token_type_embeddings", "token_types"),
        ("embeddings.LayerNorm", "token_embd_norm"),
    ]

    /// Hugging Face module inside `encoder.layer.N.` → GGUF name inside `blk.N.`.
    public static let layer: [(huggingFace: String, gguf: String)] = [
        ("attention.self.query", "attn_q"),
        ("attention.self.key", "attn_k"),
        ("attention.self.value", "attn_v"),
        ("attention.output.dense", "attn_output"),
        ("attention.output.LayerNorm", "attn_output_norm"),
        ("intermediate.dense", "ffn_up"),
        ("output.dense", "ffn_down"),
        ("output.LayerNorm", "layer_output_norm"),
    ]

    /// The parameter suffixes both namings share.
    static let parameters = ["weight", "bias"]

    /// The GGUF name llama.cpp's converter writes for a Hugging Face BERT tensor; nil for
    /// tensors it leaves out or does not know.
    public static func ggufName(huggingFace name: String) -> String? {
        var name = name
        if name.hasBytePrefix("bert.") { name = String(name.utf8.dropFirst(5))! }
        if name.utf8.elementsEqual("embeddings.position_ids".utf8) { return nil }
        if let stem = name.byteSuffixRemoved(".gamma") { name = stem + ".weight" }
        if let stem = name.byteSuffixRemoved(".beta") { name = stem + ".bias" }
        guard let (module, parameter) = splitParameter(name) else { return nil }
        if let entry = embeddings.first(where: { $0.huggingFace.isByteEqual(to: module) }) {
            return "\(entry.gguf).\(parameter)"
        }
        guard let rest = module.byteSuffix(after: "encoder.layer."),
              let (index, inner) = splitIndex(rest),
              let entry = layer.first(where: { $0.huggingFace.isByteEqual(to: inner) }) else { return nil }
        return "blk.\(index).\(entry.gguf).\(parameter)"
    }

    /// The Hugging Face name (without a "bert." prefix, as `BertModel.save_pretrained`
    /// writes it) of a GGUF BERT tensor; nil for names outside the table.
    public static func huggingFaceName(gguf name: String) -> String? {
        guard let (module, parameter) = splitParameter(name) else { return nil }
        if let entry = embeddings.first(where: { $0.gguf.isByteEqual(to: module) }) {
            return "\(entry.huggingFace).\(parameter)"
        }
        guard let rest = module.byteSuffix(after: "blk."),
              let (index, inner) = splitIndex(rest),
              let entry = layer.first(where: { $0.gguf.isByteEqual(to: inner) }) else { return nil }
        return "encoder.layer.\(index).\(entry.huggingFace).\(parameter)"
    }

    /// "module.weight" → ("module", "weight") for the shared suffixes.
    private static func splitParameter(_ name: String) -> (String, String)? {
        for parameter in parameters {
            if let module = name.byteSuffixRemoved("." + parameter) { return (module, parameter) }
        }
        return nil
    }

    /// "12.rest" → (12, "rest"): a decimal layer index without sign or leading zeros.
    private static func splitIndex(_ text: String) -> (Int, String)? {
        let bytes = Array(text.utf8)
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")), dot > 0, dot <= 9,
              bytes[0] != UInt8(ascii: "0") || dot == 1,
              bytes[..<dot].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        let index = bytes[..<dot].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        guard let rest = String(validating: bytes[(dot + 1)...], as: UTF8.self) else { return nil }
        return (index, rest)
    }
}

extension String {
    /// The text without `suffix`, compared by bytes; nil when it does not end with it.
    fileprivate func byteSuffixRemoved(_ suffix: String) -> String? {
        let count = utf8.count, suffixCount = suffix.utf8.count
        guard count >= suffixCount, utf8.suffix(suffixCount).elementsEqual(suffix.utf8) else { return nil }
        return String(validating: utf8.prefix(count - suffixCount), as: UTF8.self)
    }

    /// The text after `prefix`, compared by bytes; nil when it does not start with it.
    fileprivate func byteSuffix(after prefix: String) -> String? {
        guard hasBytePrefix(prefix) else { return nil }
        return String(validating: utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
    }
}
