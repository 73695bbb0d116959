/// Decodes ggml's 4- and 5-bit block encodings (Q4_0, Q4_1, Q5_0, Q5_1) to `Float`
/// exactly as gguf-py's `gguf.quants.dequantize` does: the F16 scale (and minimum)
/// widened to F32, the integer made a float, then `d * q` (`+ m`) in F32 arithmetic,
/// rounded once per operation (no fused multiply-add).
///
/// Each block holds 32 values. Byte j of the 16 nibble bytes holds value j in its low
/// nibble and value j + 16 in its high nibble; Q5's u32 `qh` holds the fifth bit of
/// value j at bit j.
enum GGMLBlocks {
    static func decode(_ raw: UnsafeRawBufferPointer, encoding: TensorEncoding, elements: Range<Int>,
                       into out: UnsafeMutableBufferPointer<Float>) {
        guard let block = encoding.ggmlBlock else { return }
        let hasMinimum = encoding == .q4_1 || encoding == .q5_1
        let hasFifthBit = encoding == .q5_0 || encoding == .q5_1
        let nibblesAt = 2 + (hasMinimum ? 2 : 0) + (hasFifthBit ? 4 : 0)
        for (slot, index) in elements.enumerated() {
            let base = (index / block.length) * block.bytes
            let j = index % block.length
            let d = half(raw, base)
            let byte = raw[base + nibblesAt + j % 16]
            var q = Int32(j < 16 ? byte & 0x0F : byte >> 4)
            if hasFifthBit {
                let qh = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: base + 2 + (hasMinimum ? 2 : 0), as: UInt32.self))
                q |= Int32((qh >> UInt32(j)) & 1) << 4
            }
            switch encoding {
            case .q4_0: out[slot] = d * Float(q - 8)
            case .q5_0: out[slot] = d * Float(q - 16)
            default:
                let product = d * Float(q)
                out[slot] = product + half(raw, base + 2)
            }
        }
    }

    private static func half(_ raw: UnsafeRawBufferPointer, _ offset: Int) -> Float {
        ElementDecoder.halfToFloat(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }
}
