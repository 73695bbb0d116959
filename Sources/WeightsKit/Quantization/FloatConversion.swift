internal import CKernels

/// Narrowing and widening float conversions, bit-identical to the reference libraries.
///
/// | conversion | rounding | overflow | NaN | reference |
/// | --- | --- | --- | --- | --- |
/// | F32 → F16 | nearest, ties to even | ±Inf | payload kept (top 10 bits; a payload that would vanish becomes 1) | numpy `astype(float16)` |
/// | F64 → F16 | nearest even, directly from F64 (one rounding) | ±Inf | as above, from the F64 payload | numpy |
/// | BF16 → F16 | nearest even (BF16 → F32 is exact) | ±Inf | quiet NaN 0x7E00 with the sign | ml_dtypes |
/// | F32 → BF16 | nearest, ties to even | ±Inf | quiet NaN 0x7FC0 with the sign | ml_dtypes `bfloat16` |
/// | F64 → BF16 | F64 → F32 (nearest even), then F32 → BF16 | ±Inf | 0x7FC0 with the sign | ml_dtypes |
/// | F16 → BF16 | nearest even (F16 → F32 is exact) | cannot | 0x7FC0 with the sign | ml_dtypes |
/// | F16/BF16/F32 → F32 | exact | cannot | payload kept | numpy |
///
/// ±0 keeps its sign; subnormals round like every other value (F16 has subnormals down
/// to 2^-24; values below 2^-25 become ±0, 2^-25 itself ties to 0). The F16C/AVX2 paths
/// (chosen at run time) give the same bits as the portable ones.
public enum FloatConversion {
    /// Target dtypes a float tensor can be converted to.
    static let targets: Set<DType> = [.f16, .bf16, .f32]

    /// Converts `count` elements of `source` (stored as `from`) into `destination` as `to`.
    /// Supported: F32/F64/F16/BF16 → F16, BF16, F32 (same-type is a copy).
    public static func convert(_ source: UnsafeRawBufferPointer, from: DType, to: DType, count: Int,
                               into destination: UnsafeMutableRawBufferPointer) {
        guard count > 0, let input = source.baseAddress, let output = destination.baseAddress else { return }
        let halves = output.assumingMemoryBound(to: UInt16.self)
        let floats = output.assumingMemoryBound(to: Float.self)
        switch (from, to) {
        case (.f32, .f16): wk_f32_to_f16(input, halves, count)
        case (.f64, .f16): wk_f64_to_f16(input, halves, count)
        case (.bf16, .f16): wk_bf16_to_f16(input, halves, count)
        case (.f32, .bf16): wk_f32_to_bf16(input, halves, count)
        case (.f64, .bf16): wk_f64_to_bf16(input, halves, count)
        case (.f16, .bf16): wk_f16_to_bf16(input, halves, count)
        case (.f16, .f32): wk_f16_to_f32(input, floats, count)
        case (.bf16, .f32): wk_bf16_to_f32(input, floats, count)
        case (.f64, .f32):
            for index in 0..<count {
                floats[index] = Float(Double(bitPattern: UInt64(littleEndian: source.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))))
            }
        default:
            precondition(from == to, "unsupported conversion \(from) → \(to)")
            destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<(count * from.bitWidth / 8)]))
        }
    }

    /// Whether `convert` handles `from` → `to`.
    static func supports(from: DType, to: DType) -> Bool {
        [.f32, .f64, .f16, .bf16].contains(from) && targets.contains(to)
    }

    /// True when the F16C/AVX2 paths are in use on this CPU.
    static var isAccelerated: Bool { wk_f16c_is_active() != 0 }

    /// Turns the accelerated paths off (or back on), so tests can compare both.
    static func forcePortable(_ portable: Bool) { wk_force_portable(portable ? 1 : 0) }
}
