/// The bit layouts of the 8-bit float types safetensors names, and a 256-entry table of
/// each one's values as `Float`, built from the layout (every FP8 value is exactly a
/// Float). The values are ml_dtypes' (the types safetensors.numpy maps these names to):
///
/// | dtype | ml_dtypes | exponent, mantissa, bias | special encodings |
/// | --- | --- | --- | --- |
/// | F8_E4M3 | float8_e4m3fn | 4, 3, 7 | S.1111.111 NaN; no infinities |
/// | F8_E5M2 | float8_e5m2 | 5, 2, 15 | IEEE: S.11111.00 ±Inf, other S.11111.xx NaN |
/// | F8_E4M3FNUZ | float8_e4m3fnuz | 4, 3, 8 | 0x80 (negative zero) is the only NaN |
/// | F8_E5M2FNUZ | float8_e5m2fnuz | 5, 2, 16 | 0x80 is the only NaN |
/// | F8_E8M0 | float8_e8m0fnu | 8, 0, 127, unsigned | 0xFF NaN; 0x00 is 2^-127, no zero |
///
/// NaNs decode as ml_dtypes decodes them: the quiet NaN 0x7FC00000 with the encoding's
/// sign (the FNUZ NaN is negative), no payload.
struct Float8Format: Sendable {
    let exponentBits: Int
    let mantissaBits: Int
    let bias: Int
    let signed: Bool
    let nan: NaNEncoding

    enum NaNEncoding: Sendable {
        /// Exponent all ones: mantissa zero is ±Inf, any other mantissa NaN (IEEE).
        case ieee
        /// Exponent and mantissa all ones is NaN; no infinities ("FN").
        case allOnes
        /// The negative-zero pattern 0x80 is the only NaN; no infinities ("FNUZ").
        case negativeZero
    }

    static let e4m3 = Float8Format(exponentBits: 4, mantissaBits: 3, bias: 7, signed: true, nan: .allOnes)
    static let e5m2 = Float8Format(exponentBits: 5, mantissaBits: 2, bias: 15, signed: true, nan: .ieee)
    static let e4m3fnuz = Float8Format(exponentBits: 4, mantissaBits: 3, bias: 8, signed: true, nan: .negativeZero)
    static let e5m2fnuz = Float8Format(exponentBits: 5, mantissaBits: 2, bias: 16, signed: true, nan: .negativeZero)
    static let e8m0 = Float8Format(exponentBits: 8, mantissaBits: 0, bias: 127, signed: false, nan: .allOnes)

    /// The layout of an 8-bit float dtype; nil for every other dtype.
    static func of(_ dtype: DType) -> Float8Format? {
        switch dtype {
        case .f8E4M3: .e4m3
        case .f8E5M2: .e5m2
        case .f8E4M3FNUZ: .e4m3fnuz
        case .f8E5M2FNUZ: .e5m2fnuz
        case .f8E8M0: .e8m0
        default: nil
        }
    }

    /// The value of one bit pattern.
    func value(_ byte: UInt8) -> Float {
        let negative = signed && byte & 0x80 != 0
        let magnitudeBits = signed ? Int(byte & 0x7F) : Int(byte)
        let exponent = magnitudeBits >> mantissaBits
        let mantissa = magnitudeBits & ((1 << mantissaBits) - 1)
        let maxExponent = (1 << exponentBits) - 1
        let maxMantissa = (1 << mantissaBits) - 1
        let quietNaN = Float(bitPattern: (negative ? 0x8000_0000 : 0) | 0x7FC0_0000)
        switch nan {
        case .ieee where exponent == maxExponent:
            if mantissa != 0 { return quietNaN }
            return negative ? -.infinity : .infinity
        case .allOnes where exponent == maxExponent && mantissa == maxMantissa:
            return quietNaN
        case .negativeZero where byte == 0x80:
            return quietNaN
        default:
            break
        }
        // E8M0 has no subnormals: exponent 0 is 2^-bias. Otherwise exponent 0 is
        // mantissa × 2^(1 - bias - mantissaBits).
        let magnitude: Float
        if exponent == 0 && mantissaBits > 0 {
            magnitude = Float(mantissa) * Float(sign: .plus, exponent: 1 - bias - mantissaBits, significand: 1)
        } else {
            magnitude = Float((1 << mantissaBits) + mantissa) * Float(sign: .plus, exponent: exponent - bias - mantissaBits, significand: 1)
        }
        return negative ? -magnitude : magnitude
    }

