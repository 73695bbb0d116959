/// A read-only Darts-clone double-array trie, the index inside sentencepiece's
/// precompiled_charsmap. Each 32-bit little-endian unit packs:
///
/// | bits        | meaning                                                        |
/// |-------------|----------------------------------------------------------------|
/// | 0–7         | label: the key byte that leads to this unit                    |
/// | 8           | has_leaf: a key ends here; its value is at `offset ^ 0`         |
/// | 9           | the offset is shifted left by 8                                 |
/// | 10–31       | offset: XORed with the position to reach the children          |
/// | 31 (leaves) | set in a leaf, whose bits 0–30 are the value                    |
///
/// From position p, the child for byte b is at p ^ offset(unit[p]) ^ b, and is a child only
/// when its label is b. Unit 0 is the root. Every position is checked against the array's size:
/// a broken trie ends the search instead of reading out of bounds.
struct DoubleArrayTrie: Sendable {
    private let units: [UInt32]

    init(units: [UInt32]) {
        self.units = units
    }

    var isEmpty: Bool { units.isEmpty }

    private static func offset(_ unit: UInt32) -> Int {
        Int((unit >> 10) << ((unit & (1 << 9)) >> 6))
    }

    private static func label(_ unit: UInt32) -> UInt32 { unit & ((1 << 31) | 0xFF) }

    private static func hasLeaf(_ unit: UInt32) -> Bool { (unit >> 8) & 1 == 1 }

    /// The longest key that is a prefix of `key[start..<end]`: its length in bytes and its
    /// value, or nil when no key is (darts' commonPrefixSearch, keeping the last result).
    func longestPrefix(of key: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (length: Int, value: Int)? {
        guard !units.isEmpty else { return nil }
        var found: (length: Int, value: Int)?
        var position = Self.offset(units[0])
        var index = start
        while index < end {
            let byte = key[index]
            position ^= Int(byte)
            guard position < units.count else { return found }
            let unit = units[position]
            guard Self.label(unit) == UInt32(byte) else { return found }
            position ^= Self.offset(unit)
            index += 1
            if Self.hasLeaf(unit) {
                guard position < units.count else { return found }
                found = (index - start, Int(units[position] & ((1 << 31) - 1)))
            }
        }
        return found
    }
}
