import Foundation
import Testing
@testable import EmbeddingCore

/// Finding and reading vocab.txt, tokenizer.json and tokenizer_config.json, and refusing
/// what would tokenize differently from `tokenizers`.
@Suite("WordPiece tokenizer loading")
struct TokenizerLoadingTests {
    static let special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    @Test("a model directory prefers tokenizer.json, whose truncation length is kept")
    func directoryWithTokenizerJSON() throws {
        let tokenizer = try WordPieceTokenizer(modelPath: TokenizerFixtures.minilmDirectory)
        #expect(tokenizer.maxLength == 128)
        #expect(tokenizer.vocabulary.count == 30522)
        #expect(tokenizer.vocabulary.idLimit == 30522)
        #expect(tokenizer.prefix.tokens == ["[CLS]"] && tokenizer.suffix.ids == [102])
    }

    @Test("any other file of a model directory stands for the directory")
    func fileInsideDirectory() throws {
        let tokenizer = try WordPieceTokenizer(modelPath: TokenizerFixtures.minilmDirectory + "/tokenizer_config.json")
        #expect(tokenizer.maxLength == 128)
    }

    @Test("a directory with only vocab.txt reads do_lower_case and the special tokens from tokenizer_config.json")
    func vocabularyWithConfiguration() throws {
        let scratch = TokenizerFixtures.Scratch()
        scratch.write("vocab.txt", (["<pad>", "<unk>", "<cls>", "<sep>", "[MASK]", "Hello", "hello"]).joined(separator: "\n"))
        scratch.write("tokenizer_config.json", #"{"do_lower_case": false, "unk_token": "<unk>", "cls_token": {"content": "<cls>", "__type": "AddedToken"}, "sep_token": "<sep>", "pad_token": "<pad>"}"#)
        let cased = try WordPieceTokenizer(modelPath: scratch.directory)
        #expect(cased.encode("Hello hello HELLO <sep>").tokens == ["<cls>", "Hello", "hello", "<unk>", "<sep>", "<sep>"])
        #expect(cased.normalizer == BertNormalizer(lowercase: false))

        try FileManager.default.removeItem(atPath: scratch.directory + "/tokenizer_config.json")
        #expect(throws: TokenizerError.missingToken(path: scratch.directory + "/vocab.txt", token: "[CLS]", role: "classifier")) {
            try WordPieceTokenizer(modelPath: scratch.directory)
        }
    }

