import Testing
@testable import EmbeddingCore

/// tokenizer.json through the strict reader: exact keys, RFC 8259 only, and a defect in the
/// file is an invalid-file error naming the byte.
@Suite("JSON syntax of tokenizer files")
struct TokenizerJSONSyntaxTests {
    private static let path = "model/tokenizer.json"
    /// `{"model": {"type": "WordPiece", "vocab": {`: 42 bytes, so a vocab key's quote is byte 42.
    static let vocabStart = #"{"model": {"type": "WordPiece", "vocab": {"#

    private func load(_ text: String) throws -> TokenizerJSON { try load(Array(text.utf8)) }
    private func load(_ bytes: [UInt8]) throws -> TokenizerJSON { try TokenizerJSON(bytes: bytes, path: Self.path) }

    private func invalidJSON(_ offset: Int, _ reason: String) -> TokenizerError {
        .invalidFile(path: Self.path, reason: "invalid JSON at byte \(offset): \(reason)")
    }

    @Test("reads escapes and surrogate pairs in keys, integers and nulls")
    func values() throws {
        let file = try load(Self.vocabStart + #"" a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00": 7, "[UNK]": 0}, "max_input_chars_per_word": -12}, "#
                            + #""normalizer": {"type": "BertNormalizer", "lowercase": null}, "pre_tokenizer": {"type": "BertPreTokenizer"}}"#)
        #expect(file.vocabulary.id(for: " a\"\\/\u{8}\u{C}\n\r\té😀") == 7)
        #expect(file.vocabulary.id(for: "[UNK]") == 0)
        #expect(file.maxInputCharsPerWord == -12)
        #expect(file.normalizer?.lowercase == true)
        #expect(throws: TokenizerError.invalidFile(path: Self.path, reason: "truncation.max_length: expected an integer, found number")) {
            try load(Self.vocabStart + #""a": 0}}, "pre_tokenizer": {"type": "BertPreTokenizer"}, "truncation": {"max_length": 1.5e-3}}"#)
        }
        #expect(throws: TokenizerError.invalidFile(path: Self.path, reason: "truncation.max_length: expected an integer, found number")) {
            try load(Self.vocabStart + #""a": 0}}, "pre_tokenizer": {"type": "BertPreTokenizer"}, "truncation": {"max_length": 9223372036854775808}}"#)
        }
        #expect(throws: TokenizerError.invalidFile(path: Self.path, reason: "normalizer.lowercase: expected true or false, found number")) {
            try load(Self.vocabStart + #""a": 0}}, "normalizer": {"type": "BertNormalizer", "lowercase": 1}}"#)
        }
        #expect(throws: TokenizerError.invalidFile(path: Self.path, reason: "model.type: expected a string, found boolean")) {
            try load(#"{"model": {"type": true}}"#)
        }
    }

    @Test("keeps canonically equivalent keys apart, and a repeated key keeps its last value")
    func exactKeys() throws {
        let file = try load(Self.vocabStart + #""\u00e9": 1, "e\u0301": 2, "k": 3, "k": 4, "[UNK]": 0}}, "#
                            + #""pre_tokenizer": {"type": "BertPreTokenizer"}}"#)
        #expect(file.vocabulary.id(for: "\u{E9}") == 1)
        #expect(file.vocabulary.id(for: "e\u{301}") == 2)
        #expect(file.vocabulary.id(for: "k") == 4)
        // Outside the vocabulary too: serde_json reads "type" twice and keeps the second.
        let retyped = try load(#"{"model": {"type": "Unigram", "vocab": {"a": 0}, "type": "WordPiece"}, "pre_tokenizer": {"type": "BertPreTokenizer"}}"#)
        #expect(retyped.vocabulary.id(for: "a") == 0)
        #expect(throws: TokenizerError.noWordPieceVocabulary(path: Self.path, found: "Unigram")) {
            try load(#"{"model": {"type": "WordPiece", "vocab": {"a": 0}, "type": "Unigram"}}"#)
        }
    }

    @Test("a file with what RFC 8259 does not allow fails naming the byte", arguments: [
        (#"{"a": 1,}"#, 8, "expected a string key, found '}'"),
        ("[1,]", 3, "expected a value, found ']'"),
        ("01", 1, "number with a leading zero"),
        ("1.", 2, "expected a digit after the decimal point"),
        (TokenizerJSONSyntaxTests.vocabStart + #""\ud800": 0}}}"#, 43, #"escaped lone high surrogate \ud800 in a string"#),
        (TokenizerJSONSyntaxTests.vocabStart + #""\udc00": 0}}}"#, 43, #"escaped lone low surrogate \udc00 in a string"#),
        (TokenizerJSONSyntaxTests.vocabStart + "\"a\u{1}\": 0}}}", 44, "control character byte 0x01 in a string (write it as an escape)"),
        (#""\x""#, 1, #"invalid escape \x in a string"#),
        ("{} {}", 3, "unexpected characters after the value"),
        (#"{"a" 1}"#, 5, "expected ':' after a key, found '1'"),
        ("'a'", 0, "expected a value, found '''"),
        ("nul", 0, "expected a value, found 'n'"),
        (#""abc"#, 0, "unterminated string"),
        ("", 0, "empty document"),
    ] as [(String, Int, String)])
    func rejects(_ text: String, _ offset: Int, _ reason: String) {
        #expect(throws: invalidJSON(offset, reason)) { try load(text) }
    }

    @Test("a file with invalid UTF-8 or nesting past the depth limit fails naming the byte")
    func limits() {
        #expect(throws: invalidJSON(1, "invalid UTF-8")) { try load([0x22, 0xC3, 0x22]) }
        #expect(throws: invalidJSON(44, "invalid UTF-8")) { try load(Array((Self.vocabStart + "\"a").utf8) + [0xFF] + Array("\": 0}}}".utf8)) }
        let deep = String(repeating: "[", count: 129) + String(repeating: "]", count: 129)
        #expect(throws: invalidJSON(128, "nesting deeper than 128 levels")) { try load(deep) }
        let fine = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect(throws: TokenizerError.invalidFile(path: Self.path, reason: "not a tokenizer.json: expected an object, found array")) { try load(fine) }
    }
}
