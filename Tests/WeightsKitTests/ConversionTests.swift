import Testing
@testable import WeightsKit

/// Conversions against tables computed by numpy, ml_dtypes and gguf-py
/// (Scripts/gen_conversion_vectors.py → Formats/vectors/conversions/).
@Suite("conversions against numpy, ml_dtypes and gguf-py", .serialized)
struct ConversionTests {
    static func vectors(_ name: String) throws -> SafetensorsFile {
        try SafetensorsFile(path: Fixtures.path("Formats/vectors/conversions/\(name).safetensors"))
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let file: String
        let target: DType
        let portable: Bool
        var testDescription: String { "\(file)\(portable ? " (portable path)" : "")" }
    }

    static let cases: [Case] = ["f32-to-f16", "f64-to-f16", "bf16-to-f16", "f32-to-bf16", "f64-to-bf16", "f16-to-bf16"].flatMap { file in
        [false, true].map { Case(file: file, target: file.hasSuffix("bf16") ? .bf16 : .f16, portable: $0) }
    }

    @Test("bit-identical on every edge value and random input", arguments: cases)
    func bitIdentical(_ test: Case) throws {
        let file = try Self.vectors(test.file)
        let input = try #require(file.view("input"))
        let expected = try #require(file.view("output")).bytes
        FloatConversion.forcePortable(test.portable)
        defer { FloatConversion.forcePortable(false) }
        var actual = [UInt8](repeating: 0, count: expected.count)
        input.withUnsafeBytes { raw in
            actual.withUnsafeMutableBytes { out in
                FloatConversion.convert(raw, from: input.dtype, to: test.target, count: input.info.elementCount, into: out)
            }
        }
        var mismatches = 0
        for index in stride(from: 0, to: expected.count, by: 2) where expected[index] != actual[index] || expected[index + 1] != actual[index + 1] {
            mismatches += 1
            if mismatches <= 5 {
                let inputBits = input.withUnsafeBytes { raw in
                    raw[(index / 2 * input.dtype.bitWidth / 8)..<((index / 2 + 1) * input.dtype.bitWidth / 8)].reversed().map { String($0, radix: 16) }
                }
                Issue.record("element \(index / 2): input \(inputBits) expected \(String(expected[index + 1], radix: 16)) \(String(expected[index], radix: 16)) got \(String(actual[index + 1], radix: 16)) \(String(actual[index], radix: 16))")
            }
        }
        #expect(mismatches == 0)
        #expect(input.info.elementCount > 1000)
    }

    @Test("the F16C path is in use on this machine (so both paths were compared), and off under WEIGHTS_SIMD=portable")
    func acceleratedPathExists() {
        #expect(FloatConversion.isAccelerated == !KernelSettings.portableForced)
    }

    @Test("Q8_0 blocks and dequantized values are bit-identical to gguf-py")
    func q8_0() throws {
        let file = try Self.vectors("q8_0")
        let input = try #require(file.view("input")?.floats())
        let packed = try #require(file.view("packed")).bytes
        let dequantized = try #require(file.view("dequantized")?.floats())
        var blocks = [UInt8](repeating: 0, count: input.count / 32 * 34)
        input.withUnsafeBufferPointer { values in blocks.withUnsafeMutableBytes { Quantizers.quantizeQ8_0(values, into: $0) } }
        #expect(blocks == packed)
        var values = [Float](repeating: 0, count: input.count)
        blocks.withUnsafeBytes { raw in values.withUnsafeMutableBufferPointer { Quantizers.dequantizeQ8_0(raw, count: input.count, into: $0) } }
        #expect(values.map(\.bitPattern) == dequantized.map(\.bitPattern))
    }

    @Test("Int8 per row matches the numpy reference: values, scales, dequantized")
    func int8PerRow() throws {
        try Self.checkInt8Rows("int8-per-row") { actual, expected in actual.map(\.bitPattern) == expected.map(\.bitPattern) }
    }

    /// Bit patterns equal, except that any NaN matches any NaN: dequantizing multiplies a
    /// NaN or infinite scale by 0, whose NaN's bits are the CPU's (x86 and ARM differ).
    static func sameValues(_ actual: [Float], _ expected: ArraySlice<Float>) -> Bool {
        actual.count == expected.count && zip(actual, expected).allSatisfy { $0.isNaN ? $1.isNaN : $0.bitPattern == $1.bitPattern }
    }

    @Test("Int8 per row with NaN and infinities: numpy's scales (NaN, +inf) and q (0), every value of such a row NaN")
    func int8PerRowNonFinite() throws {
        let scales = try Self.checkInt8Rows("int8-per-row-nonfinite", dequantizedMatch: Self.sameValues)
        #expect(scales.count == 12 && scales.filter(\.isNaN).count == 5 && scales.filter(\.isInfinite).count == 4)
    }

    /// Quantizes each row of the vector file's `input` and compares scale, q and the
    /// dequantized values with numpy's; returns numpy's scales.
    @discardableResult
    static func checkInt8Rows(_ name: String, dequantizedMatch: ([Float], ArraySlice<Float>) -> Bool) throws -> [Float] {
        let file = try vectors(name)
        let inputView = try #require(file.view("input"))
        let input = try #require(inputView.floats())
        let q = try #require(file.view("q")).bytes
        let scales = try #require(file.view("scale")?.floats())
        let dequantized = try #require(file.view("dequantized")?.floats())
        let columns = inputView.shape.dims[1]
        try #require(scales.count == inputView.shape.dims[0])
        for row in 0..<inputView.shape.dims[0] {
            let range = (row * columns)..<((row + 1) * columns)
            var quantized = [UInt8](repeating: 0, count: columns)
            let scale = input.withUnsafeBufferPointer { values in
                quantized.withUnsafeMutableBytes { Quantizers.quantizeInt8Row(UnsafeBufferPointer(rebasing: values[range]), into: $0) }
            }
            #expect(scale.bitPattern == scales[row].bitPattern, "row \(row)")
            #expect(quantized == Array(q[range]), "row \(row)")
            var values = [Float](repeating: 0, count: columns)
            quantized.withUnsafeBytes { raw in values.withUnsafeMutableBufferPointer { Quantizers.dequantizeInt8Row(raw, scale: scale, into: $0) } }
            #expect(dequantizedMatch(values, dequantized[range]), "row \(row)")
        }
        return scales
    }

    @Test("Q8_0 blocks with NaN and infinities are gguf-py's: d NaN or +inf, q 0, every value of such a block NaN")
    func q8_0NonFinite() throws {
        let file = try Self.vectors("q8_0-nonfinite")
        let input = try #require(file.view("input")?.floats())
        let packed = try #require(file.view("packed")).bytes
        let dequantized = try #require(file.view("dequantized")?.floats())
        #expect(dequantized.filter(\.isNaN).count > 9 * 32)
        var blocks = [UInt8](repeating: 0, count: input.count / 32 * 34)
        input.withUnsafeBufferPointer { values in blocks.withUnsafeMutableBytes { Quantizers.quantizeQ8_0(values, into: $0) } }
        #expect(blocks == packed)
        var values = [Float](repeating: 0, count: input.count)
        blocks.withUnsafeBytes { raw in values.withUnsafeMutableBufferPointer { Quantizers.dequantizeQ8_0(raw, count: input.count, into: $0) } }
        #expect(Self.sameValues(values, dequantized[...]))
    }
}
