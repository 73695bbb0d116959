import Testing
@testable import WeightsKit

/// Every bit pattern of each 8-bit float type against ml_dtypes' `astype` to float32,
/// float16 and bfloat16 (Scripts/gen_fp8_vectors.py → Formats/vectors/fp8/, the patterns
/// stored by safetensors.numpy from ml_dtypes arrays).
@Suite("8-bit floats against ml_dtypes")
struct Float8Tests {
    static let types: [DType] = [.f8E4M3, .f8E5M2, .f8E4M3FNUZ, .f8E5M2FNUZ, .f8E8M0]

    static func vectors(_ dtype: DType) throws -> SafetensorsFile {
        try SafetensorsFile(path: Fixtures.path("Formats/vectors/fp8/\(dtype.name.lowercased()).safetensors"))
    }

    /// Byte-wise comparison that names the first few differing bit patterns.
    static func expectSame(_ actual: [UInt8], _ expected: [UInt8], width: Int, _ label: String) {
        #expect(actual.count == expected.count && expected.count == 256 * width, "\(label): \(actual.count) bytes, expected \(expected.count)")
        var mismatches = 0
        for pattern in 0..<min(256, expected.count / width) where actual[(pattern * width)..<((pattern + 1) * width)] != expected[(pattern * width)..<((pattern + 1) * width)] {
            mismatches += 1
            if mismatches <= 4 {
                Issue.record("\(label): pattern 0x\(String(pattern, radix: 16)) gave \(Array(actual[(pattern * width)..<((pattern + 1) * width)])) expected \(Array(expected[(pattern * width)..<((pattern + 1) * width)]))")
            }
        }
        #expect(mismatches == 0, "\(label): \(mismatches) of 256 patterns differ")
    }

    @Test("the fixture holds all 256 patterns, stored under the dtype name", arguments: types)
    func fixtureShape(_ dtype: DType) throws {
        let input = try #require(try Self.vectors(dtype).view("input"))
        #expect(input.dtype == dtype)
        #expect(input.bytes == (0...255).map(UInt8.init))
    }

