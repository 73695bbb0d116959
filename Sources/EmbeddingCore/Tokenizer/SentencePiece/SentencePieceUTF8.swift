/// sentencepiece's own UTF-8 rules (src/util.h, util.cc), which the normalizer and the lattice
/// follow instead of the standard library's, so that invalid input splits where it does there.
enum SentencePieceUTF8 {
    /// U+FFFD, written for each byte that does not start a valid character.
    static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// The character length a lead byte announces, from its top four bits (OneCharLen):
    /// 1 for 0x00–0xBF (continuation bytes included), 2 for 0xC0–0xDF, 3 for 0xE0–0xEF,
    /// 4 for 0xF0–0xFF.
    @inline(__always)
    static func announcedLength(_ lead: UInt8) -> Int {
        switch lead >> 4 {
        case 0xC, 0xD: 2
        case 0xE: 3
        case 0xF: 4
        default: 1
        }
    }

    /// The length of the valid character at `start`, or nil where sentencepiece's DecodeUTF8
    /// finds none (it then consumes one byte and writes U+FFFD). Overlong forms, surrogates and
    /// code points above U+10FFFF are invalid; a literal U+FFFD is valid.
    static func validLength(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        let length = end - start
        let b0 = UInt32(text[start])
        func trail(_ index: Int) -> Bool { text[start + index] & 0xC0 == 0x80 }
        func valid(_ c: UInt32) -> Bool { c < 0xD800 || (c >= 0xE000 && c <= 0x10FFFF) }
        if b0 < 0x80 { return 1 }
        if length >= 2 && b0 & 0xE0 == 0xC0 {
            let c = (b0 & 0x1F) << 6 | UInt32(text[start + 1] & 0x3F)
            if trail(1) && c >= 0x80 && valid(c) { return 2 }
        } else if length >= 3 && b0 & 0xF0 == 0xE0 {
            let c = (b0 & 0x0F) << 12 | UInt32(text[start + 1] & 0x3F) << 6 | UInt32(text[start + 2] & 0x3F)
            if trail(1) && trail(2) && c >= 0x800 && valid(c) { return 3 }
        } else if length >= 4 && b0 & 0xF8 == 0xF0 {
            let c = (b0 & 0x07) << 18 | UInt32(text[start + 1] & 0x3F) << 12 | UInt32(text[start + 2] & 0x3F) << 6 | UInt32(text[start + 3] & 0x3F)
            if trail(1) && trail(2) && trail(3) && c >= 0x10000 && valid(c) { return 4 }
        }
        return nil
    }
}
