import CKernels
import Foundation
import Testing
@testable import WeightsKit

/// The one-pass F32 → F16 conversion, which converts, converts back and sums the error of
/// each 256-value block in one AVX2 loop, against numpy
/// (Scripts/gen_measured_conversion_vectors.py): blocks with NaN payloads, infinities and
/// overflow, F16 subnormals, exact ties and a partial tail block.
@Suite("one-pass F16 conversion against numpy", .serialized)
struct MeasuredConversionTests {
    struct Expected: Decodable {
        let input_bits: [UInt32]
        let f16_bits: [UInt16]
        let sum_squared_error, sum_squared_reference, sum_squared_approximation, dot, max_absolute_error: Double
        let differing, non_finite: Int
    }

    static let expected: Expected = {
        let url = URL(fileURLWithPath: Fixtures.path("Formats/vectors/conversions/f16-measured.json"))
        return try! JSONDecoder().decode(Expected.self, from: Data(contentsOf: url))
    }()

    /// Output bits and the nine sums of `wk_f32_to_f16_measured`, on the fused or the portable path.
    static func run(portable: Bool) -> (bits: [UInt16], sums: [Double]) {
        FloatConversion.forcePortable(portable)
        defer { FloatConversion.forcePortable(false) }
        let input = expected.input_bits.map { Float(bitPattern: $0) }
        var bits = [UInt16](repeating: 0, count: input.count)
        var sums = [Double](repeating: 0, count: Int(WK_ERROR_SUM_COUNT))
        wk_f32_to_f16_measured(input, &bits, input.count, &sums)
        return (bits, sums)
    }

    static func close(_ value: Double, _ reference: Double) -> Bool {
        abs(value - reference) <= 1e-6 * abs(reference)
    }

    @Test("F16 bits equal numpy's astype(float16), NaN payloads included; error sums agree with numpy's float64 sums")
    func againstNumpy() {
        let expected = Self.expected
        let (bits, sums) = Self.run(portable: false)
        #expect(bits == expected.f16_bits)
        #expect(Self.close(sums[0], expected.sum_squared_error), "\(sums[0]) vs \(expected.sum_squared_error)")
        #expect(Self.close(sums[1], expected.sum_squared_reference))
        #expect(Self.close(sums[2], expected.sum_squared_approximation))
        #expect(Self.close(sums[3], expected.dot))
        #expect(sums[4] == expected.max_absolute_error)
        #expect(Int(sums[5]) == expected.differing)
        #expect(Int(sums[6]) == expected.non_finite)
        // Values whose class (finite, NaN, +inf, -inf) numpy's F16 changed: overflow to infinity.
        func kind(_ value: Float) -> Int { value.isFinite ? 0 : value.isNaN ? 1 : value > 0 ? 2 : 3 }
        let inputs = expected.input_bits.map { Float(bitPattern: $0) }
        let outputs = expected.f16_bits.map { Float(Float16(bitPattern: $0)) }
        let changed = zip(inputs, outputs).filter { kind($0) != kind($1) }.count
        #expect(changed > 0 && Int(sums[7]) == changed)
        #expect(Int(sums[8]) == inputs.filter { !$0.isFinite }.count)
    }

    @Test("the fused AVX2 loop gives the same bits and bit-identical sums as the portable convert, convert back, sum",
          .disabled(if: KernelSettings.portableForced, "WEIGHTS_SIMD=portable: only the portable path can run"))
    func fusedEqualsPortable() {
        #expect(FloatConversion.isAccelerated, "no F16C on this machine: only one path was run")
        let fused = Self.run(portable: false), portable = Self.run(portable: true)
        #expect(fused.bits == portable.bits)
        #expect(fused.sums.map(\.bitPattern) == portable.sums.map(\.bitPattern))
    }
}