    @Test("TensorView.floats() decodes every pattern to ml_dtypes' float32 bits", arguments: types)
    func decodesExactly(_ dtype: DType) throws {
        let file = try Self.vectors(dtype)
        let decoded = try #require(file.view("input")?.floats())
        let expected = try #require(file.view("f32")).bytes
        Self.expectSame(decoded.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }, expected, width: 4, "\(dtype.name) → F32")
    }

    @Test("convert to F32, F16 and BF16 is ml_dtypes' astype, bit for bit (both conversion paths)", arguments: types)
    func convertsExactly(_ dtype: DType) throws {
        let file = try Self.vectors(dtype)
        let input = try #require(file.view("input"))
        for portable in [false, true] {
            FloatConversion.forcePortable(portable)
            defer { FloatConversion.forcePortable(false) }
            for (target, key) in [(DType.f32, "f32"), (.f16, "f16"), (.bf16, "bf16")] {
                #expect(FloatConversion.supports(from: dtype, to: target))
                let expected = try #require(file.view(key)).bytes
                var actual = [UInt8](repeating: 0xAA, count: expected.count)
                input.withUnsafeBytes { raw in
                    actual.withUnsafeMutableBytes { FloatConversion.convert(raw, from: dtype, to: target, count: 256, into: $0) }
                }
                Self.expectSame(actual, expected, width: target.bitWidth / 8, "\(dtype.name) → \(target.name)\(portable ? " (portable)" : "")")
            }
        }
    }

    static let targets: [DType] = [.f8E4M3, .f8E5M2, .f8E4M3FNUZ, .f8E5M2FNUZ]

    @Test("any float → FP8 is ml_dtypes' astype, bit for bit: F32 edges and ties, F64, every F16, BF16 and FP8 pattern", arguments: targets)
    func encodesExactly(_ target: DType) throws {
        let inputs = try SafetensorsFile(path: Fixtures.path("Formats/vectors/fp8/to-fp8-input.safetensors"))
        let expected = try SafetensorsFile(path: Fixtures.path("Formats/vectors/fp8/to-\(target.name.lowercased()).safetensors"))
        var compared = 0
        for info in expected.tensors {
            let key = info.name
            let sourceType = DType(rawValue: key.uppercased())
            let input = try #require(try inputs.view(key) ?? sourceType.flatMap { try Self.vectors($0).view("input") })
            #expect(FloatConversion.supports(from: input.dtype, to: target))
            let want = try #require(expected.view(key)).bytes
            #expect(want.count == input.info.elementCount && input.info.elementCount >= 256)
            var actual = [UInt8](repeating: 0xAA, count: want.count)
            input.withUnsafeBytes { raw in
                actual.withUnsafeMutableBytes { FloatConversion.convert(raw, from: input.dtype, to: target, count: want.count, into: $0) }
            }
            let differing = zip(actual, want).enumerated().filter { $0.element.0 != $0.element.1 }
            for (index, pair) in differing.prefix(4) {
                Issue.record("\(key) → \(target.name) element \(index): got 0x\(String(pair.0, radix: 16)) expected 0x\(String(pair.1, radix: 16))")
            }
            #expect(differing.isEmpty, "\(key) → \(target.name): \(differing.count) of \(want.count) differ")
            compared += want.count
        }
        #expect(expected.tensors.count == 8 && compared > 150_000)
    }

    @Test("the layout table gives ml_dtypes' landmarks: max, smallest subnormal, NaN and Inf encodings")
    func landmarks() {
        #expect(Float8Format.e4m3.value(0x7E) == 448)
        #expect(Float8Format.e4m3.value(0x01) == 0x1p-9)
        #expect(Float8Format.e4m3.value(0x7F).isNaN && Float8Format.e4m3.value(0xFF).sign == .minus)
        #expect(Float8Format.e5m2.value(0x7C) == .infinity && Float8Format.e5m2.value(0xFC) == -.infinity)
        #expect(Float8Format.e5m2.value(0x7B) == 57344)
        #expect(Float8Format.e4m3fnuz.value(0x80).isNaN && Float8Format.e4m3fnuz.value(0x7F) == 240)
        #expect(Float8Format.e5m2fnuz.value(0x01) == 0x1p-17)
        #expect(Float8Format.e8m0.value(0x00) == 0x1p-127 && Float8Format.e8m0.value(0xFE) == 0x1p127 && Float8Format.e8m0.value(0xFF).isNaN)
    }

    @Test("convert --dtype f32 converts FP8 tensors; F4/F6 are kept as not decoded")
    func policy() throws {
        let f32 = try ConversionPolicy(target: .f32)
        let bf16 = try ConversionPolicy(target: .bf16)
        for dtype in Self.types {
            let info = TensorInfo(name: "layer.weight", dtype: dtype, shape: Shape([32, 32]), offset: 0, byteCount: 0)
            #expect(f32.decide(info) == .convert(dtype: .f32, encoding: .plain))
            #expect(bf16.decide(info) == .convert(dtype: .bf16, encoding: .plain))
        }
        let e4m3 = try ConversionPolicy(target: .f8E4M3)
        #expect(e4m3.decide(TensorInfo(name: "layer.weight", dtype: .f32, shape: Shape([32, 32]), offset: 0, byteCount: 0)) == .convert(dtype: .f8E4M3, encoding: .plain))
        #expect(e4m3.decide(TensorInfo(name: "layer.weight", dtype: .f8E4M3, shape: Shape([32, 32]), offset: 0, byteCount: 0)) == .keep(reason: .alreadyTarget(.f8E4M3)))
        #expect(!FloatConversion.supports(from: .f32, to: .f8E8M0))
        let f4 = TensorInfo(name: "layer.weight", dtype: .f4, shape: Shape([32, 32]), offset: 0, byteCount: 0)
        #expect(f32.decide(f4) == .keep(reason: .floatNotDecoded(.f4)))
        #expect(f32.decide(TensorInfo(name: "ids", dtype: .i64, shape: Shape([4]), offset: 0, byteCount: 0)) == .keep(reason: .notFloatingPoint(.i64)))
    }
}
