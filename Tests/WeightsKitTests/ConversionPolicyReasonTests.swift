import Testing
@testable import WeightsKit

/// `ConversionPolicy.decide` names the rule that keeps a tensor as a `KeepReason`,
/// worded for a library user (no command-line flags).
@Suite("conversion policy keep reasons")
struct ConversionPolicyReasonTests {
    private func info(_ name: String, _ dtype: DType = .f32, _ dims: [Int] = [64, 64], encoding: TensorEncoding = .plain) -> TensorInfo {
        TensorInfo(name: name, dtype: dtype, shape: Shape(dims), encoding: encoding, offset: 0, byteCount: 0)
    }

    @Test("each default rule, pattern list and target gives its own reason")
    func reasons() throws {
        let int8 = try ConversionPolicy(target: .int8)
        #expect(int8.decide(info("a.weight")) == .convert(dtype: .f32, encoding: .int8PerRow))
        #expect(int8.decide(info("ids", .i64)) == .keep(reason: .notFloatingPoint(.i64)))
        #expect(int8.decide(info("encoder.LayerNorm.weight")) == .keep(reason: .layerNorm))
        #expect(int8.decide(info("encoder.rel_embeddings.weight")) == .keep(reason: .relativePositionEmbeddings))
        #expect(int8.decide(info("embeddings.position_embeddings.weight")) == .keep(reason: .positionEmbeddings))
        #expect(int8.decide(info("a.bias")) == .keep(reason: .nameNotEndingInWeight))
        #expect(int8.decide(info("a.weight", .f32, [4096])) == .keep(reason: .fewerThanTwoDimensions))
        #expect(int8.decide(info("a.weight", .f32, [8, 8])) == .keep(reason: .fewerThanMinimumElements))
        #expect(try ConversionPolicy(target: .f16).decide(info("a.weight", .f16)) == .keep(reason: .alreadyTarget(.f16)))
        #expect(try ConversionPolicy(target: .q8_0).decide(info("a.weight", .f32, [64, 40])) == .keep(reason: .rowsNotMultipleOfBlock(Shape([64, 40]))))
        let kept = try ConversionPolicy(target: .int8, keep: ["^a\\."])
        #expect(kept.decide(info("a.weight")) == .keep(reason: .keepPattern("^a\\.")))
        let only = try ConversionPolicy(target: .int8, only: ["^b\\."])
        #expect(only.decide(info("a.weight")) == .keep(reason: .notMatchedByOnlyPatterns))
    }

    @Test("reasons and pattern errors are worded without command-line flags")
    func libraryWording() {
        let reasons: [KeepReason] = [.keepPattern("x"), .notMatchedByOnlyPatterns, .noTarget, .alreadyQuantized(.q8_0), .notFloatingPoint(.i64)]
        for reason in reasons { #expect(!reason.description.contains("--"), "\(reason)") }
        #expect(KeepReason.keepPattern("intermediate").description == "matches keep pattern intermediate")
        #expect(KeepReason.noTarget.description == "no target dtype given")
        #expect(throws: PolicyError.invalidPattern(list: .keep, pattern: "(")) { try ConversionPolicy(target: .f16, keep: ["("]) }
        #expect(PolicyError.invalidPattern(list: .only, pattern: "(").description == "only pattern (: not a valid regular expression")
        #expect(FileError.exists("out.safetensors").description == "out.safetensors: cannot write: file exists")
        #expect(FileError.exists("out.safetensors").isExistingOutput)
        #expect(!FileError(path: "out.safetensors", operation: "write", message: "No space left on device").isExistingOutput)
        #expect(ModelConfigError.notFound(directory: "m").description == "no config.json in m and none embedded in the file")
    }
}
