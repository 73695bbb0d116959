internal import CKernels

/// 8-bit quantization of F32 rows, bit-identical to the references.
///
/// | encoding | scale | q | zero input | reference |
/// | --- | --- | --- | --- | --- |
/// | Int8 per row | amax(row) / 127 (F32) | round half away from zero (x / scale), clamped to ±127 | scale 0, q 0 | numpy formula |
/// | Q8_0 (32-value blocks) | d = amax / 127, stored as F16 (numpy rounding) | roundf(x × (1/d)) | d 0, q 0 | ggml `quantize_row_q8_0_ref`, gguf-py |
///
/// Dequantized values are q × scale (Int8) and q × F32(d) (Q8_0), in F32. NaN inputs
/// are not meaningful to either scheme (amax ignores them; their q is unspecified).
public enum Quantizers {
    /// Quantizes `values` (a multiple of 32 long) into Q8_0 blocks: 34 bytes per 32
    /// values (an F16 scale, then 32 Int8s), `blocks` at least that long.
    public static func quantizeQ8_0(_ values: UnsafeBufferPointer<Float>, into blocks: UnsafeMutableRawBufferPointer) {
        precondition(values.count % 32 == 0 && blocks.count >= values.count / 32 * 34, "Q8_0 takes whole 32-value blocks into 34-byte blocks")
        guard let input = values.baseAddress, let output = blocks.baseAddress else { return }
        wk_quantize_q8_0(input, output.assumingMemoryBound(to: UInt8.self), values.count)
    }

    /// Quantizes one row into as many Int8s (`q` at least `values.count` bytes); returns
    /// its scale.
    public static func quantizeInt8Row(_ values: UnsafeBufferPointer<Float>, into q: UnsafeMutableRawBufferPointer) -> Float {
        precondition(q.count >= values.count, "one Int8 per value")
        guard let input = values.baseAddress, let output = q.baseAddress else { return 0 }
        return wk_quantize_int8_row(input, output.assumingMemoryBound(to: Int8.self), values.count)
    }

    static func dequantizeQ8_0(_ blocks: UnsafeRawBufferPointer, count: Int, into values: UnsafeMutableBufferPointer<Float>) {
        guard let input = blocks.baseAddress, let output = values.baseAddress else { return }
        wk_dequantize_q8_0(input.assumingMemoryBound(to: UInt8.self), output, count)
    }

    static func dequantizeInt8Row(_ q: UnsafeRawBufferPointer, scale: Float, into values: UnsafeMutableBufferPointer<Float>) {
        guard let input = q.baseAddress, let output = values.baseAddress else { return }
        wk_dequantize_int8_row(input.assumingMemoryBound(to: Int8.self), scale, output, values.count)
    }
}
