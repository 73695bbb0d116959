import WeightsKit

/// Encoding: the text is normalized and segmented as one stream (`SentencePieceNormalizer`,
/// `UnigramLattice.Segmenter`), so that what is held is the open part of the lattice, not the
/// whole text, and a caller that wants only the first ids stops as soon as they are settled.
///
/// A charsmap rule may write thousands of bytes for one character, so the normalized text
/// need not be small when the input is. The budgeted forms (`encode(utf8:maxIDs:bytesPerID:)`,
/// `count(utf8:)`) refuse with `MemoryLimitError` before what they hold (11 bytes per byte of
/// the open lattice, twice for growth, and what the caller keeps per id) exceeds what is
/// available (`MemoryBudget`: MemAvailable, `ulimit -v` or WEIGHTS_MEMORY_LIMIT).
extension SentencePieceModel {
    /// Memory below which no check is made.
    static let uncheckedBytes = 1 << 20

    /// The ids sentencepiece's `encode(text)` gives.
    public func encode(_ text: String) -> [Int] {
        encode(utf8: Array(text.utf8))
    }

    /// The ids of `encode` for bytes that need not be UTF-8 (an invalid byte normalizes to
    /// U+FFFD, as in sentencepiece). Nothing checks the memory this takes.
    public func encode(utf8 text: [UInt8]) -> [Int] {
        ids(utf8: text, maxIDs: nil, bytesPerID: 0, check: Self.noCheck)
    }

    /// The first `maxIDs` ids of `encode(utf8:)` (all of them for nil), refusing when the work
    /// would need more memory than is available; `bytesPerID` is what the caller keeps per id
    /// besides the id (a token's text, say). Stopping early gives the same ids as a whole
    /// run cut to `maxIDs`.
    public func encode(utf8 text: [UInt8], maxIDs: Int?, bytesPerID: Int = 0) throws(MemoryLimitError) -> [Int] {
        try ids(utf8: text, maxIDs: maxIDs, bytesPerID: bytesPerID, check: Self.checkMemory)
    }

    /// `encode(utf8:)` cut to `maxIDs`, asking `check` as `forEachID` says.
    func ids<E: Error>(utf8 text: [UInt8], maxIDs: Int?, bytesPerID: Int, check: (Int) throws(E) -> Void) throws(E) -> [Int] {
        var ids: [Int] = []
        if let maxIDs, maxIDs <= 0 { return ids }
        try forEachID(text, maxIDs: maxIDs, bytesPerID: MemoryLayout<Int>.size + bytesPerID, check: check) { id in
            ids.append(id)
            return maxIDs.map { ids.count < $0 } ?? true
        }
        return ids
    }

    /// How many ids `encode(utf8:)` gives, keeping none of them, refusing when the work would
    /// need more memory than is available.
    public func count(utf8 text: [UInt8]) throws(MemoryLimitError) -> Int {
        var count = 0
        try forEachID(text, maxIDs: nil, bytesPerID: 0, check: Self.checkMemory) { _ in
            count += 1
            return true
        }
        return count
    }

    static func noCheck(_ bytes: Int) {}

    static func checkMemory(_ bytes: Int) throws(MemoryLimitError) {
        try MemoryBudget.check("tokenizing a text with spm.model", bytes: bytes)
    }

    /// Calls `body` with each id in order until it returns false, as
    /// `SentencePieceProcessor::PopulateSentencePieceText` lays them out: an unknown piece
    /// becomes its bytes' <0xNN> pieces when the model has byte_fallback, else a run of
    /// unknown pieces becomes one unknown id. `check` is asked, as what is held grows by
    /// half, whether that much (doubled for growth, plus `bytesPerID` per id given) fits;
    /// before the last piece of text is segmented, with an id for each of its bytes (at most
    /// `maxIDs` in all), which is the most it can give.
    func forEachID<E: Error>(_ text: [UInt8], maxIDs: Int?, bytesPerID: Int, check: (Int) throws(E) -> Void,
                             _ body: (Int) -> Bool) throws(E) {
        var segmenter = UnigramLattice.Segmenter(lattice)
        var previousIsUnknown = false
        var given = 0
        var nextCheck = Self.uncheckedBytes
        func emit(_ bytes: ArraySlice<UInt8>, _ id: Int) -> Bool {
            let isUnknown = id == unknownID
            defer { previousIsUnknown = isUnknown }
            if isUnknown, let byteIDs {
                for byte in bytes {
                    given += 1
                    guard body(byteIDs[Int(byte)]) else { return false }
                }
            } else if !(isUnknown && previousIsUnknown) {
                given += 1
                return body(id)
            }
            return true
        }
        var stopped = false
        try normalizer.normalize(text) { (chunk: UnsafeBufferPointer<UInt8>) throws(E) -> Bool in
            guard segmenter.append(chunk, emit: emit) else {
                stopped = true
                return false
            }
            let held = Self.held(segmenter.footprint, ids: given, bytesPerID: bytesPerID)
            if held >= nextCheck {
                try check(held)
                nextCheck = held.addingReportingOverflow(held / 2).overflow ? Int.max : held + held / 2
            }
            return true
        }
        guard !stopped else { return }
        let most = MemoryBudget.sum([given, segmenter.openBytes]).map { min($0, maxIDs ?? .max) } ?? Int.max
        let held = Self.held(segmenter.footprint, ids: most, bytesPerID: bytesPerID)
        if held >= nextCheck { try check(held) }
        segmenter.finish(emit: emit)
    }

    /// Twice the open lattice, plus the ids; saturating at Int.max.
    private static func held(_ footprint: Int, ids: Int, bytesPerID: Int) -> Int {
        MemoryBudget.sum([MemoryBudget.product([2, footprint]), MemoryBudget.product([ids, bytesPerID])]) ?? Int.max
    }
}
