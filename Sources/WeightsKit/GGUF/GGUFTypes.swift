/// The numbers of the GGUF container (ggml's docs/gguf.md, gguf-py's constants.py).
///
/// A GGUF file is, little-endian throughout:
/// ```
/// struct gguf_header {
///     uint32_t magic;            // "GGUF" = 0x46554747 read as a little-endian u32
///     uint32_t version;          // 2 or 3 (1 used 32-bit counts and is refused)
///     uint64_t tensor_count;
///     uint64_t metadata_kv_count;
///     gguf_kv  metadata[metadata_kv_count];      // key (gguf_string), u32 value type, value
///     gguf_tensor_info tensors[tensor_count];    // name, u32 n_dims, u64 ne[n_dims], u32 type, u64 offset
///     uint8_t  padding[];        // zeros up to a multiple of general.alignment (default 32)
///     uint8_t  data[];           // tensor payloads, each at data start + offset (offset aligned)
/// };
/// struct gguf_string { uint64_t length; uint8_t bytes[length]; }   // not NUL-terminated
/// ```
/// `ne[0]` is the fastest-varying dimension (the columns); the row-major shape numpy and
/// gguf-py show is `ne` reversed.
public enum GGUF {
    /// "GGUF" as bytes 47 47 55 46; read as a little-endian u32.
    public static let magic: UInt32 = 0x4655_4747
    public static let magicBytes: [UInt8] = Array("GGUF".utf8)
    /// The version writers produce.
    public static let version: UInt32 = 3
    /// Versions this reader accepts (v1 had 32-bit counts and lengths).
    public static let readableVersions: ClosedRange<UInt32> = 2...3
    /// Alignment of the data section and of every tensor offset when `general.alignment` is absent.
    public static let defaultAlignment = 32
    /// The metadata key that overrides the alignment (a u32, a power of two).
    public static let alignmentKey = "general.alignment"
    /// gguf.cpp's cap on n_dims (GGML_MAX_DIMS).
    public static let maxDimensions = 4
    /// Values per super-block of the k-quants (QK_K).
    public static let superBlockLength = 256
}

/// The type tag of a metadata value (gguf-py's `GGUFValueType`, same numbering).
public enum GGUFValueType: UInt32, Sendable, Hashable, CaseIterable {
    case uint8 = 0
    case int8 = 1
    case uint16 = 2
    case int16 = 3
    case uint32 = 4
    case int32 = 5
    case float32 = 6
    case bool = 7
    case string = 8
    case array = 9
    case uint64 = 10
    case int64 = 11
    case float64 = 12

    /// Bytes of one value of a fixed-size type; nil for string and array.
    public var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: 1
        case .uint16, .int16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64: 8
        case .string, .array: nil
        }
    }

    /// The spelling gguf-py uses ("UINT32", "STRING", ...).
    public var name: String {
        switch self {
        case .uint8: "UINT8"
        case .int8: "INT8"
        case .uint16: "UINT16"
        case .int16: "INT16"
        case .uint32: "UINT32"
        case .int32: "INT32"
        case .float32: "FLOAT32"
        case .bool: "BOOL"
        case .string: "STRING"
        case .array: "ARRAY"
        case .uint64: "UINT64"
        case .int64: "INT64"
        case .float64: "FLOAT64"
        }
    }
}

/// A ggml tensor type (gguf-py's `GGMLQuantizationType`, same numbering; the gaps 4, 5,
/// 31-33, 36-38 are types ggml removed). Every type stores whole blocks of `blockLength`
/// values in `blockBytes` bytes along ne[0] (the rows).
public enum GGMLType: UInt32, Sendable, Hashable, CaseIterable {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q5_0 = 6
    case q5_1 = 7
    case q8_0 = 8
    case q8_1 = 9
    case q2_K = 10
    case q3_K = 11
    case q4_K = 12
    case q5_K = 13
    case q6_K = 14
    case q8_K = 15
    case iq2_XXS = 16
    case iq2_XS = 17
    case iq3_XXS = 18
    case iq1_S = 19
    case iq4_NL = 20
    case iq3_S = 21
    case iq2_S = 22
    case iq4_XS = 23
    case i8 = 24
    case i16 = 25
    case i32 = 26
    case i64 = 27
    case f64 = 28
    case iq1_M = 29
    case bf16 = 30
    case tq1_0 = 34
    case tq2_0 = 35
    case mxfp4 = 39
    case nvfp4 = 40
    case q1_0 = 41

