/// A file's string-to-string metadata, in the order the file lists it.
///
/// Order is kept (not sorted) so that a conversion writes the metadata back exactly
/// as it found it, which is what makes round trips byte-identical. Keys are compared by
/// their exact UTF-8 bytes (see `ExactName`): "é" and "e\u{301}" are two keys.
public struct Metadata: Sendable, Equatable, Sequence {
    public private(set) var entries: [Entry]

    public struct Entry: Sendable, Equatable {
        public let key: String
        public var value: String

        public static func == (left: Entry, right: Entry) -> Bool {
            left.key.isByteEqual(to: right.key) && left.value.isByteEqual(to: right.value)
        }
    }

    public init(_ pairs: [(String, String)] = []) {
        entries = []
        for (key, value) in pairs { self[key] = value }
    }

    /// Entries a reader has already checked for repeated keys, kept in file order
    /// (no per-key search, so a header with many keys stays linear).
    init(uniqueEntries: [Entry]) {
        entries = uniqueEntries
    }

    /// What new files get when the caller gives none: the convention of PyTorch's writer.
    public static let defaultForNewFiles = Metadata([("format", "pt")])

    public subscript(key: String) -> String? {
        get { entries.first { $0.key.isByteEqual(to: key) }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key.isByteEqual(to: key) }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }
    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }
    var pairs: [(key: String, value: String)] { entries.map { ($0.key, $0.value) } }
}
