/// The WordPiece model: each word becomes the longest vocabulary token that starts it, then
/// the longest "##"-prefixed token that continues it, and so on; a word that cannot be covered
/// this way, or that is longer than `maxInputCharsPerWord` scalars, becomes one unknown token.
struct WordPiece: Sendable {
    let vocabulary: Vocabulary
    let unknownToken: String
    let unknownID: Int
    let continuingSubwordPrefix: [UInt8]
    let maxInputCharsPerWord: Int

    init(vocabulary: Vocabulary, unknownToken: String, continuingSubwordPrefix: String, maxInputCharsPerWord: Int,
         path: String) throws(TokenizerError) {
        guard let unknownID = vocabulary.id(for: unknownToken) else {
            throw .missingToken(path: path, token: unknownToken, role: "unknown")
        }
        self.vocabulary = vocabulary
        self.unknownToken = unknownToken
        self.unknownID = unknownID
        self.continuingSubwordPrefix = Array(continuingSubwordPrefix.utf8)
        self.maxInputCharsPerWord = maxInputCharsPerWord
    }

    func tokenize(_ word: ArraySlice<Unicode.Scalar>, into encoding: inout WordPieceTokenizer.Encoding) {
        guard word.count <= maxInputCharsPerWord else {
            encoding.append(unknownToken, unknownID)
            return
        }
        // UTF-8 of the word and the byte offset where each scalar starts (plus the end).
        var bytes: [UInt8] = []
        var boundaries: [Int] = [0]
        for scalar in word {
            bytes.append(contentsOf: UTF8.encode(scalar)!)
            boundaries.append(bytes.count)
        }
        var pieces: [(String, Int)] = []
        var key: [UInt8] = []
        var start = 0
        while start < word.count {
            // Candidates longer than the vocabulary's longest token cannot match, so the
            // search starts below that: a word of n scalars costs O(n × longest), not O(n³).
            let prefixBytes = start > 0 ? continuingSubwordPrefix.count : 0
            var end = Self.lastBoundary(boundaries, from: start, within: vocabulary.longestTokenBytes - prefixBytes)
            var found: Int?
            while end > start {
                key.removeAll(keepingCapacity: true)
                if start > 0 { key.append(contentsOf: continuingSubwordPrefix) }
                key.append(contentsOf: bytes[boundaries[start]..<boundaries[end]])
                if let id = vocabulary.id(forBytes: key) {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                encoding.append(unknownToken, unknownID)
                return
            }
            pieces.append((String(decoding: key, as: UTF8.self), id))
            start = end
        }
        for (token, id) in pieces { encoding.append(token, id) }
    }

    /// The largest `end` in `start...` whose bytes `boundaries[start]..<boundaries[end]` fit in
    /// `limit` bytes (`start` itself when not even one scalar fits), found by binary search.
    static func lastBoundary(_ boundaries: [Int], from start: Int, within limit: Int) -> Int {
        var low = start
        var high = boundaries.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if boundaries[middle] - boundaries[start] <= limit { low = middle } else { high = middle - 1 }
        }
        return low
    }
}
