/// Edits to the top-level members of a JSON object (config.json), made on its text so
/// that everything not edited keeps its bytes: member order, spacing, and numbers as
/// written (`1e-12` stays `1e-12`).
///
/// A replaced member keeps its place; a new one goes last; a removed one takes its comma
/// with it. New values are rendered with two-space indentation at the member's depth, as
/// transformers writes config.json.
package struct JSONMemberEdit {
    package enum Change {
        case set(JSONValue)
        case remove
    }

    /// The document with `changes` applied, or nil when `text` is not a strict JSON
    /// object (config.json must be one).
    package static func apply(_ changes: [(key: String, change: Change)], to text: [UInt8]) -> [UInt8]? {
        let parsed: StrictJSON
        do { parsed = try text.withUnsafeBytes { raw throws(StrictJSON.ParseError) in try StrictJSON.parse(raw) } } catch { return nil }
        guard parsed.root.kind == .object, var spans = MemberSpans(text) else { return nil }
        var output = text
        // Apply from the end of the text backwards so earlier spans stay valid.
        var edits: [(range: Range<Int>, replacement: [UInt8])] = []
        var appended: [(String, JSONValue)] = []
        for (key, change) in changes {
            guard let index = spans.members.lastIndex(where: { $0.key == key }) else {
                if case let .set(value) = change { appended.append((key, value)) }
                continue
            }
            let member = spans.members[index]
            switch change {
            case let .set(value):
                edits.append((member.value, Array(render(value).utf8)))
            case .remove:
                // "key": value plus the comma before it (or after it, for the first member).
                let range: Range<Int>
                if index > 0 {
                    range = spans.members[index - 1].value.upperBound..<member.value.upperBound
                } else if spans.members.count > 1 {
                    range = member.keyStart..<spans.members[1].keyStart
                } else {
                    range = member.keyStart..<member.value.upperBound
                }
                edits.append((range, []))
                spans.members.remove(at: index)
            }
        }
        if !appended.isEmpty {
            var insertion: [UInt8] = []
            let hasMembers = !spans.members.isEmpty
            for (position, (key, value)) in appended.enumerated() {
                var json = JSONText()
                json.string(key)
                insertion += Array(((position == 0 && !hasMembers) ? "\n  " : ",\n  ").utf8) + json.bytes + Array(": ".utf8) + Array(render(value).utf8)
            }
            if !hasMembers { insertion += Array("\n".utf8) }
            let at = spans.members.last?.value.upperBound ?? spans.closingBrace
            edits.append((at..<at, insertion))
        }
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            output.replaceSubrange(edit.range, with: edit.replacement)
        }
        return output
    }

    /// `value` pretty-printed as a member of the top-level object (its inner lines
    /// indented one level).
    private static func render(_ value: JSONValue) -> String {
        value.rendered(pretty: true).split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n  ")
    }

    /// Byte ranges of the top-level members of a document already known to be valid JSON.
    private struct MemberSpans {
        struct Member {
            let key: String
            let keyStart: Int
            let value: Range<Int>
        }

        var members: [Member] = []
        var closingBrace = 0

        init?(_ text: [UInt8]) {
            var position = 0
            func skipSpace() {
                while position < text.count, JSONDocument.isWhitespace(text[position]) { position += 1 }
            }
            /// Past one string starting at `position` (a quote); returns its raw bytes.
            func skipString() -> ArraySlice<UInt8>? {
                guard position < text.count, text[position] == UInt8(ascii: "\"") else { return nil }
                let start = position + 1
                position += 1
                while position < text.count {
                    switch text[position] {
                    case UInt8(ascii: "\\"): position += 2
                    case UInt8(ascii: "\""):
                        position += 1
                        return text[start..<(position - 1)]
                    default: position += 1
                    }
                }
                return nil
            }
            func skipValue() -> Bool {
                guard position < text.count else { return false }
                switch text[position] {
                case UInt8(ascii: "\""):
                    return skipString() != nil
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    var depth = 0
                    while position < text.count {
                        let byte = text[position]
                        if byte == UInt8(ascii: "\"") {
                            guard skipString() != nil else { return false }
                            continue
                        }
                        if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
                        if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                            depth -= 1
                            if depth == 0 { position += 1; return true }
                        }
                        position += 1
                    }
                    return false
                default:
                    while position < text.count, !JSONDocument.isWhitespace(text[position]),
                          text[position] != UInt8(ascii: ","), text[position] != UInt8(ascii: "}") { position += 1 }
                    return true
                }
            }
            skipSpace()
            guard position < text.count, text[position] == UInt8(ascii: "{") else { return nil }
            position += 1
            while true {
                skipSpace()
                guard position < text.count else { return nil }
                if text[position] == UInt8(ascii: "}") { closingBrace = position; return }
                if text[position] == UInt8(ascii: ",") { position += 1; skipSpace() }
                let keyStart = position
                guard let keyBytes = skipString() else { return nil }
                skipSpace()
                guard position < text.count, text[position] == UInt8(ascii: ":") else { return nil }
                position += 1
                skipSpace()
                let valueStart = position
                guard skipValue() else { return nil }
                // A key written with escapes matches only its escaped spelling (config keys have none).
                members.append(Member(key: String(decoding: keyBytes, as: UTF8.self), keyStart: keyStart, value: valueStart..<position))
            }
        }
    }
}
