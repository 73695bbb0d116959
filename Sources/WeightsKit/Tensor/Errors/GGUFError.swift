/// Every rule of the GGUF container (ggml's docs/gguf.md) a file can break, checked as
/// ggml's gguf.cpp checks them, before each read and each allocation. `code` is stable
/// (the expected codes of Formats/vectors/gguf/invalid/manifest.json).
public enum GGUFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The first four bytes are not "GGUF".
    case badMagic
    /// The version reads as a huge number whose low 16 bits are zero: the file was written big-endian.
    case bigEndian(version: UInt32)
    /// Version 0, 1 (32-bit counts) or newer than 3.
    case unsupportedVersion(UInt32)
    /// The file ends inside `section` (the header, a key, a tensor's info, the data section).
    case truncated(section: String)
    /// A count (tensors, keys) larger than the bytes left could hold.
    case countTooLarge(what: String, count: UInt64, limit: Int)
    /// A string's length exceeds the bytes left (or gguf.cpp's 1 GiB cap).
    case stringTooLong(section: String, length: UInt64, remaining: Int)
    /// An array's element count exceeds what the bytes left can hold (or gguf.cpp's 2^30 cap).
    case arrayTooLong(key: String, count: UInt64, limit: Int)
    /// Arrays nested deeper than the reader follows.
    case arrayTooDeep(key: String, limit: Int)
    /// A metadata value type that is not one of the 13.
    case badValueType(key: String, type: UInt32)
    /// A key of length zero.
    case emptyKey(index: Int)
    /// A key or tensor name that is not UTF-8.
    case invalidUTF8(section: String)
    /// The same key twice (compared by bytes).
    case duplicateKey(key: String)
    /// `general.alignment` that is not a u32, or not a power of two.
    case badAlignment(reason: String)
    /// A tensor name of 64 bytes or more (ggml's GGML_MAX_NAME).
    case nameTooLong(tensor: String, length: Int)
    /// The same tensor name twice.
    case duplicateTensor(tensor: String)
    /// More than 4 dimensions.
    case tooManyDimensions(tensor: String, count: UInt32)
    /// A dimension that does not fit a signed 64-bit count.
    case badDimension(tensor: String, index: Int, value: UInt64)
    /// The element count or byte size overflows.
    case shapeOverflow(tensor: String)
    /// A tensor type number ggml does not define (or defined once and removed).
    case badTensorType(tensor: String, type: UInt32)
    /// ne[0] (the row length) is not a multiple of the type's block length.
    case rowNotWholeBlocks(tensor: String, type: String, columns: Int, block: Int)
    /// A tensor offset that is not a multiple of the alignment.
    case offsetMisaligned(tensor: String, offset: UInt64, alignment: Int)
    /// A tensor starting inside the previous one.
    case tensorOverlap(tensor: String, offset: UInt64, expected: Int)
    /// A tensor not where gguf.cpp expects it: right after the previous one, padded.
    case offsetUnexpected(tensor: String, offset: UInt64, expected: Int)
    /// A tensor's bytes reach past the end of the file.
    case dataOutOfRange(tensor: String, end: UInt64, fileSize: Int)
    /// A tensor whose ggml type this version lists but cannot decode to floats.
    case unsupportedType(tensor: String, type: String)

    public var code: String {
        switch self {
        case .badMagic: "gguf-bad-magic"
        case .bigEndian: "gguf-big-endian"
        case .unsupportedVersion: "gguf-unsupported-version"
        case .truncated: "gguf-truncated"
        case .countTooLarge: "gguf-count-too-large"
        case .stringTooLong: "gguf-string-too-long"
        case .arrayTooLong: "gguf-array-too-long"
        case .arrayTooDeep: "gguf-array-too-deep"
        case .badValueType: "gguf-bad-value-type"
        case .emptyKey: "gguf-empty-key"
        case .invalidUTF8: "gguf-invalid-utf8"
        case .duplicateKey: "gguf-duplicate-key"
        case .badAlignment: "gguf-bad-alignment"
        case .nameTooLong: "gguf-name-too-long"
        case .duplicateTensor: "gguf-duplicate-tensor"
        case .tooManyDimensions: "gguf-too-many-dimensions"
        case .badDimension: "gguf-bad-dimension"
        case .shapeOverflow: "gguf-shape-overflow"
        case .badTensorType: "gguf-bad-tensor-type"
        case .rowNotWholeBlocks: "gguf-row-not-whole-blocks"
        case .offsetMisaligned: "gguf-offset-misaligned"
        case .tensorOverlap: "gguf-tensor-overlap"
        case .offsetUnexpected: "gguf-offset-unexpected"
        case .dataOutOfRange: "gguf-data-out-of-range"
        case .unsupportedType: "unsupported-gguf-type"
        }
    }

    /// The tensor the rule is about, if any.
    public var tensor: String? {
        switch self {
        case let .nameTooLong(tensor, _), let .duplicateTensor(tensor), let .tooManyDimensions(tensor, _),
             let .badDimension(tensor, _, _), let .shapeOverflow(tensor), let .badTensorType(tensor, _),
             let .rowNotWholeBlocks(tensor, _, _, _), let .offsetMisaligned(tensor, _, _), let .tensorOverlap(tensor, _, _),
             let .offsetUnexpected(tensor, _, _), let .dataOutOfRange(tensor, _, _), let .unsupportedType(tensor, _): tensor
        default: nil
        }
    }

    public var description: String {
        let rule = switch self {
        case .badMagic: "does not start with \"GGUF\""
        case let .bigEndian(version):
            "version reads as \(version): the file was written big-endian, which this reader does not read; convert it on a little-endian machine"
        case let .unsupportedVersion(version):
            version == 1 ? "GGUF version 1 is no longer supported (it used 32-bit counts); re-convert the model"
                : "GGUF version \(version) is not one this reader knows (2 or 3)"
        case let .truncated(section): "file ends inside \(section) (truncated file?)"
        case let .countTooLarge(what, count, limit): "\(what) count \(count) is more than the rest of the file could hold (at most \(limit))"
        case let .stringTooLong(section, length, remaining): "\(section): string length \(length) exceeds the \(remaining) bytes left (or 1 GiB)"
        case let .arrayTooLong(key, count, limit): "key \"\(key)\": array of \(count) elements is more than the rest of the file could hold (at most \(limit))"
        case let .arrayTooDeep(key, limit): "key \"\(key)\": arrays nested more than \(limit) deep"
        case let .badValueType(key, type): "key \"\(key)\": value type \(type) is not a GGUF type (0-12)"
        case let .emptyKey(index): "key \(index) is empty"
        case let .invalidUTF8(section): "\(section) is not valid UTF-8"
        case let .duplicateKey(key): "key \"\(key)\": defined twice"
        case let .badAlignment(reason): "general.alignment \(reason)"
        case let .nameTooLong(tensor, length): "tensor \"\(tensor)\": name is \(length) bytes; ggml allows at most 63"
        case let .duplicateTensor(tensor): "tensor \"\(tensor)\": defined twice"
        case let .tooManyDimensions(tensor, count): "tensor \"\(tensor)\": \(count) dimensions; GGUF allows at most 4"
        case let .badDimension(tensor, index, value): "tensor \"\(tensor)\": dimension ne[\(index)] = \(value) is negative as a signed 64-bit count"
        case let .shapeOverflow(tensor): "tensor \"\(tensor)\": element count or byte size overflows"
        case let .badTensorType(tensor, type): "tensor \"\(tensor)\": type \(type) is not a ggml tensor type"
        case let .rowNotWholeBlocks(tensor, type, columns, block):
            "tensor \"\(tensor)\": rows of \(columns) values are not whole \(type) blocks of \(block)"
        case let .offsetMisaligned(tensor, offset, alignment): "tensor \"\(tensor)\": offset \(offset) is not a multiple of the alignment \(alignment)"
        case let .tensorOverlap(tensor, offset, expected): "tensor \"\(tensor)\": offset \(offset) overlaps the previous tensor (which ends, padded, at \(expected))"
        case let .offsetUnexpected(tensor, offset, expected):
            "tensor \"\(tensor)\": offset \(offset), expected \(expected) (tensors follow each other, each padded to the alignment)"
        case let .dataOutOfRange(tensor, end, fileSize): "tensor \"\(tensor)\": data ends at byte \(end), past the end of the \(fileSize)-byte file (truncated file?)"
        case let .unsupportedType(tensor, type): "tensor \"\(tensor)\": GGUF type \(type) cannot be decoded by this version (F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 and integer types can)"
        }
        return "\(rule) [\(code)]"
    }
}
