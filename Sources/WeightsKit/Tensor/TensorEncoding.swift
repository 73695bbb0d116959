/// How a tensor's values are stored.
///
/// `plain` stores elements of the tensor's dtype. The quantized encodings store the
/// values of a floating-point tensor (whose original dtype `TensorInfo.dtype` keeps) as
/// 8-bit integers with scales:
///
/// | encoding | payload | value |
/// | --- | --- | --- |
/// | `int8PerRow` | rows × cols int8, zero padding to a multiple of 64, rows × F32 scale | q × scale[row] |
/// | `q8_0` | per 32 values: F16 scale d, then 32 int8 (ggml's `block_q8_0`, 34 bytes) | q × d |
/// | `q4_0` | per 32: F16 d, 16 bytes of nibbles (value j low nibble of byte j, value j+16 high) | (q − 8) × d |
/// | `q4_1` | per 32: F16 d, F16 m, 16 bytes of nibbles | q × d + m |
/// | `q5_0` | per 32: F16 d, u32 of fifth bits (bit j for value j), 16 bytes of nibbles | (q − 16) × d |
/// | `q5_1` | per 32: F16 d, F16 m, u32 of fifth bits, 16 bytes of nibbles | q × d + m |
/// | `ggml` | blocks of another ggml type (k-quants, i-quants, ...), named by the GGUF header | not decoded |
///
/// The q4/q5 encodings and `ggml` come only from GGUF files (ggml's block layouts, decoded
/// as gguf-py's `gguf.quants.dequantize` decodes them); no writer produces them.
///
/// Rows are the last dimension; every other dimension counts rows (a scalar is one row of one).
public enum TensorEncoding: String, Sendable, Hashable, CaseIterable {
    case plain
    case int8PerRow = "int8-per-row"
    case q8_0 = "q8_0"
    case q4_0 = "q4_0"
    case q4_1 = "q4_1"
    case q5_0 = "q5_0"
    case q5_1 = "q5_1"
    case ggml = "ggml"

    /// Values per Q8_0 block, and the bytes one block takes.
    static let q8BlockLength = 32
    static let q8BlockBytes = 34

    /// Values per block and bytes per block of the ggml block encodings this version decodes.
    var ggmlBlock: (length: Int, bytes: Int)? {
        switch self {
        case .q8_0: (32, 34)
        case .q4_0: (32, 18)
        case .q4_1: (32, 20)
        case .q5_0: (32, 22)
        case .q5_1: (32, 24)
        case .plain, .int8PerRow, .ggml: nil
        }
    }

    /// True when `TensorView.floats()` can decode the encoding (with a decodable dtype when plain).
    public var isDecodable: Bool { self != .ggml }

    /// (rows, columns) as the quantized encodings see a shape.
    static func rowsAndColumns(_ shape: Shape) -> (rows: Int, columns: Int)? {
        guard let count = shape.elementCount else { return nil }
        guard let columns = shape.dims.last else { return (1, 1) }
        return (columns == 0 ? 0 : count / columns, columns)
    }

    /// Bytes of the int8 values before the scales of an `int8PerRow` payload.
    static func int8ScalesOffset(rows: Int, columns: Int) -> Int? {
        let (values, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, values <= Int.max - 63 else { return nil }
        return (values + 63) / 64 * 64
    }

    /// Payload bytes for `shape` (whose values were `dtype`) in this encoding, or nil when
    /// the shape does not fit it (overflow; Q8_0 rows not a multiple of 32).
    func payloadBytes(shape: Shape, dtype: DType) -> Int? {
        switch self {
        case .plain:
            return shape.byteCount(for: dtype)
        case .int8PerRow:
            guard let (rows, columns) = TensorEncoding.rowsAndColumns(shape),
                  let scales = TensorEncoding.int8ScalesOffset(rows: rows, columns: columns) else { return nil }
            let (total, overflow) = scales.addingReportingOverflow(rows.multipliedReportingOverflow(by: 4).partialValue)
            return overflow || rows > Int.max / 4 ? nil : total
        case .q8_0, .q4_0, .q4_1, .q5_0, .q5_1:
            guard let block = ggmlBlock, let (_, columns) = TensorEncoding.rowsAndColumns(shape), shape.rank > 0,
                  columns % block.length == 0, let count = shape.elementCount else { return nil }
            let (total, overflow) = (count / block.length).multipliedReportingOverflow(by: block.bytes)
            return overflow ? nil : total
        case .ggml:
            return nil
        }
    }
}
