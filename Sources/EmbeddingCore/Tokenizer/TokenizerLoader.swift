import WeightsKit

/// Picks a model's tokenizer from its files (see `ModelLocation.tokenizer`): spm.model is
/// DeBERTa-v3's `SentencePieceTokenizer`; tokenizer.json with a WordPiece model, vocab.txt, or
/// a BERT GGUF file's own vocabulary is BERT's `WordPieceTokenizer`.
///
/// ```swift
/// let tokenizer = try TokenizerLoader.load(modelPath: "deberta-v3-xsmall")
/// tokenizer.encode("Hello world").ids
/// ```
public enum TokenizerLoader {
    /// `path` is a model directory, a tokenizer file (spm.model, tokenizer.json, vocab.txt, a .gguf)
    /// or another file of a model directory, which stands for the directory.
    public static func load(modelPath path: String) throws(TokenizerError) -> any TextTokenizer {
        guard Paths.exists(path) else { throw .unreadable(path: path, reason: "No such file or directory") }
        switch ModelLocation(path).tokenizer {
        case let .sentencePiece(file, configuration)?:
            return try SentencePieceTokenizer(modelFile: file, configuration: configuration)
        case let .tokenizerJSON(file)?:
            do { return try WordPieceTokenizer(tokenizerJSON: file) } catch let .noWordPieceVocabulary(_, found) {
                throw .noTokenizer(path: file, found: found)
            }
        case let .vocabulary(file, configuration)?:
            return try WordPieceTokenizer(vocabularyFile: file, configuration: configuration)
        case let .gguf(file)?:
            return try WordPieceTokenizer(gguf: file)
        case nil:
            throw .noTokenizer(path: path, found: nil)
        }
    }
}