    /// The bits of `value` in this (signed) format, as ml_dtypes' `astype` from float32
    /// gives them: nearest, ties to even (subnormals included); a result past the largest
    /// finite value is ±Inf where the type has infinities, else its NaN (S.1111.111 with the
    /// sign for E4M3, 0x80 for the FNUZ types); NaN is the quiet NaN (E5M2: S.11111.10); −0
    /// is 0x80 except in the FNUZ types, which have no negative zero.
    func encode(_ value: Float) -> UInt8 {
        precondition(signed, "E8M0 is not a conversion target")
        let sign: UInt8 = value.sign == .minus ? 0x80 : 0
        let maxExponent = (1 << exponentBits) - 1
        let overflow: UInt8
        let quietNaN: UInt8
        let maxFinite: Int
        switch nan {
        case .ieee:
            overflow = sign | UInt8(maxExponent << mantissaBits)
            quietNaN = overflow | UInt8(1 << (mantissaBits - 1))
            maxFinite = ((maxExponent - 1) << mantissaBits) | ((1 << mantissaBits) - 1)
        case .allOnes:
            overflow = sign | 0x7F
            quietNaN = overflow
            maxFinite = (maxExponent << mantissaBits) | ((1 << mantissaBits) - 2)
        case .negativeZero:
            overflow = 0x80
            quietNaN = 0x80
            maxFinite = 0x7F
        }
        if value.isNaN { return quietNaN }
        if value.isInfinite { return overflow }
        // |value| = q × 2^(exponent - mantissaBits), q rounded to an integer: exact in Double
        // (a Float has 24 significant bits, and the scale is a power of two in range).
        let magnitude = Double(value.magnitude)
        let minimumExponent = 1 - bias
        var exponent = minimumExponent
        var q = 0
        if magnitude != 0 {
            exponent = max(Int(magnitude.exponent), minimumExponent)
            q = Int((magnitude * Double(sign: .plus, exponent: mantissaBits - exponent, significand: 1)).rounded(.toNearestOrEven))
        }
        if q >= 1 << (mantissaBits + 1) {
            q >>= 1
            exponent += 1
        }
        let bits = q < 1 << mantissaBits ? q : ((exponent + bias) << mantissaBits) | (q - (1 << mantissaBits))
        if bits > maxFinite { return overflow }
        if bits == 0 && nan == .negativeZero { return 0 }
        return sign | UInt8(bits)
    }

    /// Encodes `count` floats into `out` (`dtype` a signed 8-bit float).
    static func encode(_ values: UnsafePointer<Float>, count: Int, as dtype: DType, into out: UnsafeMutablePointer<UInt8>) {
        guard let format = of(dtype) else { preconditionFailure("\(dtype) is not an 8-bit float") }
        for index in 0..<count { out[index] = format.encode(values[index]) }
    }

    /// The 256 values, indexed by bit pattern.
    var table: [Float] { (0...255).map { value(UInt8($0)) } }

    static let e4m3Table = e4m3.table
    static let e5m2Table = e5m2.table
    static let e4m3fnuzTable = e4m3fnuz.table
    static let e5m2fnuzTable = e5m2fnuz.table
    static let e8m0Table = e8m0.table

    /// The table for an 8-bit float dtype; nil for every other dtype.
    static func table(for dtype: DType) -> [Float]? {
        switch dtype {
        case .f8E4M3: e4m3Table
        case .f8E5M2: e5m2Table
        case .f8E4M3FNUZ: e4m3fnuzTable
        case .f8E5M2FNUZ: e5m2fnuzTable
        case .f8E8M0: e8m0Table
        default: nil
        }
    }

    /// Decodes `count` stored bytes of `dtype` (an 8-bit float) into `out` through its table.
    static func decode(_ raw: UnsafeRawBufferPointer, as dtype: DType, count: Int, into out: UnsafeMutablePointer<Float>) {
        guard let table = table(for: dtype) else { preconditionFailure("\(dtype) is not an 8-bit float") }
        table.withUnsafeBufferPointer { values in
            for index in 0..<count { out[index] = values[Int(raw[index])] }
        }
    }
}
