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
/// | FP8 (E4M3, E5M2, their FNUZ forms, E8M0) → F32 | exact, through a 256-entry table | cannot | quiet NaN 0x7FC00000 with the encoding's sign | ml_dtypes `astype(float32)` |
/// | FP8 → F16, BF16 | FP8 → F32 (exact), then as F32 (one rounding: only E8M0 → F16 rounds) | E8M0 → F16: ±Inf | 0x7E00 / 0x7FC0 with the sign | ml_dtypes `astype` |
/// | any → FP8 (E4M3, E5M2, E4M3FNUZ, E5M2FNUZ) | to F32 first (F64 rounds there, as ml_dtypes does), then nearest even | ±Inf (E5M2), NaN (E4M3: S.1111.111; FNUZ: 0x80) | quiet NaN (FNUZ: 0x80) | ml_dtypes `astype` |
///
/// ±0 keeps its sign; subnormals round like every other value (F16 has subnormals down
/// to 2^-24; values below 2^-25 become ±0, 2^-25 itself ties to 0). The F16C/AVX2 paths
/// (chosen at run time) give the same bits as the portable ones.
public enum FloatConversion {
    /// Target dtypes a float tensor can be converted to (E8M0, a scale type, is not one).
    static let targets: Set<DType> = [.f16, .bf16, .f32, .f8E4M3, .f8E5M2, .f8E4M3FNUZ, .f8E5M2FNUZ]

    /// Converts `count` elements of `source` (stored as `from`) into `destination` as `to`.
    /// Supported: F32/F64/F16/BF16 and the 8-bit floats → F16, BF16, F32 (same-type is a copy).
    public static func convert(_ source: UnsafeRawBufferPointer, from: DType, to: DType, count: Int,
                               into destination: UnsafeMutableRawBufferPointer) {
        guard count > 0, let input = source.baseAddress, let output = destination.baseAddress else { return }
        let halves = output.assumingMemoryBound(to: UInt16.self)
        let floats = output.assumingMemoryBound(to: Float.self)
        if Float8Format.of(to) != nil && to != from {
            convertToFloat8(source, from: from, to: to, count: count, into: output.assumingMemoryBound(to: UInt8.self))
            return
        }
        if Float8Format.of(from) != nil && to != from {
            convertFloat8(source, from: from, to: to, count: count, into: output)
            return
        }
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

    /// FP8 → F32 through the type's table; to F16 or BF16 through F32 (exact) a block at a time.
    private static func convertFloat8(_ source: UnsafeRawBufferPointer, from: DType, to: DType, count: Int, into output: UnsafeMutableRawPointer) {
        if to == .f32 {
            Float8Format.decode(source, as: from, count: count, into: output.assumingMemoryBound(to: Float.self))
            return
        }
        let halves = output.assumingMemoryBound(to: UInt16.self)
        let block = 4096
        withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { scratch in
            guard let floats = scratch.baseAddress else { return }
            var start = 0
            while start < count {
                let length = min(block, count - start)
                Float8Format.decode(UnsafeRawBufferPointer(rebasing: source[start..<(start + length)]), as: from, count: length, into: floats)
                switch to {
                case .f16: wk_f32_to_f16(floats, halves + start, length)
                case .bf16: wk_f32_to_bf16(floats, halves + start, length)
                default: preconditionFailure("unsupported conversion \(from) → \(to)")
                }
                start += length
            }
        }
    }

    /// Any float → FP8: to F32 a block at a time (exact, except F64, which rounds to nearest
    /// even there, as ml_dtypes goes), then each value rounded into the FP8 type.
    private static func convertToFloat8(_ source: UnsafeRawBufferPointer, from: DType, to: DType, count: Int, into output: UnsafeMutablePointer<UInt8>) {
        let width = from.bitWidth / 8
        let block = 4096
        withUnsafeTemporaryAllocation(of: Float.self, capacity: block) { scratch in
            guard let floats = scratch.baseAddress else { return }
            var start = 0
            while start < count {
                let length = min(block, count - start)
                ElementDecoder.decode(UnsafeRawBufferPointer(rebasing: source[(start * width)..<((start + length) * width)]), as: from,
                                      into: UnsafeMutableBufferPointer(rebasing: scratch[0..<length]))
                Float8Format.encode(floats, count: length, as: to, into: output + start)
                start += length
            }
        }
    }

    /// Whether `convert` handles `from` → `to`.
    static func supports(from: DType, to: DType) -> Bool {
        ([.f32, .f64, .f16, .bf16].contains(from) || Float8Format.of(from) != nil) && targets.contains(to)
    }

    /// True when the F16C/AVX2 paths are in use on this CPU.
    static var isAccelerated: Bool { wk_f16c_is_active() != 0 }

    /// Turns the accelerated paths off (or back on), so tests can compare both.
    static func forcePortable(_ portable: Bool) { wk_force_portable(portable ? 1 : 0) }
}
