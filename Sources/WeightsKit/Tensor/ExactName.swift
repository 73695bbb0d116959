/// A tensor name or metadata key as the exact UTF-8 bytes of the file.
///
/// Swift's `String` compares and hashes by canonical equivalence, so "é" (U+00E9) and
/// "e\u{301}" are one dictionary key although a file may hold both as two tensors. The
/// safetensors reference (Rust `String`) and gguf (`std::string`) compare bytes; so does
/// this type. Key every map, set and sort of names and keys with it (or with the byte
/// comparisons below), never with a bare `String`.
public struct ExactName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The name, its UTF-8 stored contiguously (hashing and comparing read it in place).
    public let text: String

    public init(_ text: String) {
        var contiguous = text
        contiguous.makeContiguousUTF8()
        self.text = contiguous
    }

    public static func == (left: ExactName, right: ExactName) -> Bool {
        left.text.isByteEqual(to: right.text)
    }

    public static func < (left: ExactName, right: ExactName) -> Bool {
        left.text.bytePrecedes(right.text)
    }

    public func hash(into hasher: inout Hasher) {
        // `init` made the storage contiguous, so the closure always runs.
        _ = text.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        hasher.combine(text.utf8.count)
    }

    public var description: String { text }
}

extension String {
    /// The name as a byte-exact dictionary or set key.
    public var exact: ExactName { ExactName(self) }

    /// True when both strings have the same UTF-8 bytes (`==` is canonical equivalence).
    public func isByteEqual(to other: String) -> Bool {
        utf8.count == other.utf8.count && utf8.elementsEqual(other.utf8)
    }

    /// Byte-wise (UTF-8) order, which is also Unicode scalar order: what the safetensors
    /// reference's sorted names and Python's `sorted()` give.
    func bytePrecedes(_ other: String) -> Bool {
        utf8.lexicographicallyPrecedes(other.utf8)
    }

    /// `hasPrefix` by bytes (`hasPrefix` itself matches canonically equivalent text).
    func hasBytePrefix(_ prefix: String) -> Bool {
        utf8.starts(with: prefix.utf8)
    }

    /// True when `needle`'s bytes occur in the string's bytes (`contains` matches
    /// canonically equivalent text, and not inside a character that a combining mark extends).
    func containsBytes(_ needle: String) -> Bool {
        let haystack = Array(utf8), pattern = Array(needle.utf8)
        guard pattern.count <= haystack.count else { return false }
        if pattern.isEmpty { return true }
        for start in 0...(haystack.count - pattern.count) where haystack[start] == pattern[0] {
            if haystack[start..<(start + pattern.count)].elementsEqual(pattern) { return true }
        }
        return false
    }

    /// `hasSuffix` by bytes.
    func hasByteSuffix(_ suffix: String) -> Bool {
        utf8.count >= suffix.utf8.count && utf8.reversed().starts(with: suffix.utf8.reversed())
    }
}

/// Position of each name in `names`, keyed by its exact bytes; on a repeat the last wins
/// (readers reject repeated names before building one).
func nameIndex(_ names: some Sequence<String>) -> [ExactName: Int] {
    var index: [ExactName: Int] = [:]
    index.reserveCapacity(names.underestimatedCount)
    for (position, name) in names.enumerated() { index[ExactName(name)] = position }
    return index
}
