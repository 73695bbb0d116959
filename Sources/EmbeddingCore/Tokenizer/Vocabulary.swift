/// A WordPiece vocabulary: token → id, compared byte for byte.
///
/// Not a `[String: Int]`: Swift's String equality is canonical equivalence, so "é" and
/// "e\u{301}" would be one key, while `tokenizers` looks tokens up by their exact UTF-8 bytes
/// (and a cased vocabulary can hold both).
public struct Vocabulary: Sendable {
    private var idsByBytes: [[UInt8]: Int]

    /// Distinct tokens.
    public var count: Int { idsByBytes.count }

    /// One past the largest id: the row count an embedding matrix needs.
    let idLimit: Int

    /// Bytes of the longest token: no lookup of a longer key can succeed.
    let longestTokenBytes: Int

    /// `tokens` in id order, as vocab.txt lists them. A repeated token keeps its last id,
    /// as `tokenizers` does.
    public init(tokens: [String]) {
        self.init(ids: tokens.enumerated().map { (Array($0.element.utf8), $0.offset) })
    }

    init(ids: [([UInt8], Int)]) {
        var map: [[UInt8]: Int] = [:]
        map.reserveCapacity(ids.count)
        for (bytes, id) in ids { map[bytes] = id }
        idsByBytes = map
        idLimit = (ids.map(\.1).max() ?? -1) + 1
        longestTokenBytes = ids.map(\.0.count).max() ?? 0
    }

    public func id(for token: String) -> Int? { idsByBytes[Array(token.utf8)] }

    func id(forBytes bytes: [UInt8]) -> Int? { idsByBytes[bytes] }

    /// Parses vocab.txt as `tokenizers` does: one token per line ("\n" or "\r\n"), id = line
    /// number from 0, trailing whitespace trimmed, empty lines counted.
    static func parseLines(_ bytes: [UInt8], path: String) throws(TokenizerError) -> Vocabulary {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidFile(path: path, reason: "vocabulary is not UTF-8")
        }
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring($0) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        let tokens = lines.map { line -> String in
            var scalars = line.unicodeScalars[...]
            while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
            return String(String.UnicodeScalarView(scalars))
        }
        return Vocabulary(tokens: tokens)
    }
}
