import Testing
@testable import WeightsKit

/// Formats/WeightPack.md: quantized encodings need F16, BF16, F32, F64 or an F8 dtype.
@Suite("WeightPack quantized-encoding dtypes")
struct WeightPackEncodingRuleTests {
    @Test("the sub-byte floats cannot carry int8 or q8_0; the spec's dtypes can", arguments: DType.allCases)
    func dtypesForQuantizedEncodings(_ dtype: DType) {
        let allowed: Set<DType> = [.f16, .bf16, .f32, .f64, .f8E4M3, .f8E5M2, .f8E4M3FNUZ, .f8E5M2FNUZ]
        for encoding in [TensorEncoding.int8PerRow, .q8_0] {
            let problem = WeightPackLayout.encodingProblem(encoding, dtype: dtype, shape: Shape([2, 32]))
            #expect((problem == nil) == allowed.contains(dtype), "\(dtype.name) as \(encoding.rawValue): \(problem ?? "allowed")")
        }
    }
}
