import Testing
@testable import WeightsKit

/// The strict reader behind safetensors headers and shard indexes, against RFC 8259.
@Suite("strict JSON reader")
struct StrictJSONTests {
    func parse(_ bytes: [UInt8]) -> Result<StrictJSON, StrictJSON.ParseError> {
        bytes.withUnsafeBytes { raw in Result { () throws(StrictJSON.ParseError) in try StrictJSON.parse(raw) } }
    }

    func parse(_ text: String) -> Result<StrictJSON, StrictJSON.ParseError> { parse(Array(text.utf8)) }

    func error(_ text: String) -> StrictJSON.ParseError? {
        if case let .failure(error) = parse(text) { return error }
        return nil
    }

    static let accepted: [String] = [
        "{}", "[]", "0", "-0", "1", "-1", "0.5", "-0.5e-3", "1E+2", "1e2", "true", "false", "null", "\"\"",
        " \t\r\n{ \"a\" : [ 1 , 2 ] } \n", "[[[]]]", "{\"a\":{\"a\":{}}}", "\"\\u0000\"", "\"\u{7f}\"",
        "\"\\uD83D\\uDE00\"", "\"/\\/\"", "[1,\"x\",null,true,{}]", "18446744073709551615", "123456789012345678901234567890",
    ]

    static let rejected: [(text: String, reason: String)] = [
        ("", "empty document"), ("  ", "expected a value"), ("{", "unterminated object"), ("[1,]", "expected a value"),
        ("{\"a\":1,}", "expected a string key"), ("[1 2]", "expected ',' or ']'"), ("{\"a\" 1}", "expected ':'"),
        ("{'a':1}", "expected a string key"), ("{a:1}", "expected a string key"), ("NaN", "expected a value"),
        ("Infinity", "expected a value"), ("-Infinity", "expected a digit"), ("01", "leading zero"), ("-01", "leading zero"),
        ("1.", "after the decimal point"), (".5", "expected a value"), ("+1", "expected a value"), ("1e", "exponent"),
        ("1e+", "exponent"), ("tru", "expected a value"), ("nul", "expected a value"), ("True", "expected a value"),
        ("{}{}", "after the value"), ("{} x", "after the value"), ("[1]/*c*/", "after the value"), ("// c\n{}", "expected a value"),
        ("\"abc", "unterminated string"), ("\"\\x\"", "invalid escape"), ("\"\\u12\"", "four hex digits"),
        ("\"\\u12g4\"", "four hex digits"), ("\"a\nb\"", "control character"), ("\"a\tb\"", "control character"),
        ("\"\\ud800\"", "lone high surrogate"), ("\"\\ud800x\"", "lone high surrogate"), ("\"\\udc00\"", "lone low surrogate"),
        ("\"\\ud800\\u0041\"", "not a low surrogate"), ("\"\\udc00\\ud800\"", "lone low surrogate"),
        ("\"\\ud800\\ud800\"", "not a low surrogate"), ("{\"a\":1,\"a\":2}", "appears twice"),
        ("{\"x\":{\"k\":1,\"k\":1}}", "appears twice"), ("\u{feff}{}", "expected a value"), ("{}\u{0}", "after the value"),
    ]

    @Test("accepts what RFC 8259 allows")
    func acceptsValid() {
        #expect(Self.accepted.count == 24)
        for text in Self.accepted {
            if case let .failure(error) = parse(text) { Issue.record("rejected \(text.debugDescription): \(error)") }
        }
    }

    @Test("rejects what RFC 8259 does not allow, or a key twice, saying why")
    func rejectsInvalid() {
        #expect(Self.rejected.count == 42)
        for (text, reason) in Self.rejected {
            guard let error = error(text) else { Issue.record("accepted \(text.debugDescription)"); continue }
            #expect(error.kind == .syntax, "\(text.debugDescription)")
            #expect(error.reason.contains(reason), "\(text.debugDescription): \(error)")
        }
    }

