/// A JSON value for machine-readable output (`--json`, reports), rendered with sorted
/// keys so the output is stable and diffable.
package indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    /// An object whose keys come from a file (tensor names, metadata keys): keyed by
    /// exact bytes, so keys that differ only by Unicode normalisation stay apart.
    case namedObject([ExactName: JSONValue])

    /// Non-finite doubles have no JSON spelling and render as null.
    package static func number(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .double(value)
    }

    /// Renders pretty-printed (two-space indent) or compact text.
    package func rendered(pretty: Bool = true) -> String {
        var text = JSONText()
        render(into: &text, indent: pretty ? 0 : nil)
        return text.text
    }

    private func render(into text: inout JSONText, indent: Int?) {
        let level = indent ?? 0
        switch self {
        case .null: text.raw("null")
        case let .bool(value): text.raw(value ? "true" : "false")
        case let .int(value): text.integer(value)
        case let .double(value):
            if value.isFinite { text.raw(value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)") } else { text.raw("null") }
        case let .string(value): text.string(value)
        case let .array(values):
            if values.isEmpty { text.raw("[]"); return }
            text.raw("[")
            for (position, value) in values.enumerated() {
                if position > 0 { text.raw(",") }
                if indent != nil { text.newline(indent: level + 1) }
                value.render(into: &text, indent: indent.map { _ in level + 1 })
            }
            if indent != nil { text.newline(indent: level) }
            text.raw("]")
        case let .object(members):
            JSONValue.render(members.map { (ExactName($0.key), $0.value) }, into: &text, indent: indent)
        case let .namedObject(members):
            JSONValue.render(members.map { ($0.key, $0.value) }, into: &text, indent: indent)
        }
    }

    /// Members sorted by the bytes of their keys.
    private static func render(_ members: [(key: ExactName, value: JSONValue)], into text: inout JSONText, indent: Int?) {
        let level = indent ?? 0
        if members.isEmpty { text.raw("{}"); return }
        text.raw("{")
        for (position, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
            if position > 0 { text.raw(",") }
            if indent != nil { text.newline(indent: level + 1) }
            text.string(member.key.text)
            text.raw(indent == nil ? ":" : ": ")
            member.value.render(into: &text, indent: indent.map { _ in level + 1 })
        }
        if indent != nil { text.newline(indent: level) }
        text.raw("}")
    }
}
