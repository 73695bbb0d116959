import Testing
@testable import WeightsKit

/// config.json edits keep every byte they do not change (ConvertedConfig relies on it).
@Suite("top-level JSON member edits")
struct JSONMemberEditTests {
    static func edit(_ text: String, _ changes: [(key: String, change: JSONMemberEdit.Change)]) -> String? {
        JSONMemberEdit.apply(changes, to: Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    static let config = "{\n  \"a\": 1e-12,\n  \"dtype\": \"float32\",\n  \"nested\": {\"x\": [1, \"}\", {\"y\": \"\\\"\"}]},\n  \"z\": true\n}\n"

    @Test("replacing a value keeps its place and every other byte")
    func replace() {
        #expect(Self.edit(Self.config, [("dtype", .set(.string("float16")))])
            == "{\n  \"a\": 1e-12,\n  \"dtype\": \"float16\",\n  \"nested\": {\"x\": [1, \"}\", {\"y\": \"\\\"\"}]},\n  \"z\": true\n}\n")
    }

    @Test("removing the first, a middle and the last member takes one comma with each")
    func remove() {
        #expect(Self.edit(Self.config, [("a", .remove)]) == "{\n  \"dtype\": \"float32\",\n  \"nested\": {\"x\": [1, \"}\", {\"y\": \"\\\"\"}]},\n  \"z\": true\n}\n")
        #expect(Self.edit(Self.config, [("nested", .remove)]) == "{\n  \"a\": 1e-12,\n  \"dtype\": \"float32\",\n  \"z\": true\n}\n")
        #expect(Self.edit(Self.config, [("z", .remove)]) == "{\n  \"a\": 1e-12,\n  \"dtype\": \"float32\",\n  \"nested\": {\"x\": [1, \"}\", {\"y\": \"\\\"\"}]}\n}\n")
        #expect(Self.edit("{\"only\": 1}", [("only", .remove)]) == "{}")
        #expect(Self.edit(Self.config, [("absent", .remove)]) == Self.config)
    }

    @Test("a new member goes last, indented at its depth; an empty object gets one")
    func append() {
        #expect(Self.edit("{\n  \"a\": 1\n}", [("q", .set(.object(["k": .array([.int(1)])])))])
            == "{\n  \"a\": 1,\n  \"q\": {\n    \"k\": [\n      1\n    ]\n  }\n}")
        #expect(Self.edit("{}", [("q", .set(.bool(true)))]) == "{\n  \"q\": true\n}")
    }

    @Test("text that is not one strict JSON object is refused")
    func refuses() {
        for text in ["[1]", "{\"a\": 1,}", "{\"a\": 1} x", "{\"a\": NaN}", "{\"a\": 1, \"a\": 2}"] {
            #expect(Self.edit(text, [("a", .remove)]) == nil, "\(text)")
        }
    }
}
