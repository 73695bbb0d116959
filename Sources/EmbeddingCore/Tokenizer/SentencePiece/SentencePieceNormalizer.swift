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

    /// The whole normalized text.
    func normalize(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        normalize(input) { (bytes: UnsafeBufferPointer<UInt8>) throws(Never) -> Bool in
            output.append(contentsOf: bytes)
            return true
        }
        return output
    }

    /// Normalizes `input`, handing the output to `sink` in order, a few bytes at a time, until
    /// the input ends or `sink` returns false. What `sink` gets is final: spaces that may turn
    /// out to be trailing (remove_extra_whitespaces drops them at the end) are held back until
    /// a later byte shows they are not, so a caller may stop early, or drop what it has used.
    func normalize<E: Error>(_ input: [UInt8], into sink: (UnsafeBufferPointer<UInt8>) throws(E) -> Bool) throws(E) {
        guard !input.isEmpty else { return }
        let strings = charsMap?.normalized ?? []
        try input.withUnsafeBufferPointer { (input) throws(E) in
            try strings.withUnsafeBufferPointer { (strings) throws(E) in
                try SentencePieceUTF8.replacementCharacter.withUnsafeBufferPointer { (replacement) throws(E) in
                    try normalize(input, strings: strings, replacement: replacement, into: sink)
                }
            }
        }
    }

    private func normalize<E: Error>(_ input: UnsafeBufferPointer<UInt8>, strings: UnsafeBufferPointer<UInt8>,
                                     replacement: UnsafeBufferPointer<UInt8>,
                                     into sink: (UnsafeBufferPointer<UInt8>) throws(E) -> Bool) throws(E) {
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
        guard position < end else { return }

        let space = escapeWhitespaces ? Self.spaceSymbol : [Self.space]
        // The output of one step, and the run of whole `space`s at the end of the output so
        // far, held back while remove_extra_whitespaces may still drop it.
        var chunk: [UInt8] = []
        var pending: [UInt8] = []
        /// Hands `chunk` on, keeping back the spaces it ends with; false when the sink stops.
        func flush() throws(E) -> Bool {
            defer { chunk.removeAll(keepingCapacity: true) }
            guard removeExtraWhitespaces else { return try chunk.withUnsafeBufferPointer { (chunk) throws(E) in try sink(chunk) } }
            var tail = chunk.count
            while tail >= space.count, chunk[(tail - space.count)..<tail].elementsEqual(space) { tail -= space.count }
            if tail == 0 {
                // All spaces: they join the held-back run (pending ends with a whole space,
                // so no space can straddle the two).
                pending.append(contentsOf: chunk)
                return true
            }
            pending.append(contentsOf: chunk[..<tail])
            let go = try pending.withUnsafeBufferPointer { (pending) throws(E) in try sink(pending) }
            pending.removeAll(keepingCapacity: true)
            pending.append(contentsOf: chunk[tail...])
            return go
        }

        if !treatWhitespaceAsSuffix && addDummyPrefix {
            chunk.append(contentsOf: space)
            guard try flush() else { return }
        }
        var previousIsSpace = removeExtraWhitespaces
        while position < end {
            let (source, length) = prefix(input, at: position)
            var normalized = bytes(source)[...]
            while previousIsSpace, normalized.first == Self.space { normalized = normalized.dropFirst() }
            if let last = normalized.last {
                for byte in normalized {
                    if byte == Self.space { chunk.append(contentsOf: space) } else { chunk.append(byte) }
                }
                previousIsSpace = last == Self.space
                guard try flush() else { return }
            }
            position += length
            if !removeExtraWhitespaces { previousIsSpace = false }
        }
        // What is still held back is trailing: remove_extra_whitespaces drops it.
        if treatWhitespaceAsSuffix && addDummyPrefix {
            _ = try space.withUnsafeBufferPointer { (space) throws(E) in try sink(space) }
        }
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