    @Test("vocab.txt: id is the line number, CRLF and trailing whitespace trimmed, empty lines count, a repeat keeps its last id")
    func vocabularyLines() throws {
        let vocabulary = try Vocabulary.parseLines(Array("a\r\nb \n\nc\t\na\nlast".utf8), path: "vocab.txt")
        #expect(vocabulary.id(for: "a") == 4)
        #expect(vocabulary.id(for: "b") == 1)
        #expect(vocabulary.id(for: "") == 2)
        #expect(vocabulary.id(for: "c") == 3)
        #expect(vocabulary.id(for: "last") == 5)
        #expect(vocabulary.idLimit == 6)
        #expect(try Vocabulary.parseLines(Array("x\n".utf8), path: "v").count == 1)
        #expect(throws: TokenizerError.invalidFile(path: "v", reason: "vocabulary is not UTF-8")) {
            try Vocabulary.parseLines([0x61, 0xFF], path: "v")
        }
    }

    @Test("vocabulary keys compare by bytes, so canonically equivalent tokens keep their own ids")
    func canonicallyEquivalentTokens() {
        let vocabulary = Vocabulary(tokens: ["\u{E9}", "e\u{301}"])
        #expect(vocabulary.count == 2)
        #expect(vocabulary.id(for: "\u{E9}") == 0)
        #expect(vocabulary.id(for: "e\u{301}") == 1)
    }

    @Test("tokenizer.json: TemplateProcessing with several special tokens on each side")
    func templateProcessing() throws {
        let scratch = TokenizerFixtures.Scratch()
        let path = scratch.writeTokenizerJSON(vocab: Self.special + ["x"], postProcessor: """
            {"type": "TemplateProcessing",
             "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"SpecialToken": {"id": "[MASK]", "type_id": 0}},
                        {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
             "pair": [],
             "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                                "[MASK]": {"id": "[MASK]", "ids": [4], "tokens": ["[MASK]"]},
                                "[SEP]": {"id": "[SEP]", "ids": [3, 3], "tokens": ["[SEP]", "[SEP]"]}}}
            """)
        let tokenizer = try WordPieceTokenizer(tokenizerJSON: path)
        #expect(tokenizer.encode("x").ids == [2, 4, 5, 3, 3])
        #expect(tokenizer.maxLength == nil)
    }

    @Test("tokenizer.json without a post-processor adds no special tokens")
    func noPostProcessor() throws {
        let scratch = TokenizerFixtures.Scratch()
        let tokenizer = try WordPieceTokenizer(tokenizerJSON: scratch.writeTokenizerJSON(vocab: Self.special + ["x"], postProcessor: "null"))
        #expect(tokenizer.encode("x x").tokens == ["x", "x"])
    }

    @Test("a model with no WordPiece vocabulary says so", arguments: [
        ("SampleModels/tiny-deberta", nil),
        ("unigram", "Unigram"),
    ] as [(String, String?)])
    func noWordPieceVocabulary(_ model: String, _ found: String?) throws {
        var path = TokenizerFixtures.root.appendingPathComponent(model).path
        let scratch = TokenizerFixtures.Scratch()
        if found != nil {
            path = scratch.write("tokenizer.json", #"{"model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", -1.5]]}}"#)
        }
        #expect(throws: TokenizerError.noWordPieceVocabulary(path: path, found: found)) { try WordPieceTokenizer(modelPath: path) }
    }

    @Test("tokenizer.json components other than BERT's are refused, not ignored", arguments: [
        ("normalizer", #"{"type": "Sequence", "normalizers": []}"#, "Sequence"),
        ("pre_tokenizer", #"{"type": "Whitespace"}"#, "Whitespace"),
        ("post_processor", #"{"type": "RobertaProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]}"#, "RobertaProcessing"),
    ])
    func unsupportedComponents(_ component: String, _ json: String, _ type: String) throws {
        let scratch = TokenizerFixtures.Scratch()
        let path = switch component {
        case "normalizer": scratch.writeTokenizerJSON(vocab: Self.special, normalizer: json)
        case "pre_tokenizer": scratch.writeTokenizerJSON(vocab: Self.special, preTokenizer: json)
        default: scratch.writeTokenizerJSON(vocab: Self.special, postProcessor: json)
        }
        #expect(throws: TokenizerError.unsupported(path: path, component: component, value: type)) { try WordPieceTokenizer(tokenizerJSON: path) }
    }

    @Test("broken files fail with the file, the key path and the problem")
    func brokenFiles() throws {
        let scratch = TokenizerFixtures.Scratch()
        let badType = scratch.writeTokenizerJSON(vocab: Self.special, name: "a.json",
                                                 normalizer: #"{"type": "BertNormalizer", "lowercase": "yes"}"#)
        #expect(throws: TokenizerError.invalidFile(path: badType, reason: "normalizer.lowercase: expected true or false, found string")) {
            try WordPieceTokenizer(tokenizerJSON: badType)
        }
        let noUnknown = scratch.writeTokenizerJSON(vocab: ["[CLS]", "[SEP]"], name: "b.json")
        #expect(throws: TokenizerError.missingToken(path: noUnknown, token: "[UNK]", role: "unknown")) {
            try WordPieceTokenizer(tokenizerJSON: noUnknown)
        }
        let truncated = scratch.write("c.json", #"{"model": {"type": "WordPiece", "vocab": {"#)
        #expect(throws: TokenizerError.invalidFile(path: truncated, reason: "invalid JSON at byte 42: unterminated object")) {
            try WordPieceTokenizer(tokenizerJSON: truncated)
        }
        let negative = scratch.write("d.json", #"{"model": {"type": "WordPiece", "vocab": {"a": -1}}}"#)
        #expect(throws: TokenizerError.invalidFile(path: negative, reason: #"model.vocab["a"]: expected a non-negative integer id"#)) {
            try WordPieceTokenizer(tokenizerJSON: negative)
        }
        let missing = scratch.directory + "/none/vocab.txt"
        #expect(throws: TokenizerError.unreadable(path: missing, reason: "No such file or directory")) {
            try WordPieceTokenizer(vocabularyFile: missing)
        }
    }

    @Test("errors read as one line: path, rule, stable code")
    func errorDescriptions() {
        #expect("\(TokenizerError.noWordPieceVocabulary(path: "m", found: "Unigram"))"
            == "m: no WordPiece vocabulary (vocab.txt, or tokenizer.json with a WordPiece model); tokenizer.json has a Unigram model [no-wordpiece-vocabulary]")
        #expect("\(TokenizerError.missingToken(path: "v", token: "[CLS]", role: "classifier"))"
            == "v: the classifier token \"[CLS]\" is not in the vocabulary [missing-token]")
        #expect("\(TokenizerError.unsupported(path: "t", component: "normalizer", value: "NFC"))"
            == "t: normalizer \"NFC\" is not supported (supported: BERT's WordPiece pipeline) [unsupported-tokenizer]")
    }
}
