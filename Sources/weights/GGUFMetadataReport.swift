import WeightsKit

/// How `inspect` shows a GGUF file's typed metadata: one line per key in the text summary
/// (long arrays summarised: their count and first few elements), every value exact in `--json`.
enum GGUFMetadataReport {
    /// Elements of an array the text summary shows.
    static let shownElements = 5

    /// "version 3, alignment 32, data at byte 800".
    static func summary(_ file: GGUFFile) -> String {
        "version \(file.version), alignment \(file.alignment), data at byte \(Output.grouped(file.header.dataOffset))"
    }

    static func text(_ file: GGUFFile) -> String {
        var out = "metadata    \(file.ggufMetadata.count) keys\n"
        for entry in file.ggufMetadata {
            out += "  \(Output.escaped(entry.key)) = \(short(entry.value))\n"
        }
        return out
    }

    /// A value on one line: strings quoted and escaped, arrays as "[N × TYPE] first, … (M more)".
    static func short(_ value: GGUFMetadataValue) -> String {
        switch value {
        case let .array(values):
            let shown = values.prefix(shownElements).map(short).joined(separator: ", ")
            let more = values.count > shownElements ? ", … (\(Output.grouped(values.count - shownElements)) more)" : ""
            return "[\(Output.grouped(values.count)) × \(values.elementType.name)] \(shown)\(more)"
        case let .string(bytes):
            guard let text = value.text else { return "<\(bytes.count) bytes, not UTF-8>" }
            return "\"" + Output.escaped(text.count > 80 ? String(text.prefix(80)) + "…" : text) + "\""
        default:
            return scalarText(value)
        }
    }

    private static func scalarText(_ value: GGUFMetadataValue) -> String {
        switch value {
        case let .bool(v): v ? "true" : "false"
        case let .float32(v): "\(v)"
        case let .float64(v): "\(v)"
        case let .uint64(v): String(v)
        case let .int64(v): String(v)
        default: value.integer.map(String.init) ?? "?"
        }
    }

    /// Every pair, in file order: {"key", "type", "value"}; arrays add "element", their
    /// elements made as they are rendered (a long array costs no value per element).
    static func json(_ file: GGUFFile) -> JSONValue {
        let metadata = file.ggufMetadata
        return .object([
            "version": .int(Int(file.version)),
            "alignment": .int(file.alignment),
            "data_offset": .int(file.header.dataOffset),
            // Made as rendered, as arrays are: a file may hold a million keys.
            "metadata": .elements(JSONElements(count: metadata.count) { position in
                var object = typed(metadata[position].value)
                object["key"] = .string(metadata[position].key)
                return .object(object)
            }),
        ])
    }

    private static func typed(_ value: GGUFMetadataValue) -> [String: JSONValue] {
        var object: [String: JSONValue] = ["type": .string(value.type.name), "value": bare(value)]
        if case let .array(values) = value { object["element"] = .string(values.elementType.name) }
        return object
    }

    /// The value alone: numbers exact (u64/i64 beyond 2^53 as strings), strings as text or,
    /// when not UTF-8, as {"bytes": [...]}; nested arrays typed.
    private static func bare(_ value: GGUFMetadataValue) -> JSONValue {
        switch value {
        case let .array(values):
            .elements(JSONElements(count: values.count) { values.elementType == .array ? .object(typed(values[$0])) : bare(values[$0]) })
        case let .string(bytes): value.text.map(JSONValue.string) ?? .object(["bytes": .array(bytes.map { .int(Int($0)) })])
        case let .bool(v): .bool(v)
        case let .float32(v): v.isFinite ? .double(Double(v)) : .string("\(v)")
        case let .float64(v): v.isFinite ? .double(v) : .string("\(v)")
        case let .uint64(v): v < 1 << 53 ? .int(Int(v)) : .string(String(v))
        case let .int64(v): abs(v) < 1 << 53 ? .int(Int(v)) : .string(String(v))
        default: .int(value.integer ?? 0)
        }
    }
}
