/// Why a tokenizer could not be loaded. Each case names the file; `code` is a stable
/// kebab-case name for scripts and tests.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model has neither vocab.txt nor a tokenizer.json with a WordPiece model (DeBERTa's
    /// SentencePiece models, for example); `found` says what the tokenizer.json holds, if any.
    case noWordPieceVocabulary(path: String, found: String?)
    /// The model has no tokenizer file this library reads (vocab.txt, tokenizer.json with a
    /// WordPiece model, spm.model); `found` says what the tokenizer.json holds, if any.
    case noTokenizer(path: String, found: String?)
    /// spm.model breaks a rule of the protobuf wire format or of sentencepiece's model.
    case sentencePiece(path: String, SentencePieceModelError)
    case unreadable(path: String, reason: String)
    case invalidFile(path: String, reason: String)
    /// A tokenizer.json component this tokenizer does not implement, so its output would differ.
    case unsupported(path: String, component: String, value: String)
    /// A token the configuration needs ([UNK], [CLS], ...) is not in the vocabulary.
    case missingToken(path: String, token: String, role: String)

    public var code: String {
        switch self {
        case .noWordPieceVocabulary: "no-wordpiece-vocabulary"
        case .noTokenizer: "no-tokenizer"
        case let .sentencePiece(_, error): error.code
        case .unreadable: "unreadable"
        case .invalidFile: "invalid-tokenizer-file"
        case .unsupported: "unsupported-tokenizer"
        case .missingToken: "missing-token"
        }
    }

    public var path: String {
        switch self {
        case let .noWordPieceVocabulary(path, _), let .noTokenizer(path, _), let .sentencePiece(path, _), let .unreadable(path, _), let .invalidFile(path, _),
             let .unsupported(path, _, _), let .missingToken(path, _, _):
            path
        }
    }

    public var description: String {
        let rule: String
        switch self {
        case let .noWordPieceVocabulary(_, found):
            rule = "no WordPiece vocabulary (vocab.txt, or tokenizer.json with a WordPiece model)"
                + (found.map { "; tokenizer.json has a \($0) model" } ?? "")
        case let .noTokenizer(_, found):
            rule = "no tokenizer (vocab.txt, tokenizer.json with a WordPiece model, or spm.model)"
                + (found.map { "; tokenizer.json has a \($0) model" } ?? "")
        case let .sentencePiece(_, error):
            return "\(path): \(error)"
        case let .unreadable(_, reason):
            rule = "cannot read: \(reason)"
        case let .invalidFile(_, reason):
            rule = reason
        case let .unsupported(_, component, value):
            rule = "\(component) \"\(value)\" is not supported (supported: BERT's WordPiece pipeline)"
        case let .missingToken(_, token, role):
            rule = "the \(role) token \"\(token)\" is not in the vocabulary"
        }
        return "\(path): \(rule) [\(code)]"
    }
}
