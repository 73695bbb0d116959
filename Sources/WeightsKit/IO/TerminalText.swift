/// Text from a file made safe to print on a terminal: every character that could move the
/// cursor, start an escape sequence, break the line or reorder what follows becomes a
/// visible `\u{…}` escape, so a tensor named "a\nweights: error: …" stays on one line and
/// "\u{1B}[31m" cannot colour the screen. `--json` output does not use this: JSON escaping
/// keeps names exact there.
package enum TerminalText {
    /// `text` with C0 controls, DEL, C1 controls, U+2028/U+2029 and the bidirectional
    /// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) written as
    /// `\u{HEX}`, and backslash as `\\`, so the escaped form reads back unambiguously.
    package static func escaped(_ text: String) -> String {
        // Most names are printable ASCII without a backslash: one pass over the bytes.
        var isPlainASCII = true
        for byte in text.utf8 where byte < 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\\") {
            isPlainASCII = false
            break
        }
        if isPlainASCII { return text }
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if scalar == "\\" {
                result += "\\\\"
            } else if isUnsafe(scalar) {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\\" || isUnsafe(scalar)
    }

    /// Characters a terminal acts on instead of showing.
    package static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x2028, 0x2029: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
