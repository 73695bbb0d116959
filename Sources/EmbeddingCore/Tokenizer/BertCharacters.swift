/// How BERT's normalizer and pre-tokenizer classify one Unicode scalar, exactly as Hugging Face
/// `tokenizers` does. Classes whose Unicode data differs from Swift's come from
/// `BertUnicodeTables`; White_Space is stable enough to take from Swift.
enum BertCharacters {
    /// clean_text drops these: control, format and private-use characters, NUL and U+FFFD.
    static func isRemovedByCleanText(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return (value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D) || value == 0x7F }
        return contains(BertUnicodeTables.removedByCleanText, value)
    }

    /// clean_text maps these to a space: tab, newline, return and Unicode White_Space (Rust's
    /// `char::is_whitespace`). Controls among them (U+000B, U+0085...) were already removed.
    static func isCleanTextWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// BertPreTokenizer splits on Unicode White_Space (Rust's `char::is_whitespace`), which
    /// includes U+0085 and U+000B/U+000C when clean_text did not remove them.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x80 ? scalar == " " || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
    }

    /// BertPreTokenizer's punctuation, each one a token of its own.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 { return (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value) || (123...126).contains(value) }
        return contains(BertUnicodeTables.punctuation, value)
    }

    /// handle_chinese_chars puts spaces around these: the CJK Unified Ideographs blocks and
    /// their extensions and compatibility blocks, as BERT defines them. `tokenizers` writes
    /// the Extension D-E range as U+2B920 (BERT's original says U+2B820), so
    /// U+2B820...U+2B91F are not spaced; this copies `tokenizers`, the reference here.
    static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            true
        default:
            false
        }
    }

    /// strip_accents drops these after NFD.
    static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x300 && contains(BertUnicodeTables.nonspacingMarks, scalar.value)
    }

    /// NFD changes these (and only these) in `tokenizers`.
    static func isCanonicallyDecomposable(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0xC0 && contains(BertUnicodeTables.canonicallyDecomposable, scalar.value)
    }

    /// Binary search in sorted inclusive ranges stored flat as `[first, last, first, last, ...]`.
    static func contains(_ ranges: [UInt32], _ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count / 2
        while low < high {
            let middle = (low + high) / 2
            if ranges[2 * middle] <= value { low = middle + 1 } else { high = middle }
        }
        return low > 0 && value <= ranges[2 * (low - 1) + 1]
    }
}
