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
///
/// The text arrives in pieces (`Segmenter.append`), and what is settled leaves early: a
/// position that no edge crosses lies on every path, so the best path to it is part of the
/// best path to the end. Its pieces are handed out there and the lattice before it dropped;
/// a caller that needs only the first ids stops there, with the same ids as a whole run.
struct UnigramLattice: Sendable {
    let pieces: PieceTrie
    /// Piece type by id, for the pieces in `pieces`.
    let isUserDefined: [Bool]
    let isUnused: [Bool]
    let scores: [Float]
    let unknownID: Int
    let minScore: Float
    let maxScore: Float
    /// The longest piece in `pieces`, in bytes (below `SentencePieceModel.pieceLengthLimit`).
    let longestPiece: Int

    static let unknownPenalty: Float = 10

    /// Bytes held per position of the open part of the lattice: the normalized byte, the best
    /// score (Float), the length of the best path's last piece (UInt16) and its id (Int32).
    static let bytesPerPosition = 1 + 4 + 2 + 4

    /// The segmentation of one text in progress.
    struct Segmenter {
        // The lattice's fields, held here so that the inner loop reads them directly.
        private let pieces: PieceTrie
        private let isUserDefined: [Bool]
        private let isUnused: [Bool]
        private let scores: [Float]
        private let unknownID: Int32
        private let unknownScore: Float
        private let maxScore: Float
        /// A start is processed once this many bytes after it have arrived (every piece
        /// from it fits, and so does its character), or at the end.
        private let lookahead: Int
        /// The position of `text[0]` and of the arrays' first entries.
        private var base = 0
        /// Normalized bytes from `base` on.
        private var text: [UInt8] = []
        /// Per position from `base` to `base + text.count`: the best path's score, the length
        /// of its last piece (0: not reached yet) and that piece's id.
        private var bestScore: [Float] = [0]
        private var lastLength: [UInt16] = [0]
        private var bestID: [Int32] = [-1]
        /// The next start to process, and the furthest end of any edge so far.
        private var start = 0
        private var furthestEnd = 0
        /// Where the pieces not yet handed out begin: a position no edge crosses.
        private var settled = 0

        init(_ lattice: UnigramLattice) {
            pieces = lattice.pieces
            isUserDefined = lattice.isUserDefined
            isUnused = lattice.isUnused
            scores = lattice.scores
            unknownID = Int32(truncatingIfNeeded: lattice.unknownID)
            unknownScore = lattice.unknownScore
            maxScore = lattice.maxScore
            lookahead = max(lattice.longestPiece, 4)
        }

        /// Bytes the open part holds now.
        var footprint: Int { text.count * UnigramLattice.bytesPerPosition }

        /// Normalized bytes whose pieces are not handed out yet.
        var openBytes: Int { base + text.count - settled }

        /// Adds normalized bytes, handing each piece that becomes settled to `emit` (its bytes
        /// and id) in order; false when `emit` asked to stop.
        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, emit: (ArraySlice<UInt8>, Int) -> Bool) -> Bool {
            text.append(contentsOf: bytes)
            bestScore.append(contentsOf: repeatElement(0, count: bytes.count))
            lastLength.append(contentsOf: repeatElement(0, count: bytes.count))
            bestID.append(contentsOf: repeatElement(-1, count: bytes.count))
            let available = base + text.count
            while start + lookahead <= available {
                if furthestEnd <= start && settled < start {
                    guard handOut(upTo: start, emit: emit) else { return false }
                }
                process(end: available)
            }
            return true
        }

        /// Processes the rest of the text (it has all arrived) and hands out its last pieces.
        mutating func finish(emit: (ArraySlice<UInt8>, Int) -> Bool) {
            let end = base + text.count
            while start < end { process(end: end) }
            if settled < end { _ = handOut(upTo: end, emit: emit) }
        }

        /// Adds the edges from `start` (the text runs to `end`, or at least `lookahead` past
        /// `start`) and moves to the next character.
        private mutating func process(end: Int) {
            let here = start - base
            let scoreHere = bestScore[here]
            let characterLength = min(SentencePieceUTF8.announcedLength(text[here]), end - start)
            var hasSingleNode = false
            var node = PieceTrie.root
            var position = here
            let stop = end - base
            while position < stop, let next = pieces.child(node, text[position]) {
                node = next
                position += 1
                guard let id = pieces.value(node), !isUnused[id] else { continue }
                let length = position - here
                let score = isUserDefined[id] ? Double(Float(length) * maxScore) - 0.1 : Double(scores[id])
                let candidate = score + Double(scoreHere)
                if lastLength[position] == 0 || candidate > Double(bestScore[position]) {
                    bestScore[position] = Float(candidate)
                    lastLength[position] = UInt16(length)
                    bestID[position] = Int32(id)
                }
                if length == characterLength { hasSingleNode = true }
                furthestEnd = max(furthestEnd, base + position)
            }
            if !hasSingleNode {
                let end = here + characterLength
                let candidate = unknownScore + scoreHere
                if lastLength[end] == 0 || candidate > bestScore[end] {
                    bestScore[end] = candidate
                    lastLength[end] = UInt16(characterLength)
                    bestID[end] = unknownID
                }
                furthestEnd = max(furthestEnd, base + end)
            }
            start += characterLength
        }

        /// Hands out the best path's pieces from `settled` to `end` (a position every path
        /// passes), then drops the lattice before `end` once that is at least half of it.
        /// The path is walked back once, turning each position's link to its last piece into
        /// a link to the piece that starts there, then forward: no memory per piece.
        private mutating func handOut(upTo end: Int, emit: (ArraySlice<UInt8>, Int) -> Bool) -> Bool {
            var position = end - base
            let first = settled - base
            var nextLength: UInt16 = 0
            var nextID: Int32 = -1
            // Every position handed out was reached by a piece or an unknown edge, so the
            // walk back ends at `settled`; the guard only keeps a broken invariant from looping.
            while position > first {
                let length = Int(lastLength[position])
                guard length > 0, position - length >= first else { break }
                let id = bestID[position]
                lastLength[position] = nextLength
                bestID[position] = nextID
                nextLength = UInt16(length)
                nextID = id
                position -= length
            }
            settled = end
            guard position == first else { return true }
            lastLength[position] = nextLength
            bestID[position] = nextID
            let last = end - base
            while position < last {
                let length = Int(lastLength[position])
                guard length > 0 else { break }
                guard emit(text[position..<(position + length)], Int(bestID[position])) else { return false }
                position += length
            }
            let drop = settled - base
            if drop >= 4096 && drop >= text.count / 2 {
                text.removeFirst(drop)
                bestScore.removeFirst(drop)
                lastLength.removeFirst(drop)
                bestID.removeFirst(drop)
                base = settled
            }
            return true
        }
    }

    var unknownScore: Float { minScore - Self.unknownPenalty }
}
