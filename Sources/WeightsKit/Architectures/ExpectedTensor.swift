/// One tensor an architecture has, as a config implies it: its role, its canonical name
/// (no prefix, current LayerNorm spelling), its shape, and how strictly it is expected.
public struct ExpectedTensor: Sendable, Hashable {
    /// What kind of values the tensor holds, which decides the checks that make sense:
    /// an all-zero matrix or table is a broken export, an all-zero bias is not.
    public enum Kind: Sendable, Hashable {
        /// A linear or convolution weight: float, never all zero.
        case matrix
        /// An embedding table: float, never all zero.
        case table
        /// A bias or LayerNorm parameter: float, may be zero.
        case vector
        /// An index buffer (`position_ids`): integers, not checked for dtype or values.
        case buffer
    }

    public enum Presence: Sendable, Hashable {
        /// The architecture cannot run without it.
        case required
        /// Used when present (the pooler, index buffers).
        case optional
        /// Accepted but unused, because the config turns it off (DeBERTa's position
        /// embeddings when `position_biased_input` is false; transformers ignores them too).
        case tolerated
    }

    public let role: TensorRole
    public let name: String
    public let shape: Shape
    public let kind: Kind
    let presence: Presence

    public init(role: TensorRole, name: String, shape: Shape, kind: Kind, presence: Presence) {
        self.role = role
        self.name = name
        self.shape = shape
        self.kind = kind
        self.presence = presence
    }

    /// True when the values must be floating point (or a quantized encoding of floats).
    var needsFloat: Bool { kind != .buffer }

    /// True when all-zero values mean the tensor was lost (weights and embedding tables).
    var mustNotBeZero: Bool { (kind == .matrix || kind == .table) && presence != .tolerated }
}
