/// Why a model cannot be written as a GGUF file the way llama.cpp's converter would write
/// it. Each case names the file or tensor; `code` is a stable kebab-case name.
public enum GGUFConversionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Only the BERT family (`general.architecture = bert`) is written.
    case notBert(architecture: String)
    /// A target type GGUF conversion does not offer (int8 per row has no ggml type).
    case unsupportedTarget(String)
    /// A file the conversion needs (tokenizer.json) is absent.
    case missingFile(String)
    case unreadable(String, String)
    case invalidTokenizer(String, String)
    /// A BERT tensor the converter has no GGUF name for.
    case unmappedTensor(String)
    /// A tensor that is not floating-point (llama.cpp's converter writes floats only).
    case notFloatingPoint(tensor: String, dtype: String)
    /// The sentence-transformers pooling has no llama.cpp pooling type (mean, cls, last token only).
    case unsupportedPooling(String)

    public var code: String {
        switch self {
        case .notBert: "not-bert"
        case .unsupportedTarget: "unsupported-target"
        case .missingFile: "missing-file"
        case .unreadable: "unreadable"
        case .invalidTokenizer: "invalid-tokenizer"
        case .unmappedTensor: "unmapped-tensor"
        case .notFloatingPoint: "not-floating-point"
        case .unsupportedPooling: "unsupported-pooling"
        }
    }

    public var description: String {
        let rule: String
        switch self {
        case let .notBert(architecture):
            rule = "GGUF output is written for BERT models only (general.architecture = bert); this model is \(TerminalText.escaped(architecture))"
        case let .unsupportedTarget(target):
            rule = "GGUF has no \(target) type; use --dtype f32, f16, bf16 or q8_0"
        case let .missingFile(path): rule = "\(TerminalText.escaped(path)): no such file (GGUF output takes the vocabulary from it)"
        case let .unreadable(path, reason): rule = "\(TerminalText.escaped(path)): cannot read: \(reason)"
        case let .invalidTokenizer(path, reason): rule = "\(TerminalText.escaped(path)): \(reason)"
        case let .unmappedTensor(name): rule = "tensor \"\(TerminalText.escaped(name))\": no GGUF name for this BERT tensor"
        case let .notFloatingPoint(name, dtype): rule = "tensor \"\(TerminalText.escaped(name))\": \(dtype) is not a floating-point type"
        case let .unsupportedPooling(modes): rule = "pooling \(modes) has no llama.cpp pooling type (mean, cls or last token)"
        }
        return "\(rule) [\(code)]"
    }
}
