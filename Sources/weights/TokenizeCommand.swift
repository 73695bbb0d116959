import ArgumentParser
import EmbeddingCore
import WeightsKit

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Split text into a model's tokens and ids (BERT WordPiece or DeBERTa-v3 SentencePiece).",
        discussion: """
        MODEL is a model directory (or a file in one) holding spm.model,
        tokenizer.json or vocab.txt, or one of those files; the tokenizer is picked
        from them.

        With tokenizer.json (a WordPiece model) or vocab.txt, the tokens and ids are
        those of Hugging Face `tokenizers`: the text is cleaned, lowercased and
        stripped of accents as the model's settings say, split at whitespace and
        punctuation, cut into WordPiece tokens and wrapped in [CLS] ... [SEP].

        With spm.model (DeBERTa-v3), the ids are those of the `sentencepiece`
        library's encode (the model's normalization, unigram segmentation, byte
        fallback), wrapped in [CLS] ... [SEP] as DeBERTa-v3 does; special tokens typed
        in the text ([MASK]) keep their ids, from the model or tokenizer_config.json /
        added_tokens.json.

        Models with another tokenizer (BPE, or a Unigram tokenizer.json without
        spm.model) are not supported: tokenize with their own tokenizer and pass the
        ids to `weights embed --ids`.

        Text that starts with "-" goes after "--": weights tokenize MODEL -- "-1
        degrees".

        Exit status: 0 success, 1 no usable vocabulary, 64 usage error.

        Examples:
          weights tokenize all-MiniLM-L6-v2 "Hello world"
          weights tokenize all-MiniLM-L6-v2/vocab.txt "Crème brûlée" --json
          weights tokenize deberta-v3-xsmall "Hello [MASK] world"
        """
    )

    @Argument(help: "A model directory, its spm.model, tokenizer.json or vocab.txt, or ORG/NAME[@REVISION] in the Hugging Face cache.")
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
        let model = try ModelArgument.resolve(self.model)
        let tokenizer: any TextTokenizer
        do {
            tokenizer = try TokenizerLoader.load(modelPath: model)
        } catch let .noTokenizer(path, found) {
            throw Failure("\(path): no tokenizer (vocab.txt, tokenizer.json with a WordPiece model, or spm.model)"
                + (found.map { "; its tokenizer.json holds a \($0) model" } ?? "")
                + "; tokenize with the model's own tokenizer and pass the token IDs with --ids to `weights embed`")
        } catch {
            throw Failure(error)
        }
        let encoding = try reportingFailures { () throws in try tokenizer.budgetedEncode(text, maxLength: maxLength, addSpecialTokens: true) }
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