    /// The spelling gguf-py and llama.cpp use ("F32", "Q4_0", "IQ2_XXS", ...).
    public var name: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q5_0: "Q5_0"
        case .q5_1: "Q5_1"
        case .q8_0: "Q8_0"
        case .q8_1: "Q8_1"
        case .q2_K: "Q2_K"
        case .q3_K: "Q3_K"
        case .q4_K: "Q4_K"
        case .q5_K: "Q5_K"
        case .q6_K: "Q6_K"
        case .q8_K: "Q8_K"
        case .iq2_XXS: "IQ2_XXS"
        case .iq2_XS: "IQ2_XS"
        case .iq3_XXS: "IQ3_XXS"
        case .iq1_S: "IQ1_S"
        case .iq4_NL: "IQ4_NL"
        case .iq3_S: "IQ3_S"
        case .iq2_S: "IQ2_S"
        case .iq4_XS: "IQ4_XS"
        case .i8: "I8"
        case .i16: "I16"
        case .i32: "I32"
        case .i64: "I64"
        case .f64: "F64"
        case .iq1_M: "IQ1_M"
        case .bf16: "BF16"
        case .tq1_0: "TQ1_0"
        case .tq2_0: "TQ2_0"
        case .mxfp4: "MXFP4"
        case .nvfp4: "NVFP4"
        case .q1_0: "Q1_0"
        }
    }

    /// The type spelled as gguf-py spells it ("Q4_0"), if any.
    public init?(name: String) {
        guard let type = GGMLType.allCases.first(where: { $0.name == name }) else { return nil }
        self = type
    }

    /// Values per block (gguf-py's `GGML_QUANT_SIZES[type][0]`).
    public var blockLength: Int {
        switch self {
        case .f32, .f16, .bf16, .i8, .i16, .i32, .i64, .f64: 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q8_1, .iq4_NL, .mxfp4: 32
        case .nvfp4: 64
        case .q1_0: 128
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q8_K, .iq2_XXS, .iq2_XS, .iq3_XXS, .iq1_S, .iq3_S,
             .iq2_S, .iq4_XS, .iq1_M, .tq1_0, .tq2_0: GGUF.superBlockLength
        }
    }

    /// Bytes per block (gguf-py's `GGML_QUANT_SIZES[type][1]`).
    public var blockBytes: Int {
        let k = GGUF.superBlockLength
        return switch self {
        case .f32: 4
        case .f16: 2
        case .q4_0: 2 + 16
        case .q4_1: 2 + 2 + 16
        case .q5_0: 2 + 4 + 16
        case .q5_1: 2 + 2 + 4 + 16
        case .q8_0: 2 + 32
        case .q8_1: 4 + 4 + 32
        case .q2_K: 2 + 2 + k / 16 + k / 4
        case .q3_K: 2 + k / 4 + k / 8 + 12
        case .q4_K: 2 + 2 + k / 2 + 12
        case .q5_K: 2 + 2 + k / 2 + k / 8 + 12
        case .q6_K: 2 + k / 2 + k / 4 + k / 16
        case .q8_K: 4 + k + k / 8
        case .iq2_XXS: 2 + k / 4
        case .iq2_XS: 2 + k / 4 + k / 32
        case .iq3_XXS: 2 + k / 4 + k / 8
        case .iq1_S: 2 + k / 8 + k / 16
        case .iq4_NL: 2 + 16
        case .iq3_S: 2 + k / 4 + k / 8 + k / 32 + 4
        case .iq2_S: 2 + k / 4 + k / 16
        case .iq4_XS: 2 + 2 + k / 2 + k / 64
        case .i8: 1
        case .i16: 2
        case .i32: 4
        case .i64: 8
        case .f64: 8
        case .iq1_M: k / 8 + k / 16 + k / 32
        case .bf16: 2
        case .tq1_0: 2 + 4 * 13
        case .tq2_0: 2 + 64
        case .mxfp4: 1 + 16
        case .nvfp4: 4 + 32
        case .q1_0: 2 + 16
        }
    }

    /// True for types that store one plain element per value (no blocks, no scales).
    public var isPlain: Bool { blockLength == 1 }

    /// The project's element type for a plain ggml type; nil for the quantized ones.
    public var plainDType: DType? {
        switch self {
        case .f32: .f32
        case .f16: .f16
        case .bf16: .bf16
        case .f64: .f64
        case .i8: .i8
        case .i16: .i16
        case .i32: .i32
        case .i64: .i64
        default: nil
        }
    }

    /// The ggml type that stores `dtype` as it is; nil when ggml has none (U8, BOOL, F8...).
    public init?(plain dtype: DType) {
        guard let type = GGMLType.allCases.first(where: { $0.plainDType == dtype }) else { return nil }
        self = type
    }

    /// Bytes `elements` values take (a multiple of `blockLength`), nil when they are not
    /// whole blocks or the product overflows.
    public func byteCount(elements: Int) -> Int? {
        guard elements >= 0, elements % blockLength == 0 else { return nil }
        let (bytes, overflow) = (elements / blockLength).multipliedReportingOverflow(by: blockBytes)
        return overflow ? nil : bytes
    }
}