    @Test("ill-formed UTF-8 is its own error, found before any grammar error, with its offset")
    func invalidUTF8() {
        let cases: [(bytes: [UInt8], offset: Int)] = [
            ([0x22, 0xC0, 0xAF, 0x22], 1),              // overlong '/'
            ([0x22, 0xE0, 0x80, 0xAF, 0x22], 1),        // overlong 3-byte
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),        // UTF-8-encoded surrogate U+D800
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // above U+10FFFF
            ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], 1),  // invalid lead byte
            ([0x22, 0x61, 0xE6, 0x9D, 0x22], 2),        // cut 3-byte sequence
            ([0x22, 0x80, 0x22], 1),                    // stray continuation byte
            (Array("[\"abcdefghijkl".utf8) + [0xFF], 14), // after an ASCII run read 8 bytes at a time
            (Array("x".utf8) + [0xFF], 1),              // before the grammar error at byte 0
        ]
        for (bytes, offset) in cases {
            guard case let .failure(error) = parse(bytes) else { Issue.record("accepted \(bytes)"); continue }
            #expect(error.kind == .invalidUTF8, "\(bytes)")
            #expect(error.offset == offset, "\(bytes)")
        }
        // Four-byte and three-byte forms at their limits are fine.
        #expect((try? parse([0x22, 0xF4, 0x8F, 0xBF, 0xBF, 0xEF, 0xBF, 0xBF, 0xE0, 0xA0, 0x80, 0x22]).get()) != nil)
    }

    @Test("strings keep their exact bytes: escapes decoded, NUL included")
    func stringBytes() throws {
        let document = try parse(#""\"\\\/\b\f\n\r\t\u00e9\u00E9\ud83d\ude00\u0000é""#).get()
        let expected: [UInt8] = [0x22, 0x5C, 0x2F, 0x08, 0x0C, 0x0A, 0x0D, 0x09, 0xC3, 0xA9, 0xC3, 0xA9,
                                 0xF0, 0x9F, 0x98, 0x80, 0x00, 0xC3, 0xA9]
        #expect(document.root.bytes.map(Array.init) == expected)
        #expect(document.root.string.map { Array($0.utf8) } == expected)
    }

    @Test("keys with a NUL, or differing only by normalisation, are distinct keys")
    func exactKeys() throws {
        let document = try parse(#"{"a\u0000b":1,"a\u0000c":2,"a":3,"caf\u00e9":4,"cafe\u0301":5}"#).get()
        let members = document.root.members
        #expect(members.map { Array($0.key.utf8) } == [[0x61, 0, 0x62], [0x61, 0, 0x63], [0x61],
                                                        [0x63, 0x61, 0x66, 0xC3, 0xA9], [0x63, 0x61, 0x66, 0x65, 0xCC, 0x81]])
        #expect(members.map { $0.value.unsignedInteger } == [1, 2, 3, 4, 5])
        #expect(document.root.member("a\u{0}c")?.unsignedInteger == 2)
        #expect(document.root.member("cafe\u{301}")?.unsignedInteger == 5)
        #expect(document.root.member("caf\u{e9}")?.unsignedInteger == 4)
        #expect(document.root.member("a\u{0}") == nil)
    }

    @Test("a repeated key is found in large objects too, and names the key")
    func repeatedKeyInLargeObject() {
        let keys = (0..<5000).map { "\"layer.\($0).weight\":\($0)" }
        let unique = "{" + keys.joined(separator: ",") + "}"
        #expect((try? parse(unique).get())?.root.count == 5000)
        let repeated = "{" + (keys + ["\"layer.1234.weight\":0"]).joined(separator: ",") + "}"
        #expect(error(repeated)?.reason == "key \"layer.1234.weight\" appears twice in the object")
        // A key repeated with a NUL is shown escaped, on one line.
        #expect(error(#"{"a\u0000\n":1,"a\u0000\n":2}"#)?.reason == #"key "a\u0000\n" appears twice in the object"#)
    }

    @Test("integers are exact up to UInt64.max; other numbers are not integers")
    func numbers() throws {
        func value(_ text: String) throws -> StrictJSON.Value { try parse(text).get().root }
        #expect(try value("18446744073709551615").unsignedInteger == UInt64.max)
        #expect(try value("9007199254740993").unsignedInteger == 9_007_199_254_740_993)  // 2^53 + 1, not a double
        #expect(try value("18446744073709551616").unsignedInteger == nil)
        #expect(try value("18446744073709551616").isUnsignedIntegerBeyond64Bits)
        #expect(try value("-0").unsignedInteger == 0)
        #expect(try !value("-0").isNegativeInteger)
        #expect(try value("-5").isNegativeInteger)
        #expect(try value("-99999999999999999999").isNegativeInteger)
        #expect(try value("1.0").unsignedInteger == nil)
        #expect(try !value("1.0").isInteger)
        #expect(try !value("1e2").isInteger)
        #expect(try value("1e2").kind == .number)
    }

    @Test("signed integers that fit in Int; a fraction, an exponent or a wider integer is not one")
    func signedIntegers() throws {
        func value(_ text: String) throws -> StrictJSON.Value { try parse(text).get().root }
        #expect(try value("-12").integer == -12)
        #expect(try value("0").integer == 0)
        #expect(try value("-0").integer == 0)
        #expect(try value("9223372036854775807").integer == Int.max)
        #expect(try value("-9223372036854775808").integer == Int.min)
        #expect(try value("9223372036854775808").integer == nil)
        #expect(try value("-9223372036854775809").integer == nil)
        #expect(try value("18446744073709551616").integer == nil)
        #expect(try value("1.0").integer == nil)
        #expect(try value("1e2").integer == nil)
        #expect(try value("\"1\"").integer == nil)
    }

    @Test("with .lastWins a repeated key is kept: members lists every one, member finds the last")
    func lastWins() throws {
        let text = #"{"k":1,"x":{"j":5,"j":6},"k":2}"#
        // By default the document is refused; the inner object closes first, so its key is named.
        #expect(error(text)?.reason == "key \"j\" appears twice in the object")
        let document = try Array(text.utf8).withUnsafeBytes { raw in
            Result { () throws(StrictJSON.ParseError) in try StrictJSON.parse(raw, duplicateKeys: .lastWins) }
        }.get()
        let root = document.root
        #expect(root.members.map(\.key) == ["k", "x", "k"])
        #expect(root.members.map { $0.value.unsignedInteger } == [1, nil, 2])
        #expect(root.member("k")?.unsignedInteger == 2)
        #expect(root.member("x")?.member("j")?.unsignedInteger == 6)
        #expect(root.member("x")?.count == 2)
        #expect(root.member("y") == nil)
    }

    @Test("nesting is limited to 128 levels")
    func depth() {
        let ok = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect((try? parse(ok).get()) != nil)
        let deep = String(repeating: "[", count: 129) + String(repeating: "]", count: 129)
        #expect(error(deep)?.reason.contains("nesting deeper than 128") == true)
        // Far deeper input fails the same way, without exhausting the stack.
        #expect(error(String(repeating: "{\"a\":", count: 100_000))?.reason.contains("nesting") == true)
    }

    @Test("containers are walked past their children")
    func structure() throws {
        let root = try parse(#"{"a":[1,[2,{"b":3}],4],"c":{"d":[]},"e":"x"}"#).get().root
        #expect(root.members.map(\.key) == ["a", "c", "e"])
        #expect(root.member("a")?.elements.map(\.kindName) == ["number", "array", "number"])
        #expect(root.member("a")?.elements.last?.unsignedInteger == 4)
        #expect(root.member("c")?.member("d")?.count == 0)
        #expect(root.member("e")?.string == "x")
        #expect(root.member("a")?.elements[1].elements[1].member("b")?.unsignedInteger == 3)
    }
}
