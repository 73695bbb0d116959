/// Token sequences padded into one batch: ids, token types and the attention mask
/// (1 for real tokens, 0 for padding), all [batch, length].
public struct EncoderBatch: Sendable, Equatable {
    public let ids: [[Int]]
    public let typeIDs: [[Int]]
    public let mask: [[Int]]

    public var size: Int { ids.count }
    public var length: Int { ids.first?.count ?? 0 }

    /// Pads `sequences` on the right with `padID` to the longest one. `typeIDs`, when
    /// given, must match each sequence's length; zeros otherwise.
    public init(sequences: [[Int]], typeIDs: [[Int]]? = nil, padID: Int = 0) throws(EncoderError) {
        guard !sequences.isEmpty, sequences.allSatisfy({ !$0.isEmpty }) else { throw .badInput("no tokens to encode") }
        if let typeIDs {
            guard typeIDs.count == sequences.count, zip(typeIDs, sequences).allSatisfy({ $0.count == $1.count }) else {
                throw .badInput("token type ids must give one type per token of each sequence")
            }
        }
        let length = sequences.map(\.count).max()!
        ids = sequences.map { $0 + Array(repeating: padID, count: length - $0.count) }
        self.typeIDs = sequences.indices.map { index in
            (typeIDs?[index] ?? Array(repeating: 0, count: sequences[index].count)) + Array(repeating: 0, count: length - sequences[index].count)
        }
        mask = sequences.map { Array(repeating: 1, count: $0.count) + Array(repeating: 0, count: length - $0.count) }
    }

    /// An explicit batch (already padded), as the reference outputs store it.
    public init(ids: [[Int]], mask: [[Int]], typeIDs: [[Int]]? = nil) throws(EncoderError) {
        guard let length = ids.first?.count, ids.allSatisfy({ $0.count == length }), mask.count == ids.count,
              mask.allSatisfy({ $0.count == length }) else { throw .badInput("ids and mask must be [batch, length]") }
        self.ids = ids
        self.mask = mask
        self.typeIDs = typeIDs ?? ids.map { Array(repeating: 0, count: $0.count) }
    }
}

/// An encoder's output: last_hidden_state [batch, length, hidden] (rows are tokens).
public struct HiddenStates: Sendable {
    public let batch: Int
    public let length: Int
    public let states: Matrix

    public var hidden: Int { states.columns }

    /// The vector of token `position` in sequence `sequence`.
    public func vector(_ sequence: Int, _ position: Int) -> ArraySlice<Float> {
        states.row(sequence * length + position)
    }
}