/// One metadata value, as the file stores it. Strings keep their exact bytes (GGUF does not
/// require UTF-8 of values; `text` decodes them when they are). Arrays are packed
/// (`GGUFArray`: their element type, so an empty array still says what it holds, and one
/// buffer of element bytes, decoded as read); they may nest.
public enum GGUFMetadataValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case float32(Float)
    case bool(Bool)
    case string([UInt8])
    case array(GGUFArray)
    case uint64(UInt64)
    case int64(Int64)
    case float64(Double)

    /// A string value from text.
    public static func text(_ string: String) -> GGUFMetadataValue { .string(Array(string.utf8)) }

    /// The value's type tag.
    public var type: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .float32: .float32
        case .bool: .bool
        case .string: .string
        case .array: .array
        case .uint64: .uint64
        case .int64: .int64
        case .float64: .float64
        }
    }

    /// The string as text when it is valid UTF-8; nil for other values.
    public var text: String? {
        guard case let .string(bytes) = self else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }

    /// An integer value of any width (bool excluded) as Int, when it fits.
    public var integer: Int? {
        switch self {
        case let .uint8(v): Int(v)
        case let .int8(v): Int(v)
        case let .uint16(v): Int(v)
        case let .int16(v): Int(v)
        case let .uint32(v): Int(v)
        case let .int32(v): Int(v)
        case let .uint64(v): Int(exactly: v)
        case let .int64(v): Int(v)
        default: nil
        }
    }

    /// A floating-point or integer value as Double.
    public var number: Double? {
        switch self {
        case let .float32(v): Double(v)
        case let .float64(v): v
        default: integer.map(Double.init)
        }
    }

    /// The type and, for a scalar, the value, never long, for error messages: "STRING "mean"",
    /// "FLOAT32 -1.0", "ARRAY of 3 INT32".
    var brief: String {
        switch self {
        case let .string(bytes):
            let shown = text.map { $0.count > 40 ? String($0.prefix(40)) + "..." : $0 }
            return shown.map { "STRING \"\($0)\"" } ?? "STRING of \(bytes.count) bytes, not UTF-8"
        case let .array(elements): return "ARRAY of \(elements.count) \(elements.elementType.name)"
        case let .float32(v): return "FLOAT32 \(v)"
        case let .float64(v): return "FLOAT64 \(v)"
        case let .bool(v): return "BOOL \(v)"
        case let .uint64(v): return "UINT64 \(v)"
        case let .int64(v): return "INT64 \(v)"
        default: return "\(type.name) \(integer.map(String.init) ?? "?")"
        }
    }

    /// The elements of an array value.
    public var elements: GGUFArray? {
        guard case let .array(values) = self else { return nil }
        return values
    }
}

/// One key-value pair of a GGUF header, in file order.
public struct GGUFMetadataEntry: Sendable, Equatable {
    public let key: String
    public let value: GGUFMetadataValue

    public init(key: String, value: GGUFMetadataValue) {
        self.key = key
        self.value = value
    }

    public static func == (left: GGUFMetadataEntry, right: GGUFMetadataEntry) -> Bool {
        left.key.isByteEqual(to: right.key) && left.value == right.value
    }
}
