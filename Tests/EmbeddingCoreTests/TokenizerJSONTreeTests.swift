import Testing
@testable import EmbeddingCore

/// The strict JSON reader behind tokenizer.json: exact keys, RFC 8259 only.
@Suite("JSON reader for tokenizer files")
struct TokenizerJSONTreeTests {
    private func parse(_ text: String) throws -> JSONTree { try JSONTree.parse(Array(text.utf8)) }

    @Test("reads every kind of value, escapes and surrogate pairs included")
    func values() throws {
        let tree = try parse(#" {"s": "a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "n": -12, "f": 1.5e-3, "t": true, "z": null, "a": [1, [], {}]} "#)
        guard case let .string(text)? = tree.member("s") else { Issue.record("no string"); return }
        #expect(text == "a\"\\/\u{8}\u{C}\n\r\té😀")
        #expect(tree.member("n")?.int == -12)
        #expect(tree.member("f")?.int == nil)
        #expect(tree.member("f")?.kindName == "number")
        #expect(tree.member("z")?.isNull == true)
        #expect(tree.member("missing") == nil)
        guard case let .array(elements)? = tree.member("a") else { Issue.record("no array"); return }
        #expect(elements.count == 3)
    }

    @Test("keeps canonically equivalent keys apart and the last of repeated keys")
    func exactKeys() throws {
        let tree = try parse(#"{"\u00e9": 1, "e\u0301": 2, "k": 3, "k": 4}"#)
        guard case let .object(members) = tree else { Issue.record("not an object"); return }
        #expect(members.count == 4)
        #expect(tree.member("\u{E9}")?.int == 1)
        #expect(tree.member("e\u{301}")?.int == 2)
        #expect(tree.member("k")?.int == 4)
    }

    @Test("rejects what RFC 8259 does not allow", arguments: [
        (#"{"a": 1,}"#, 8, "expected a member name"),
        ("[1,]", 3, "unexpected character"),
        ("01", 0, "leading zero in a number"),
        ("1.", 2, "expected a digit after '.'"),
        (#""\ud800""#, 7, "lone surrogate in \\u escape"),
        ("\"a\u{1}\"", 2, "control character in a string"),
        (#""\x""#, 3, "invalid escape"),
        ("{} {}", 3, "unexpected text after the JSON value"),
        (#"{"a" 1}"#, 5, "expected ':'"),
        ("'a'", 0, "unexpected character"),
        ("nul", 0, "unexpected character"),
        (#""abc"#, 4, "unterminated string"),
        ("", 0, "unexpected end of input"),
    ] as [(String, Int, String)])
    func rejects(_ text: String, _ offset: Int, _ reason: String) {
        #expect(throws: JSONTree.ParseError(offset: offset, reason: reason)) { try parse(text) }
    }

    @Test("rejects invalid UTF-8 and nesting past the depth limit")
    func limits() {
        #expect(throws: JSONTree.ParseError(offset: 0, reason: "not UTF-8")) { try JSONTree.parse([0x22, 0xC3, 0x22]) }
        let deep = String(repeating: "[", count: JSONTree.maximumDepth + 1) + String(repeating: "]", count: JSONTree.maximumDepth + 1)
        #expect(throws: JSONTree.ParseError(offset: JSONTree.maximumDepth, reason: "nested deeper than 256 levels")) { try parse(deep) }
        let fine = String(repeating: "[", count: JSONTree.maximumDepth) + String(repeating: "]", count: JSONTree.maximumDepth)
        #expect((try? parse(fine)) != nil)
    }
}
