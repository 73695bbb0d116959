/// A byte trie from piece (exact UTF-8 bytes) to piece id, walked one byte at a time: the
/// unigram lattice asks it for every piece that starts at a position, shortest first, and the
/// normalizer for the longest user-defined symbol at a position.
///
/// Nodes live in flat arrays; the root's children are a 256-entry table, deeper nodes keep
/// their children in a sibling list (few children each).
struct PieceTrie: Sendable {
    private var rootChildren = [Int32](repeating: -1, count: 256)
    private var labels: [UInt8] = [0]
    private var firstChild: [Int32] = [-1]
    private var nextSibling: [Int32] = [-1]
    /// The piece id that ends at each node, -1 where none does.
    private var values: [Int32] = [-1]

    static let root = 0

    init(_ pieces: [(bytes: [UInt8], id: Int)]) {
        for (bytes, id) in pieces where !bytes.isEmpty {
            var node = Self.root
            for byte in bytes { node = childOrInsert(node, byte) }
            values[node] = Int32(truncatingIfNeeded: id)
        }
    }

    var isEmpty: Bool { !rootChildren.contains { $0 >= 0 } }

    private mutating func childOrInsert(_ node: Int, _ byte: UInt8) -> Int {
        if let child = child(node, byte) { return child }
        let new = labels.count
        labels.append(byte)
        firstChild.append(-1)
        values.append(-1)
        if node == Self.root {
            nextSibling.append(-1)
            rootChildren[Int(byte)] = Int32(new)
        } else {
            nextSibling.append(firstChild[node])
            firstChild[node] = Int32(new)
        }
        return new
    }

    /// The node reached from `node` by `byte`, if any.
    @inline(__always)
    func child(_ node: Int, _ byte: UInt8) -> Int? {
        if node == Self.root {
            let child = rootChildren[Int(byte)]
            return child >= 0 ? Int(child) : nil
        }
        var child = firstChild[node]
        while child >= 0 {
            if labels[Int(child)] == byte { return Int(child) }
            child = nextSibling[Int(child)]
        }
        return nil
    }

    /// The id of the piece that ends at `node`, if one does.
    @inline(__always)
    func value(_ node: Int) -> Int? {
        let value = values[node]
        return value >= 0 ? Int(value) : nil
    }

    /// The length of the longest piece among the first `maxResults` that are prefixes of
    /// `text[start..<end]`, or nil (sentencepiece's PrefixMatcher keeps 64 results). The walk
    /// stops there, or after the longest piece.
    func longestPrefix(_ text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, maxResults: Int) -> Int? {
        var node = Self.root
        var longest: Int?
        var results = 0
        var index = start
        while index < end, results < maxResults, let next = child(node, text[index]) {
            node = next
            index += 1
            if value(node) != nil {
                longest = index - start
                results += 1
            }
        }
        return longest
    }
}
