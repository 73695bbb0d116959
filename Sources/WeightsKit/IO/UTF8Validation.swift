/// Well-formed UTF-8 as the Unicode standard defines it (Table 3-7): no overlong forms,
/// no surrogates (U+D800–U+DFFF), nothing above U+10FFFF, no cut sequences.
enum UTF8Validation {
    /// The offset of the first byte of the first ill-formed sequence, or nil when all of
    /// `bytes` is well formed. Runs of ASCII are checked eight bytes at a time.
    static func firstInvalidOffset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let count = bytes.count
        var position = 0
        while position < count {
            while position <= count - 8,
                  bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                position += 8
            }
            guard position < count else { return nil }
            let lead = bytes[position]
            if lead < 0x80 {
                position += 1
                continue
            }
            let continuation: Int
            var secondRange: ClosedRange<UInt8> = 0x80...0xBF
            switch lead {
            case 0xC2...0xDF: continuation = 1
            case 0xE0: continuation = 2; secondRange = 0xA0...0xBF
            case 0xE1...0xEC, 0xEE...0xEF: continuation = 2
            case 0xED: continuation = 2; secondRange = 0x80...0x9F
            case 0xF0: continuation = 3; secondRange = 0x90...0xBF
            case 0xF1...0xF3: continuation = 3
            case 0xF4: continuation = 3; secondRange = 0x80...0x8F
            default: return position
            }
            guard continuation < count - position, secondRange.contains(bytes[position + 1]) else { return position }
            var index = 2
            while index <= continuation {
                guard bytes[position + index] & 0xC0 == 0x80 else { return position }
                index += 1
            }
            position += continuation + 1
        }
        return nil
    }
}
