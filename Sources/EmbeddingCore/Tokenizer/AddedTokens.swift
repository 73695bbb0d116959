/// A token matched in the text itself before WordPiece runs, as `tokenizers`' added
/// vocabulary does: "[SEP]" typed in the input becomes the separator id, not "[", "sep", "]".
public struct AddedToken: Sendable, Equatable {
    public var content: String
    public var id: Int
    /// Matched in the normalized text (with `content` normalized too) rather than the raw
    /// text. Special tokens are usually not normalized, so "[cls]" is not "[CLS]".
    var normalized: Bool

    public init(content: String, id: Int, normalized: Bool = false) {
        self.content = content
        self.id = id
        self.normalized = normalized
    }
}

/// Splits text at added tokens, leftmost match first and the longest at that position (the
/// leftmost-longest rule of `tokenizers`' Aho-Corasick matcher). `lstrip`, `rstrip` and
/// `single_word` are not implemented: BERT's pre-tokenizer drops the whitespace they absorb,
/// and BERT tokenizers do not set `single_word`.
struct AddedTokenMatcher: Sendable {
    enum Piece {
        case text(ArraySlice<Unicode.Scalar>)
        case token(String, Int)
    }

    /// Patterns by first scalar, longest first.
    private let patterns: [Unicode.Scalar: [(scalars: [Unicode.Scalar], content: String, id: Int)]]

    var isEmpty: Bool { patterns.isEmpty }

    /// `pattern` is what is searched for (the content, normalized where the token is).
    init(_ tokens: [(pattern: [Unicode.Scalar], token: AddedToken)]) {
        var patterns: [Unicode.Scalar: [(scalars: [Unicode.Scalar], content: String, id: Int)]] = [:]
        for (pattern, token) in tokens {
            guard let first = pattern.first else { continue }
            patterns[first, default: []].append((pattern, token.content, token.id))
        }
        self.patterns = patterns.mapValues { $0.sorted { $0.scalars.count > $1.scalars.count } }
    }

    func split(_ text: ArraySlice<Unicode.Scalar>) -> [Piece] {
        guard !patterns.isEmpty else { return [.text(text)] }
        var pieces: [Piece] = []
        var textStart = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            if let candidates = patterns[text[index]],
               let match = candidates.first(where: { $0.scalars.count <= text.endIndex - index && text[index..<(index + $0.scalars.count)].elementsEqual($0.scalars) }) {
                if textStart < index { pieces.append(.text(text[textStart..<index])) }
                pieces.append(.token(match.content, match.id))
                index += match.scalars.count
                textStart = index
            } else {
                index += 1
            }
        }
        if textStart < text.endIndex { pieces.append(.text(text[textStart...])) }
        return pieces
    }
}
