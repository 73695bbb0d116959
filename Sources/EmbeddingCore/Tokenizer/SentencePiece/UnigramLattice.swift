/// The best segmentation of normalized text under a unigram model, as sentencepiece's
/// `unigram::Model::EncodeOptimized` (src/unigram_model.cc) finds it, on UTF-8 byte positions:
///
/// - every piece in the vocabulary that starts at a character boundary is a candidate edge,
///   scored by its log probability; UNUSED pieces are skipped;
/// - a USER_DEFINED piece scores `length × maxScore − 0.1` (maxScore: the largest NORMAL score,
///   and at least FLT_MIN), so it beats its own parts;
/// - a character that no single piece covers gets an unknown edge scored
///   `minScore − 10` (minScore: the smallest NORMAL score);
/// - at each end position the best path so far wins; ties keep the earlier candidate
///   (candidates come by start position, then by length).
///
/// The arithmetic is sentencepiece's: piece scores are added to the path score in double
/// precision and stored back as float, unknown edges are added in float.
struct UnigramLattice: Sendable {
    let pieces: PieceTrie
    /// Piece type by id, for the pieces in `pieces`.
    let isUserDefined: [Bool]
    let isUnused: [Bool]
    let scores: [Float]
    let unknownID: Int
    let minScore: Float
    let maxScore: Float

    static let unknownPenalty: Float = 10

    /// The pieces of `text` as (end offset, id) pairs in order; each piece starts where the
    /// previous one ends.
    func segment(_ text: UnsafeBufferPointer<UInt8>) -> [(end: Int, id: Int)] {
        let size = text.count
        guard size > 0 else { return [] }
        let unknownScore = minScore - Self.unknownPenalty
        var bestScore = [Float](repeating: 0, count: size + 1)
        var startsAt = [Int](repeating: -1, count: size + 1)
        var bestID = [Int](repeating: -1, count: size + 1)
        var start = 0
        while start < size {
            let scoreHere = bestScore[start]
            let characterLength = min(SentencePieceUTF8.announcedLength(text[start]), size - start)
            var hasSingleNode = false
            var node = PieceTrie.root
            var position = start
            while position < size, let next = pieces.child(node, text[position]) {
                node = next
                position += 1
                guard let id = pieces.value(node), !isUnused[id] else { continue }
                let length = position - start
                let score = isUserDefined[id] ? Double(Float(length) * maxScore) - 0.1 : Double(scores[id])
                let candidate = score + Double(scoreHere)
                if startsAt[position] == -1 || candidate > Double(bestScore[position]) {
                    bestScore[position] = Float(candidate)
                    startsAt[position] = start
                    bestID[position] = id
                }
                if length == characterLength { hasSingleNode = true }
            }
            if !hasSingleNode {
                let end = start + characterLength
                let candidate = unknownScore + scoreHere
                if startsAt[end] == -1 || candidate > bestScore[end] {
                    bestScore[end] = candidate
                    startsAt[end] = start
                    bestID[end] = unknownID
                }
            }
            start += characterLength
        }
        var result: [(end: Int, id: Int)] = []
        var end = size
        // Every character boundary is reached (by a piece or an unknown edge), so the walk
        // back ends at 0; the guard only keeps a broken invariant from looping.
        while end > 0, startsAt[end] >= 0, startsAt[end] < end {
            result.append((end, bestID[end]))
            end = startsAt[end]
        }
        return result.reversed()
    }
}
