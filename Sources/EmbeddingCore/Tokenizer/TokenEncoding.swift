/// The tokens of one text and their ids, position by position.
public struct TokenEncoding: Sendable, Equatable {
    public var tokens: [String] = []
    public var ids: [Int] = []

    public init(tokens: [String] = [], ids: [Int] = []) {
        self.tokens = tokens
        self.ids = ids
    }

    public var count: Int { ids.count }

    mutating func append(_ token: String, _ id: Int) {
        tokens.append(token)
        ids.append(id)
    }

    /// This body of text tokens between `prefix` and `suffix` ([CLS] … [SEP]), its tokens cut
    /// first to `maxLength - prefix.count - suffix.count` (`tokenizers`' truncation of a single
    /// sequence: the end tokens are kept). A limit below the special-token count keeps only
    /// the special tokens. Without `addSpecialTokens`, the body alone, cut to `maxLength`.
    func framed(prefix: TokenEncoding, suffix: TokenEncoding, maxLength: Int?, addSpecialTokens: Bool) -> TokenEncoding {
        var body = self
        let special = addSpecialTokens ? prefix.count + suffix.count : 0
        if let maxLength, body.count > max(0, maxLength - special) {
            let keep = max(0, maxLength - special)
            body.tokens.removeSubrange(keep...)
            body.ids.removeSubrange(keep...)
        }
        guard addSpecialTokens else { return body }
        return TokenEncoding(tokens: prefix.tokens + body.tokens + suffix.tokens, ids: prefix.ids + body.ids + suffix.ids)
    }
}
