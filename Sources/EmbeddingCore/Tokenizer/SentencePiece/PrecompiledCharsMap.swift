/// sentencepiece's precompiled normalization rules (NormalizerSpec.precompiled_charsmap), as
/// src/normalizer.cc lays them out:
///
/// ```
/// uint32_le trie_size;            // bytes of the trie, < the blob's size
/// uint32_le trie[trie_size / 4];  // a Darts-clone double array: UTF-8 source → value
/// char      normalized[];         // replacement strings, each ended by NUL; a value is
///                                 // the offset of its replacement here
/// ```
///
/// A rule's source may be several characters (a base and its combining marks); the longest
/// rule that is a prefix of the text wins.
struct PrecompiledCharsMap: Sendable {
    let trie: DoubleArrayTrie
    let normalized: [UInt8]

    init(blob: [UInt8]) throws(SentencePieceModelError) {
        guard blob.count > 4 else { throw .invalidCharsMap("\(blob.count) bytes, too short for its header") }
        let trieSize = Int(blob[0]) | Int(blob[1]) << 8 | Int(blob[2]) << 16 | Int(blob[3]) << 24
        guard trieSize < blob.count else {
            throw .invalidCharsMap("trie size \(trieSize) exceeds the blob's \(blob.count) bytes")
        }
        let rest = blob[4...]
        guard trieSize <= rest.count else {
            throw .invalidCharsMap("trie size \(trieSize) exceeds the \(rest.count) bytes after the header")
        }
        var units: [UInt32] = []
        units.reserveCapacity(trieSize / 4)
        var index = rest.startIndex
        while index + 4 <= rest.startIndex + trieSize {
            units.append(UInt32(rest[index]) | UInt32(rest[index + 1]) << 8 | UInt32(rest[index + 2]) << 16 | UInt32(rest[index + 3]) << 24)
            index += 4
        }
        trie = DoubleArrayTrie(units: units)
        normalized = Array(rest[(rest.startIndex + trieSize)...])
    }

    /// The replacement for the longest rule at `start` and the source bytes it replaces, or
    /// nil when no rule applies. A value past the strings gives an empty replacement; a string
    /// without its NUL ends at the blob's end.
    func match(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (replacement: Range<Int>, length: Int)? {
        guard let (length, value) = trie.longestPrefix(of: text, from: start, to: end) else { return nil }
        guard value < normalized.count else { return (normalized.count..<normalized.count, length) }
        var stop = value
        while stop < normalized.count && normalized[stop] != 0 { stop += 1 }
        return (value..<stop, length)
    }
}
