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
/// From unit u, the child for byte b is at u ^ offset(u) ^ b, and is a child only when its
/// label is b. Unit 0 is the root. The array is checked once, when it is read
/// (`init(units:valueLimit:)`), so that a search can neither leave it nor loop.
struct DoubleArrayTrie: Sendable {
    private let units: [UInt32]

    /// sentencepiece's Normalizer::kMaxTrieResultsSize: a search keeps the first 32 keys that
    /// are prefixes of the text, and the longest of those wins.
    static let maxResults = 32

    /// The longest key accepted, in bytes, which bounds every search. sentencepiece's own rules
    /// are at most 12 bytes long (nmt_nfkc, nfkc_cf); it sets no limit itself.
    static let maxKeyLength = 256

    /// Checks `units` as Darts-clone's `validate(valueLimit)` does (which sentencepiece 0.2.1
    /// on calls: "precompiled_charsmap is invalid."), and further:
    ///
    /// - the root has label 0, no leaf, and a nonzero offset whose children lie in the array;
    /// - every other non-leaf unit's children lie in the array;
    /// - every leaf's value is below `valueLimit` (the replacement strings' size), and a unit
    ///   that says it has a leaf has one;
    /// - no key is longer than `maxKeyLength` bytes, and no path from the root comes back to
    ///   a unit it has passed (a cycle would match text of any length).
    init(units: [UInt32], valueLimit: Int) throws(SentencePieceModelError) {
        let count = units.count
        guard let root = units.first else { throw .invalidCharsMap("the trie has no units") }
        guard Self.label(root) == 0, !Self.hasLeaf(root), Self.offset(root) != 0, Self.offset(root) | 0xFF < count else {
            throw .invalidCharsMap("the trie's root unit 0x\(String(root, radix: 16)) is not a root")
        }
        for index in 1..<count {
            let unit = units[index]
            if Self.label(unit) <= 0xFF {
                guard (index ^ Self.offset(unit)) | 0xFF < count else {
                    throw .invalidCharsMap("trie unit \(index) points past the trie's \(count) units")
                }
            } else if Self.value(unit) >= valueLimit {
                throw .invalidCharsMap("trie unit \(index) holds offset \(Self.value(unit)), past the \(valueLimit) bytes of replacement strings")
            }
        }
        self.units = units
        try checkPaths()
    }

    private static func offset(_ unit: UInt32) -> Int {
        Int((unit >> 10) << ((unit & (1 << 9)) >> 6))
    }

    private static func label(_ unit: UInt32) -> UInt32 { unit & ((1 << 31) | 0xFF) }

    private static func hasLeaf(_ unit: UInt32) -> Bool { (unit >> 8) & 1 == 1 }

    private static func value(_ unit: UInt32) -> Int { Int(unit & ((1 << 31) - 1)) }

    /// Walks every unit reachable from the root once, depth first, keeping the longest key
    /// below each (`height`): a unit met again while it is on the current path is a cycle, and
    /// a path longer than `maxKeyLength` is refused, so no search walks further than that.
    /// Bounds were checked first, so every child position is inside the array.
    private func checkPaths() throws(SentencePieceModelError) {
        enum State: UInt8 { case unseen, onPath, done }
        var state = [State](repeating: .unseen, count: units.count)
        var height = [UInt16](repeating: 0, count: units.count)
        // (unit, next byte to try); the root is at depth 0, its children at depth 1.
        var path: [(unit: Int, byte: Int)] = [(0, 0)]
        state[0] = .onPath
        while let (unit, firstByte) = path.last {
            let base = unit ^ Self.offset(units[unit])
            if firstByte == 0 && Self.hasLeaf(units[unit]) && Self.label(units[base]) <= 0xFF {
                throw .invalidCharsMap("trie unit \(unit) says a key ends there, but unit \(base) is not a leaf")
            }
            var next: Int?
            children: for byte in firstByte..<256 {
                let child = base ^ byte
                guard Self.label(units[child]) == UInt32(byte) else { continue }
                switch state[child] {
                case .onPath:
                    throw .invalidCharsMap("trie unit \(child) can be reached from itself (a cycle)")
                case .done:
                    guard path.count + Int(height[child]) <= Self.maxKeyLength else { throw Self.tooDeep() }
                    height[unit] = max(height[unit], 1 + height[child])
                case .unseen:
                    path[path.count - 1].byte = byte + 1
                    next = child
                    break children
                }
            }
            if let next {
                // `next` is at depth path.count.
                guard path.count <= Self.maxKeyLength else { throw Self.tooDeep() }
                state[next] = .onPath
                path.append((next, 0))
                continue
            }
            state[unit] = .done
            path.removeLast()
            if let parent = path.last?.unit { height[parent] = max(height[parent], 1 + height[unit]) }
        }
    }

    private static func tooDeep() -> SentencePieceModelError {
        .invalidCharsMap("a rule's source is longer than \(maxKeyLength) bytes")
    }

    /// The longest key among the first `maxResults` that are prefixes of `key[start..<end]`:
    /// its length in bytes and its value, or nil when no key is (darts' commonPrefixSearch,
    /// as sentencepiece's NormalizePrefix uses it). The walk stops at the 32nd key, and a
    /// checked trie has no key longer than `maxKeyLength`.
    func longestPrefix(of key: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (length: Int, value: Int)? {
        var found: (length: Int, value: Int)?
        var results = 0
        var position = Self.offset(units[0])
        var index = start
        while index < end {
            let byte = key[index]
            position ^= Int(byte)
            let unit = units[position]
            guard Self.label(unit) == UInt32(byte) else { return found }
            position ^= Self.offset(unit)
            index += 1
            if Self.hasLeaf(unit) {
                found = (index - start, Self.value(units[position]))
                results += 1
                if results == Self.maxResults { return found }
            }
        }
        return found
    }
}
