/// A file's string-to-string metadata, in the order the file lists it.
///
/// Order is kept (not sorted) so that a conversion writes the metadata back exactly
/// as it found it, which is what makes round trips byte-identical.
public struct Metadata: Sendable, Equatable, Sequence {
    public private(set) var entries: [Entry]

    public struct Entry: Sendable, Equatable {
        public let key: String
        public var value: String
    }

    public init(_ pairs: [(String, String)] = []) {
        entries = []
        for (key, value) in pairs { self[key] = value }
    }

    /// What new files get when the caller gives none: the convention of PyTorch's writer.
    public static let defaultForNewFiles = Metadata([("format", "pt")])

    public subscript(key: String) -> String? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
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
