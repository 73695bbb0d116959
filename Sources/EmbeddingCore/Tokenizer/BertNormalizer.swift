/// BERT's text normalization, step for step as `tokenizers`' BertNormalizer:
///
/// 1. clean_text: drop control/format/private-use characters, NUL and U+FFFD; map every
///    whitespace character (tab, newline, U+00A0, U+3000...) to a space;
/// 2. handle_chinese_chars: put spaces around each CJK ideograph, so each becomes a word;
/// 3. strip_accents (by default whenever lowercase is on): NFD, then drop nonspacing marks;
/// 4. lowercase, one scalar at a time (full mappings: "İ" → "i̇", no final-sigma rule).
///
/// Works on Unicode scalars, not Characters: `tokenizers` works on Rust chars, and a
/// grapheme cluster ("e\u{301}", a flag) must be free to split.
public struct BertNormalizer: Sendable, Equatable {
    var cleanText: Bool
    var handleChineseChars: Bool
    /// nil: strip accents exactly when lowercasing (the uncased BERT behavior).
    var stripAccents: Bool?
    var lowercase: Bool

    public init(cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseChars = handleChineseChars
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    public func normalize(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: normalize(Array(text.unicodeScalars)))
        return String(result)
    }

    func normalize(_ input: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(input.count)
        for scalar in input {
            if cleanText {
                if BertCharacters.isRemovedByCleanText(scalar) { continue }
                if BertCharacters.isCleanTextWhitespace(scalar) { scalars.append(" "); continue }
            }
            if handleChineseChars && BertCharacters.isChineseCharacter(scalar) {
                scalars.append(contentsOf: [" ", scalar, " "])
            } else {
                scalars.append(scalar)
            }
        }
        if stripAccents ?? lowercase {
            scalars = CanonicalDecomposition.decompose(scalars).filter { !BertCharacters.isNonspacingMark($0) }
        }
        if lowercase {
            scalars = Self.lowercased(scalars)
        }
        return scalars
    }

    private static func lowercased(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        for scalar in scalars {
            if scalar.value < 0x80 {
                result.append(("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar)
            } else if scalar.properties.changesWhenLowercased {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return result
    }
}
