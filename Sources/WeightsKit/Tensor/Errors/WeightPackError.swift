/// Every way a WeightPack file can break the format (Formats/WeightPack.md). `code` is a
/// stable kebab-case name, also the prefix of the invalid test vectors.
public enum WeightPackError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileTooSmall(size: Int)
    case badMagic
    case unsupportedVersion(UInt16)
    case unknownFlags(UInt16)
    case reservedNotZero(field: String)
    case truncated(declared: UInt64, actual: Int)
    case trailingBytes(declared: UInt64, actual: Int)
    case headerSizeMismatch(declared: UInt64, computed: UInt64?)
    case headerChecksum(stored: UInt32, computed: UInt32)
    case invalidNames(reason: String)
    case invalidMetadata(reason: String)
    case invalidConfig
    case unknownCode(tensor: String, field: String, value: Int)
    case invalidShape(tensor: String, reason: String)
    case encodingMismatch(tensor: String, reason: String)
    case invalidOffset(tensor: String, expected: UInt64, actual: UInt64)
    case invalidSize(tensor: String, expected: UInt64, actual: UInt64)
    case payloadChecksum(tensor: String, stored: UInt32, computed: UInt32)
    case nonZeroPadding(tensor: String?, offset: Int)
    case decompression(tensor: String)

    public var code: String {
        switch self {
        case .fileTooSmall: "file-too-small"
        case .badMagic: "bad-magic"
        case .unsupportedVersion: "unsupported-version"
        case .unknownFlags: "unknown-flags"
        case .reservedNotZero: "reserved-not-zero"
        case .truncated: "truncated"
        case .trailingBytes: "trailing-bytes"
        case .headerSizeMismatch: "header-size-mismatch"
        case .headerChecksum: "header-checksum"
        case .invalidNames: "invalid-names"
        case .invalidMetadata: "invalid-metadata"
        case .invalidConfig: "invalid-config"
        case .unknownCode: "unknown-code"
        case .invalidShape: "invalid-shape"
        case .encodingMismatch: "encoding-mismatch"
        case .invalidOffset: "invalid-offset"
        case .invalidSize: "invalid-size"
        case .payloadChecksum: "payload-checksum"
        case .nonZeroPadding: "non-zero-padding"
        case .decompression: "decompression"
        }
    }

    public var tensor: String? {
        switch self {
        case let .unknownCode(tensor, _, _), let .invalidShape(tensor, _), let .encodingMismatch(tensor, _),
             let .invalidOffset(tensor, _, _), let .invalidSize(tensor, _, _), let .payloadChecksum(tensor, _, _),
             let .decompression(tensor):
            tensor
        case let .nonZeroPadding(tensor, _): tensor
        default: nil
        }
    }

    public var description: String {
        let rule: String
        switch self {
        case let .fileTooSmall(size): rule = "file is \(size) bytes, smaller than the 64-byte WeightPack header"
        case .badMagic: rule = "not a WeightPack file (magic bytes are not \"WPACK\\0\\r\\n\")"
        case let .unsupportedVersion(version): rule = "format version \(version) is not supported (this reader knows version 1)"
        case let .unknownFlags(flags): rule = "unknown header flags 0x\(String(flags, radix: 16)) (a newer writer?)"
        case let .reservedNotZero(field): rule = "reserved \(field) must be zero"
        case let .truncated(declared, actual):
            let percent = declared == 0 ? 0 : Double(actual) / Double(declared) * 100
            rule = "file is truncated: \(actual) of \(declared) declared bytes present (\(String(format1: percent))%; interrupted copy?)"
        case let .trailingBytes(declared, actual): rule = "file is \(actual) bytes but declares \(declared)"
        case let .headerSizeMismatch(declared, computed):
            rule = "header_bytes is \(declared) but the sections add up to \(computed.map(String.init) ?? "more than 2^63")"
        case let .headerChecksum(stored, computed):
            rule = "header CRC-32 mismatch (stored \(hex(stored)), computed \(hex(computed))): the header is damaged"
        case let .invalidNames(reason): rule = "names block: \(reason)"
        case let .invalidMetadata(reason): rule = "metadata block: \(reason)"
        case .invalidConfig: rule = "embedded config is not valid UTF-8"
        case let .unknownCode(_, field, value): rule = "unknown \(field) code \(value)"
        case let .invalidShape(_, reason): rule = "invalid shape: \(reason)"
        case let .encodingMismatch(_, reason): rule = reason
        case let .invalidOffset(_, expected, actual): rule = "payload offset \(actual), expected \(expected) (each payload starts at the next multiple of 64)"
        case let .invalidSize(_, expected, actual): rule = "stored size \(actual) bytes, expected \(expected)"
        case let .payloadChecksum(_, stored, computed):
            rule = "payload CRC-32 mismatch (stored \(hex(stored)), computed \(hex(computed))): the data is damaged"
        case let .nonZeroPadding(_, offset): rule = "padding byte at offset \(offset) is not zero"
        case .decompression: rule = "compressed payload does not inflate to its declared size"
        }
        if let tensor { return "tensor \"\(tensor)\": \(rule) [\(code)]" }
        return "\(rule) [\(code)]"
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
