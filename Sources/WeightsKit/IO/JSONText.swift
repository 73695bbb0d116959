/// Writes compact JSON text the way serde_json does, byte for byte.
///
/// The safetensors reference serializes its header with serde_json, so escaping must
/// match it exactly for our files to be byte-identical: `"` and `\` are escaped,
/// control characters use `\n \r \t \b \f` or `\u00xx` (lowercase hex), and everything
/// else (including `/`, DEL and all non-ASCII) is written as raw UTF-8.
struct JSONText {
    private(set) var bytes: [UInt8] = []
    /// Where `flushIfFull` hands the text so far (`JSONValue.write(pretty:to:)`); nil keeps it all.
    var output: ((UnsafeRawBufferPointer) -> Void)?
    static let flushBytes = 1 << 20

    /// Hands the text so far to `output` once it passes `flushBytes`.
    mutating func flushIfFull() {
        guard let output, bytes.count >= JSONText.flushBytes else { return }
        bytes.withUnsafeBytes(output)
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            // Runs of bytes that need no escape are appended whole.
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        case 0x08: raw("\\b")
        case 0x0C: raw("\\f")
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }

    /// A line break and `level` two-space indents (pretty output).
    mutating func newline(indent level: Int) {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
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
