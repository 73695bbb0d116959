/// Writes compact JSON text the way serde_json does, byte for byte.
///
/// The safetensors reference serializes its header with serde_json, so escaping must
/// match it exactly for our files to be byte-identical: `"` and `\` are escaped,
/// control characters use `\n \r \t \b \f` or `\u00xx` (lowercase hex), and everything
/// else (including `/`, DEL and all non-ASCII) is written as raw UTF-8.
struct JSONText {
    private(set) var bytes: [UInt8] = []

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func integer<T: BinaryInteger>(_ value: T) {
        raw(String(value))
    }

    /// `[1,2,3]` with no spaces.
    mutating func integerArray(_ values: [Int]) {
        raw("[")
        for (index, value) in values.enumerated() {
            if index > 0 { raw(",") }
            integer(value)
        }
        raw("]")
    }

    /// `{"k":"v",...}` in the given order.
    mutating func stringObject(_ pairs: [(key: String, value: String)]) {
        raw("{")
        for (index, pair) in pairs.enumerated() {
            if index > 0 { raw(",") }
            string(pair.key)
            raw(":")
            string(pair.value)
        }
        raw("}")
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}
