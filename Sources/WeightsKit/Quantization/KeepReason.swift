/// Why `ConversionPolicy` leaves a tensor as it is: one case per rule, so callers can
/// count, test and word them; `description` is the wording for a library user.
public enum KeepReason: Sendable, Hashable, CustomStringConvertible {
    /// Integers and booleans are never converted.
    case notFloatingPoint(DType)
    /// A float type whose values are not decoded (F4, F6: sub-byte packings); kept as stored.
    case floatNotDecoded(DType)
    /// Already stored as the target element type.
    case alreadyTarget(DType)
    /// Already stored in the target's quantized encoding.
    case alreadyEncoded(TensorEncoding)
    /// Quantized in another encoding; re-quantizing goes through F32.
    case alreadyQuantized(TensorEncoding)
    /// Matched by this keep pattern.
    case keepPattern(String)
    /// Only-patterns were given and none matches.
    case notMatchedByOnlyPatterns
    /// Default rules: normalisation weights and position tables stay exact.
    case layerNorm
    case relativePositionEmbeddings
    case positionEmbeddings
    case nameNotEndingInWeight
    case fewerThanTwoDimensions
    case fewerThanMinimumElements
    /// Q8_0 blocks of 32 do not tile the last dimension.
    case rowsNotMultipleOfBlock(Shape)
    /// No conversion was asked for (a plan without a policy).
    case noTarget

    public var description: String {
        switch self {
        case let .notFloatingPoint(dtype): "not a floating-point tensor (\(dtype.name))"
        case let .floatNotDecoded(dtype): "\(dtype.name) values are not decoded; kept as stored"
        case let .alreadyTarget(dtype): "already \(dtype.name)"
        case let .alreadyEncoded(encoding): "already \(encoding.rawValue)"
        case let .alreadyQuantized(encoding): "already quantized (\(encoding.rawValue)); convert to f32 first to re-quantize"
        case let .keepPattern(pattern): "matches keep pattern \(pattern)"
        case .notMatchedByOnlyPatterns: "matched by no only-pattern"
        case .layerNorm: "LayerNorm"
        case .relativePositionEmbeddings: "relative-position embeddings"
        case .positionEmbeddings: "position embeddings"
        case .nameNotEndingInWeight: "name does not end in \"weight\""
        case .fewerThanTwoDimensions: "fewer than 2 dimensions"
        case .fewerThanMinimumElements: "fewer than 1,024 elements"
        case let .rowsNotMultipleOfBlock(shape): "q8_0 needs rows that are a multiple of 32 (shape \(shape))"
        case .noTarget: "no target dtype given"
        }
    }
}
