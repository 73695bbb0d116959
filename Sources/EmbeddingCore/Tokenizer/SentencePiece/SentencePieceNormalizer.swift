/// sentencepiece's normalizer (src/normalizer.cc, `Normalizer::Normalize`), on UTF-8 bytes:
///
/// 1. at each position, the longest user-defined symbol is kept as it is; else the longest
///    precompiled_charsmap rule replaces its source; else a valid character is kept and an
///    invalid byte becomes U+FFFD (one byte consumed);
/// 2. with remove_extra_whitespaces, leading spaces (after step 1: NBSP and U+3000 are spaces
///    under nmt_nfkc) are dropped, a space that follows a space is dropped, and trailing
///    spaces are dropped at the end;
/// 3. with add_dummy_prefix, a space goes first (or last, with treat_whitespace_as_suffix);
/// 4. with escape_whitespaces, every space is written as ▁ (U+2581).
///
/// Text that is empty, or only spaces under remove_extra_whitespaces, normalizes to nothing
/// (no dummy prefix either).
struct SentencePieceNormalizer: Sendable {
    let charsMap: PrecompiledCharsMap?
    let userDefinedSymbols: PieceTrie
    let addDummyPrefix: Bool
    let removeExtraWhitespaces: Bool
    let escapeWhitespaces: Bool
    let treatWhitespaceAsSuffix: Bool

    static let spaceSymbol: [UInt8] = [0xE2, 0x96, 0x81]
    private static let space = UInt8(ascii: " ")

    /// Where a normalized prefix's bytes come from.
    private enum Source {
        case input(Range<Int>)
        case charsMap(Range<Int>)
        case replacementCharacter
    }

    /// PrefixMatcher::PrefixMatch keeps the first 64 user-defined symbols that are prefixes.
    static let maxSymbolResults = 64

    func normalize(_ input: [UInt8]) -> [UInt8] {
        guard !input.isEmpty else { return [] }
        let strings = charsMap?.normalized ?? []
        return input.withUnsafeBufferPointer { input in
            strings.withUnsafeBufferPointer { strings in
                SentencePieceUTF8.replacementCharacter.withUnsafeBufferPointer { replacement in
                    normalize(input, strings: strings, replacement: replacement)
                }
            }
        }
    }

    private func normalize(_ input: UnsafeBufferPointer<UInt8>, strings: UnsafeBufferPointer<UInt8>,
                           replacement: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        func bytes(_ source: Source) -> UnsafeBufferPointer<UInt8> {
            switch source {
            case let .input(range): UnsafeBufferPointer(rebasing: input[range])
            case let .charsMap(range): UnsafeBufferPointer(rebasing: strings[range])
            case .replacementCharacter: replacement
            }
        }
        var position = 0
        let end = input.count
        if removeExtraWhitespaces {
            while position < end {
                let (source, length) = prefix(input, at: position)
                let normalized = bytes(source)
                guard normalized.count == 1, normalized[0] == Self.space else { break }
                position += length
            }
        }
        guard position < end else { return [] }

        var output: [UInt8] = []
        output.reserveCapacity((end - position) * 3)
        func appendSpace() {
            if escapeWhitespaces { output.append(contentsOf: Self.spaceSymbol) } else { output.append(Self.space) }
        }
        if !treatWhitespaceAsSuffix && addDummyPrefix { appendSpace() }
        var previousIsSpace = removeExtraWhitespaces
        while position < end {
            let (source, length) = prefix(input, at: position)
            var normalized = bytes(source)[...]
            while previousIsSpace, normalized.first == Self.space { normalized = normalized.dropFirst() }
            if let last = normalized.last {
                for byte in normalized {
                    if escapeWhitespaces && byte == Self.space { output.append(contentsOf: Self.spaceSymbol) } else { output.append(byte) }
                }
                previousIsSpace = last == Self.space
            }
            position += length
            if !removeExtraWhitespaces { previousIsSpace = false }
        }
        if removeExtraWhitespaces {
            let space = escapeWhitespaces ? Self.spaceSymbol : [Self.space]
            while output.count >= space.count, output[(output.count - space.count)...].elementsEqual(space) {
                output.removeLast(space.count)
            }
        }
        if treatWhitespaceAsSuffix && addDummyPrefix { appendSpace() }
        return output
    }

    /// The normalized form of the text at `position` and how many input bytes it consumes
    /// (`NormalizePrefix`).
    private func prefix(_ input: UnsafeBufferPointer<UInt8>, at position: Int) -> (Source, Int) {
        let end = input.count
        if let length = userDefinedSymbols.longestPrefix(input, from: position, to: end, maxResults: Self.maxSymbolResults) {
            return (.input(position..<(position + length)), length)
        }
        if let charsMap, let (replacement, length) = charsMap.match(input, from: position, to: end) {
            return (.charsMap(replacement), length)
        }
        guard let length = SentencePieceUTF8.validLength(input, from: position, to: end) else { return (.replacementCharacter, 1) }
        return (.input(position..<(position + length)), length)
    }
}
