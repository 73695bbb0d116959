/// Every way a safetensors file can break the format, each carrying what a user needs
/// to find the problem. `code` is a stable kebab-case name (also the prefix of the
/// invalid test vectors in Formats/vectors/safetensors/invalid/).
public enum SafetensorsError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileTooSmall(size: Int)
    case headerTooLarge(length: UInt64, limit: Int)
    case headerExceedsFile(length: UInt64, available: Int)
    case invalidUTF8
    case invalidJSON(reason: String)
    case headerNotObject(found: String)
    case invalidMetadata(key: String?, reason: String)
    case missingField(tensor: String, field: String)
    case invalidField(tensor: String, field: String, reason: String)
    case unknownDType(tensor: String, dtype: String)
    case invalidShape(tensor: String, reason: String)
    case shapeOverflow(tensor: String, shape: String)
    case misalignedSubByte(tensor: String, dtype: DType, elements: Int)
    case invalidOffsets(tensor: String, expectedBegin: UInt64, begin: UInt64, end: UInt64)
    case sizeMismatch(tensor: String, expected: Int, actual: UInt64)
    case truncated(expected: UInt64, actual: Int)
    case trailingBytes(expected: UInt64, actual: Int)

    /// Stable name of the broken rule.
    public var code: String {
        switch self {
        case .fileTooSmall: "file-too-small"
        case .headerTooLarge: "header-too-large"
        case .headerExceedsFile: "header-exceeds-file"
        case .invalidUTF8: "invalid-utf8"
        case .invalidJSON: "invalid-json"
        case .headerNotObject: "header-not-object"
        case .invalidMetadata: "invalid-metadata"
        case .missingField: "missing-field"
        case .invalidField: "invalid-field"
        case .unknownDType: "unknown-dtype"
        case .invalidShape: "invalid-shape"
        case .shapeOverflow: "shape-overflow"
        case .misalignedSubByte: "misaligned-sub-byte"
        case .invalidOffsets: "invalid-offsets"
        case .sizeMismatch: "size-mismatch"
        case .truncated: "truncated"
        case .trailingBytes: "trailing-bytes"
        }
    }

    /// The tensor the rule is about, if any.
    public var tensor: String? {
        switch self {
        case let .missingField(tensor, _), let .invalidField(tensor, _, _), let .unknownDType(tensor, _),
             let .invalidShape(tensor, _), let .shapeOverflow(tensor, _), let .misalignedSubByte(tensor, _, _),
             let .invalidOffsets(tensor, _, _, _), let .sizeMismatch(tensor, _, _):
            tensor
        default: nil
        }
    }

    public var description: String {
        let rule: String
        switch self {
        case let .fileTooSmall(size):
            rule = size == 0 ? "file is empty; a safetensors file starts with an 8-byte header length"
                : "file is \(size) bytes, too small for the 8-byte header length"
        case let .headerTooLarge(length, limit):
            rule = "header length \(length) exceeds the limit of \(limit) bytes"
        case let .headerExceedsFile(length, available):
            rule = "file is truncated: header declares \(length) bytes but only \(available) follow the length field"
        case .invalidUTF8:
            rule = "header is not valid UTF-8"
        case let .invalidJSON(reason):
            rule = "header is not valid JSON: \(reason)"
        case let .headerNotObject(found):
            rule = "header must be a JSON object, found \(found)"
        case let .invalidMetadata(key, reason):
            rule = key.map { "__metadata__ entry \"\($0)\": \(reason)" } ?? "__metadata__ \(reason)"
        case let .missingField(_, field):
            rule = "missing \"\(field)\""
        case let .invalidField(_, field, reason):
            rule = "\"\(field)\" \(reason)"
        case let .unknownDType(_, dtype):
            rule = "unknown dtype \"\(dtype)\" (known: \(DType.allCases.map(\.name).joined(separator: ", ")))"
        case let .invalidShape(_, reason):
            rule = "invalid shape: \(reason)"
        case let .shapeOverflow(_, shape):
            rule = "shape \(shape) has more elements than 64 bits can count"
        case let .misalignedSubByte(_, dtype, elements):
            rule = "\(elements) elements of \(dtype.name) (\(dtype.bitWidth) bits each) do not fill whole bytes"
        case let .invalidOffsets(_, expectedBegin, begin, end):
            if end < begin {
                rule = "data_offsets [\(begin), \(end)] end before they begin"
            } else if begin < expectedBegin {
                rule = "data_offsets [\(begin), \(end)] overlap the previous tensor, which ends at \(expectedBegin)"
            } else {
                rule = "data_offsets [\(begin), \(end)] leave a gap: expected to begin at \(expectedBegin)"
            }
        case let .sizeMismatch(_, expected, actual):
            rule = "data_offsets span \(actual) bytes but dtype and shape need \(expected)"
        case let .truncated(expected, actual):
            let percent = expected == 0 ? 0 : Double(actual) / Double(expected) * 100
            rule = "file is truncated: data section has \(actual) of \(expected) declared bytes "
                + "(\(String(format1: percent))%; interrupted download?)"
        case let .trailingBytes(expected, actual):
            rule = "\(UInt64(actual) - expected) unexpected bytes after the last tensor (data section is \(actual) bytes, tensors end at \(expected))"
        }
        if let tensor { return "tensor \"\(tensor)\": \(rule) [\(code)]" }
        return "\(rule) [\(code)]"
    }
}

extension String {
    /// One decimal place, without Foundation.
    init(format1 value: Double) {
        let tenths = (value * 10).rounded(.down)
        self = "\(Int(tenths) / 10).\(Int(tenths) % 10)"
    }
}
