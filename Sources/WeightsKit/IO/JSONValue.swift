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
    /// An array whose elements are made one at a time as it is rendered (and dropped
    /// after), rendered as `.array` is: a ten-million-element array read from a file costs
    /// no value per element, and with `write(pretty:to:)` no text beyond a buffer.
    case elements(JSONElements)

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

    /// Renders as `rendered(pretty:)` does, handing the text to `output` in pieces of about
    /// 1 MiB as it goes, so a large report never lies whole in memory as text.
    package func write(pretty: Bool = true, to output: (UnsafeRawBufferPointer) -> Void) {
        withoutActuallyEscaping(output) { output in
            var text = JSONText()
            text.output = output
            render(into: &text, indent: pretty ? 0 : nil)
            text.bytes.withUnsafeBytes(output)
        }
    }

    private func render(into text: inout JSONText, indent: Int?) {
        switch self {
        case .null: text.raw("null")
        case let .bool(value): text.raw(value ? "true" : "false")
        case let .int(value): text.integer(value)
        case let .double(value):
            if value.isFinite { text.raw(value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)") } else { text.raw("null") }
        case let .string(value): text.string(value)
        case let .array(values):
            JSONValue.render(count: values.count, { values[$0] }, into: &text, indent: indent)
        case let .elements(values):
            JSONValue.render(count: values.count, values.element, into: &text, indent: indent)
        case let .object(members):
            JSONValue.render(members.map { (ExactName($0.key), $0.value) }, into: &text, indent: indent)
        case let .namedObject(members):
            JSONValue.render(members.map { ($0.key, $0.value) }, into: &text, indent: indent)
        }
    }

    /// `count` elements, each made by `element` as it is reached.
    private static func render(count: Int, _ element: (Int) -> JSONValue, into text: inout JSONText, indent: Int?) {
        let level = indent ?? 0
        if count == 0 { text.raw("[]"); return }
        text.raw("[")
        for position in 0..<count {
            if position > 0 { text.raw(",") }
            if indent != nil { text.newline(indent: level + 1) }
            element(position).render(into: &text, indent: indent.map { _ in level + 1 })
            text.flushIfFull()
        }
        if indent != nil { text.newline(indent: level) }
        text.raw("]")
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
            text.flushIfFull()
        }
        if indent != nil { text.newline(indent: level) }
        text.raw("}")
    }
}

/// The elements of a `JSONValue.elements` array: how many, and how to make each.
package struct JSONElements: Sendable, Equatable {
    package let count: Int
    let element: @Sendable (Int) -> JSONValue

    package init(count: Int, element: @escaping @Sendable (Int) -> JSONValue) {
        self.count = count
        self.element = element
    }

    /// Equal when they make equal elements (every one is made: meant for tests).
    package static func == (left: JSONElements, right: JSONElements) -> Bool {
        left.count == right.count && (0..<left.count).allSatisfy { left.element($0) == right.element($0) }
    }
}
