import Foundation
import Testing
@testable import EmbeddingCore

@Suite("SentencePiece tokenizer loading and the tokenizer a model folder picks")
struct SentencePieceLoadingTests {
    static let nfkc = SentencePieceFixtures.path("nfkc")
    static let expected = SentencePieceFixtures.corpus.models["nfkc"]!

    /// A folder with the nfkc model's spm.model and the given side files.
    private func folder(_ files: [String: String]) throws -> TokenizerFixtures.Scratch {
        let scratch = TokenizerFixtures.Scratch()
        try FileManager.default.copyItem(atPath: Self.nfkc + "/spm.model", toPath: scratch.directory + "/spm.model")
        for (name, contents) in files { scratch.write(name, contents) }
        return scratch
    }

    @Test("the loader picks SentencePiece for spm.model and WordPiece for tokenizer.json or vocab.txt")
    func picks() throws {
        #expect(try TokenizerLoader.load(modelPath: Self.nfkc) is SentencePieceTokenizer)
        #expect(try TokenizerLoader.load(modelPath: Self.nfkc + "/spm.model") is SentencePieceTokenizer)
        #expect(try TokenizerLoader.load(modelPath: Self.nfkc + "/tokenizer_config.json") is SentencePieceTokenizer)
        #expect(try TokenizerLoader.load(modelPath: TokenizerFixtures.minilmDirectory) is WordPieceTokenizer)
        #expect(try TokenizerLoader.load(modelPath: TokenizerFixtures.minilmVocabulary) is WordPieceTokenizer)
        let hello = try #require(SentencePieceFixtures.corpus.texts.firstIndex(of: "Hello world"))
        #expect(try TokenizerLoader.load(modelPath: Self.nfkc).encode("Hello world").ids == Self.expected.wrapped[hello])
        #expect(try TokenizerLoader.load(modelPath: TokenizerFixtures.minilmDirectory).encode("Hello world").ids == [101, 7592, 2088, 102])
    }

    @Test("a converted Unigram tokenizer.json beside spm.model is ignored; alone, it is refused by name")
    func unigramTokenizerJSON() throws {
        let unigram = #"{"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", -1.5]]}}"#
        let withModel = try folder(["tokenizer.json": unigram])
        #expect(try TokenizerLoader.load(modelPath: withModel.directory) is SentencePieceTokenizer)
        let alone = TokenizerFixtures.Scratch()
        let file = alone.write("tokenizer.json", unigram)
        #expect(throws: TokenizerError.noTokenizer(path: file, found: "Unigram")) { try TokenizerLoader.load(modelPath: alone.directory) }
        let empty = TokenizerFixtures.Scratch()
        #expect(throws: TokenizerError.noTokenizer(path: empty.directory, found: nil)) { try TokenizerLoader.load(modelPath: empty.directory) }
        #expect(throws: TokenizerError.noWordPieceVocabulary(path: Self.nfkc, found: "SentencePiece (spm.model)")) {
            try WordPieceTokenizer(modelPath: Self.nfkc)
        }
    }

    @Test("[MASK] takes its id from added_tokens.json, as deberta-v3's 128000")
    func addedTokensFile() throws {
        let scratch = try folder(["added_tokens.json": #"{"[MASK]": 128000}"#])
        let tokenizer = try SentencePieceTokenizer(modelPath: scratch.directory)
        let encoding = tokenizer.encode("a [MASK]")
        #expect(encoding.ids.first == 1 && encoding.ids.last == 2)
        #expect(encoding.ids.dropLast().last == 128000)
        #expect(encoding.tokens.dropLast().last == "[MASK]")
    }

    @Test("tokenizer_config.json renames special tokens and gives added ids")
    func configuration() throws {
        let scratch = try folder(["tokenizer_config.json": """
            {"mask_token": {"content": "<mask>", "lstrip": false}, "added_tokens_decoder": {"500": {"content": "<mask>", "special": true}}}
            """])
        let tokenizer = try SentencePieceTokenizer(modelPath: scratch.directory)
        #expect(tokenizer.encode("<mask>").ids == [1, 500, 2])
        #expect(tokenizer.encode("<mask>").tokens == ["[CLS]", "<mask>", "[SEP]"])
        // [MASK] is no longer special: the model encodes its characters.
        #expect(tokenizer.encode("[MASK]").ids.count > 3)
    }

    @Test("a broken spm.model or tokenizer_config.json fails naming the file and the rule")
    func brokenFiles() throws {
        let scratch = TokenizerFixtures.Scratch()
        let model = scratch.write("spm.model", "\u{0A}\u{05}\u{01}")
        #expect(throws: TokenizerError.sentencePiece(path: model, .lengthPastEnd(offset: 1, length: 5, remaining: 1))) {
            try TokenizerLoader.load(modelPath: scratch.directory)
        }
        let config = try folder(["tokenizer_config.json": #"{"mask_token": 7}"#])
        #expect(throws: TokenizerError.invalidFile(path: config.directory + "/tokenizer_config.json", reason: "mask_token: expected a string, found number")) {
            try SentencePieceTokenizer(modelPath: config.directory)
        }
    }
}
