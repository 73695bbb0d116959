internal import CKernels

/// Decodes stored little-endian elements to `Float`.
///
/// Reads go through `loadUnaligned`, because safetensors aligns payloads only by the
/// order of the tensors, so an F32 payload may start at any byte.
enum ElementDecoder {
    /// Writes `out.count` decoded elements of `raw` into `out`. `dtype` must be decodable.
    static func decode(_ raw: UnsafeRawBufferPointer, as dtype: DType, into out: UnsafeMutableBufferPointer<Float>) {
        let count = out.count
        switch dtype {
        case .f32 where UInt32(littleEndian: 1) == 1:
            // Little-endian host: the stored bytes are the values.
            UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[0..<(count * 4)]))
        case .f32:
            for i in 0..<count { out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
        case .f16:
            // The same exact widening as `FloatConversion` (F16C when the CPU has it).
            if count > 0, let input = raw.baseAddress, let output = out.baseAddress { wk_f16_to_f32(input, output, count) }
        case .bf16:
            if count > 0, let input = raw.baseAddress, let output = out.baseAddress { wk_bf16_to_f32(input, output, count) }
        case .f64:
            for i in 0..<count { out[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))) }
        case .f8E4M3, .f8E5M2, .f8E4M3FNUZ, .f8E5M2FNUZ, .f8E8M0:
            // Through the type's 256-entry table (ml_dtypes' values, NaNs included).
            if count > 0, let output = out.baseAddress { Float8Format.decode(raw, as: dtype, count: count, into: output) }
        case .bool, .u8:
            for i in 0..<count { out[i] = Float(raw[i]) }
        case .i8:
            for i in 0..<count { out[i] = Float(Int8(bitPattern: raw[i])) }
        case .i16:
            for i in 0..<count { out[i] = Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: Int16.self))) }
        case .u16:
            for i in 0..<count { out[i] = Float(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) }
        case .i32:
            for i in 0..<count { out[i] = Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) }
        case .u32:
            for i in 0..<count { out[i] = Float(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
        case .i64:
            for i in 0..<count { out[i] = Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))) }
        case .u64:
            for i in 0..<count { out[i] = Float(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))) }
        case .f4, .f6E2M3, .f6E3M2, .c64:
            preconditionFailure("\(dtype) is not decodable; callers check isDecodable")
        }
    }

    /// IEEE binary16 → Float, exactly (every half is representable as a Float).
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent == 0 {
            // Zero or subnormal: mantissa × 2^-24.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
    }
}
