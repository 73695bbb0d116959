/// sentencepiece's precompiled normalization rules (NormalizerSpec.precompiled_charsmap), as
/// src/normalizer.cc lays them out:
///
/// ```
/// uint32_le trie_size;            // bytes of the trie: a multiple of 1024, at least 1024,
///                                 // and less than the bytes after this field
/// uint32_le trie[trie_size / 4];  // a Darts-clone double array: UTF-8 source → value
/// char      normalized[];         // replacement strings, each ended by NUL (so the block
///                                 // is not empty and ends in NUL); a value is the offset
///                                 // of its replacement here
/// ```
///
/// The block rules are sentencepiece's (0.2.1 on: "Trie data size is not divisible by 1024.",
/// "normalized block must be null terminated."); the trie's own are `DoubleArrayTrie`'s.
/// A rule's source may be several characters (a base and its combining marks); the longest
/// rule that is a prefix of the text wins, among the first 32 found.
struct PrecompiledCharsMap: Sendable {
    let trie: DoubleArrayTrie
    let normalized: [UInt8]
    /// The longest replacement string, in bytes: how much one rule can write.
    let longestReplacement: Int

    /// Darts-clone arrays come in blocks of 256 four-byte units.
    static let trieBlockBytes = 1024

    init(blob: [UInt8]) throws(SentencePieceModelError) {
        guard blob.count > 4 else { throw .invalidCharsMap("\(blob.count) bytes, too short for its header") }
        let trieSize = Int(blob[0]) | Int(blob[1]) << 8 | Int(blob[2]) << 16 | Int(blob[3]) << 24
        let rest = blob[4...]
        guard trieSize < rest.count else {
            throw .invalidCharsMap("trie size \(trieSize) leaves none of the \(rest.count) bytes after the header for replacement strings")
        }
        guard trieSize >= Self.trieBlockBytes, trieSize % Self.trieBlockBytes == 0 else {
            throw .invalidCharsMap("trie size \(trieSize) is not a positive multiple of \(Self.trieBlockBytes)")
        }
        let strings = Array(rest[(rest.startIndex + trieSize)...])
        guard strings.last == 0 else { throw .invalidCharsMap("the replacement strings do not end with NUL") }
        var units: [UInt32] = []
        units.reserveCapacity(trieSize / 4)
        var index = rest.startIndex
        while index < rest.startIndex + trieSize {
            units.append(UInt32(rest[index]) | UInt32(rest[index + 1]) << 8 | UInt32(rest[index + 2]) << 16 | UInt32(rest[index + 3]) << 24)
            index += 4
        }
        trie = try DoubleArrayTrie(units: units, valueLimit: strings.count)
        normalized = strings
        var longest = 0
        var start = 0
        for (offset, byte) in strings.enumerated() where byte == 0 {
            longest = max(longest, offset - start)
            start = offset + 1
        }
        longestReplacement = longest
    }

    /// The replacement for the longest rule at `start` and the source bytes it replaces, or
    /// nil when no rule applies. Every value is below the strings' size and they end with NUL
    /// (checked at load), so the replacement ends at the next NUL.
    func match(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (replacement: Range<Int>, length: Int)? {
        guard let (length, value) = trie.longestPrefix(of: text, from: start, to: end) else { return nil }
        var stop = value
        while stop < normalized.count && normalized[stop] != 0 { stop += 1 }
        return (value..<stop, length)
    }
}
