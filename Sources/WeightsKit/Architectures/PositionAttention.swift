/// Which position terms DeBERTa's disentangled attention adds to content·content
/// (`pos_att_type`): content→position and/or position→content.
///
/// Read from "c2p" and "p2c", case-insensitively, as a list or one "c2p|p2c" string;
/// other entries ("p2p" of DeBERTa v1) are ignored, as transformers' `DebertaV2Model` does.
public struct PositionAttention: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// "c2p": queries attend to relative positions through the position keys.
    public static let contentToPosition = PositionAttention(rawValue: 1 << 0)
    /// "p2c": relative positions attend to keys through the position queries.
    public static let positionToContent = PositionAttention(rawValue: 1 << 1)

    /// The config names of the known terms, in the order above.
    static let names: [(String, PositionAttention)] = [("c2p", .contentToPosition), ("p2c", .positionToContent)]

    /// The terms named in `entries` (lowercased, trimmed), unknown names ignored.
    init(names entries: [String]) {
        self = []
        for (name, term) in PositionAttention.names where entries.contains(name) { insert(term) }
    }

    /// "c2p|p2c", or "none".
    public var description: String {
        let named = PositionAttention.names.filter { contains($0.1) }.map(\.0)
        return named.isEmpty ? "none" : named.joined(separator: "|")
    }
}

/// Whether DeBERTa's relative-position embeddings go through a LayerNorm (`norm_rel_ebd`).
///
/// transformers checks `"layer_norm" in norm_rel_ebd.split("|")`; any other entry
/// ("none") leaves them as they are, so only that one name matters here too.
enum RelativeEmbeddingNorm: String, Sendable, CaseIterable, CustomStringConvertible {
    case none
    case layerNorm = "layer_norm"

    /// `layerNorm` when "layer_norm" is among the entries (lowercased, trimmed).
    init(names entries: [String]) {
        self = entries.contains(RelativeEmbeddingNorm.layerNorm.rawValue) ? .layerNorm : .none
    }

    var description: String { rawValue }
}
