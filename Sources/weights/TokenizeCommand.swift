import ArgumentParser
import EmbeddingCore
import WeightsKit

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Split text into a BERT model's WordPiece tokens and ids.",
        discussion: """
        MODEL is a model directory (or a file in one) holding tokenizer.json or vocab.txt,
        or one of those files. The tokens and ids are those of Hugging Face `tokenizers`:
        the text is cleaned, lowercased and stripped of accents as the model's settings say,
        split at whitespace and punctuation, cut into WordPiece tokens and wrapped in
        [CLS] ... [SEP]. Models without a WordPiece vocabulary (DeBERTa's SentencePiece
        models) are not supported: tokenize with their own tokenizer and pass the ids to
        `weights embed --ids`.

        Text that starts with "-" goes after "--": weights tokenize MODEL -- "-1 degrees".

        Exit status: 0 success, 1 no usable vocabulary, 64 usage error.

        Examples:
          weights tokenize all-MiniLM-L6-v2 "Hello world"
          weights tokenize all-MiniLM-L6-v2/vocab.txt "Crème brûlée" --json
        """
    )

    @Argument(help: "A model directory, or its tokenizer.json or vocab.txt.")
    var model: String

    @Argument(help: "The text to tokenize.")
    var text: String

    @Flag(help: "Print {\"ids\": [...], \"tokens\": [...]} instead of a table.")
    var json = false

    @Option(help: "Keep at most this many tokens, [CLS] and [SEP] included (the model's limit, e.g. 128 or 512).")
    var maxLength: Int?

    func validate() throws {
        if let maxLength, maxLength < 2 { throw ValidationError("--max-length \(maxLength): must leave room for [CLS] and [SEP] (at least 2)") }
    }

    func run() throws {
        let tokenizer: WordPieceTokenizer
        do {
            tokenizer = try WordPieceTokenizer(modelPath: model)
        } catch let .noWordPieceVocabulary(path, found) {
            throw Failure("\(path): no WordPiece vocabulary (vocab.txt, or tokenizer.json with a WordPiece model)"
                + (found.map { "; its tokenizer.json holds a \($0) model" } ?? "")
                + "; tokenize with the model's own tokenizer and pass the token IDs with --ids to `weights embed`")
        } catch {
            throw Failure(error)
        }
        let encoding = tokenizer.encode(text, maxLength: maxLength)
        if json {
            print(JSONValue.object([
                "tokens": .array(encoding.tokens.map(JSONValue.string)),
                "ids": .array(encoding.ids.map(JSONValue.int)),
            ]).rendered())
        } else {
            let rows = [["#", "ID", "TOKEN"]] + zip(encoding.tokens, encoding.ids).enumerated().map { [String($0.offset), String($0.element.1), Output.escaped($0.element.0)] }
            print(Output.table(rows, rightAligned: [0, 1]), terminator: "")
        }
    }
}
