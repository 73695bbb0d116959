/// Why a set of tensors cannot be written as WeightPack: a value that does not fit the
/// field the format gives it. Checked before the output file is created.
public enum WeightPackLimitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A record's rank is a u8, and readers accept at most `WeightPackLayout.maximumRank`.
    case rankTooLarge(tensor: String, rank: Int, limit: Int)
    /// A header count or size (u32) or a record field would not fit.
    case fieldTooLarge(field: String, value: Int, limit: UInt64)
    /// The int8-per-row `param` (scales offset / 64, a u32) would not fit.
    case parameterTooLarge(tensor: String)

    public var code: String {
        switch self {
        case .rankTooLarge: "rank-too-large"
        case .fieldTooLarge: "field-too-large"
        case .parameterTooLarge: "parameter-too-large"
        }
    }

    public var description: String {
        switch self {
        case let .rankTooLarge(tensor, rank, limit):
            "tensor \"\(tensor)\": rank \(rank) exceeds WeightPack's maximum rank \(limit) [\(code)]"
        case let .fieldTooLarge(field, value, limit):
            "\(field) is \(value), more than WeightPack's \(field) field holds (\(limit)) [\(code)]"
        case let .parameterTooLarge(tensor):
            "tensor \"\(tensor)\": int8-per-row scales offset does not fit WeightPack's 32-bit param field [\(code)]"
        }
    }
}
