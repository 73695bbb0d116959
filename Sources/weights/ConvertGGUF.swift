import WeightsKit

extension ConvertCommand {
    /// `convert M out.gguf`: the BERT model as llama.cpp's converter writes it.
    func writeGGUF(_ source: any TensorSource, input: String) throws {
        let target = try reportingFailures { try ggufTarget(source) }
        let plan = try reportingFailures {
            try BertGGUFConversion(source: source, directory: ModelLocation(input).directory, target: target)
        }
        try refuseCollisions(inputs: inputFiles(source, input: input), outputs: [output])
        let progress = ProgressBar(total: SaturatingCount(summing: plan.conversions.lazy.map(\.view.info.byteCount)).value, enabled: !quiet)
        for conversion in plan.conversions {
            conversion.onProgress = { progress.advance(by: $0) }
            conversion.allowsNonFinite = allowNonFinite
        }
        try reportingFailures {
            try GGUFWriter.write(metadata: plan.metadata, tensors: plan.tensors, to: output, overwrite: force, durable: !noSync)
        }
        progress.finish()
    }

    /// --dtype, or convert_hf_to_gguf's "auto": bf16 when the first matrix is BF16, else f16.
    private func ggufTarget(_ source: any TensorSource) throws -> BertGGUFConversion.Target {
        switch dtype {
        case .f32?: return .f32
        case .f16?: return .f16
        case .bf16?: return .bf16
        case .q8_0?: return .q8_0
        case .int8?: throw GGUFConversionError.unsupportedTarget("int8")
        case .f8E4M3?, .f8E5M2?: throw GGUFConversionError.unsupportedTarget(dtype?.rawValue ?? "fp8")
        case nil:
            let first = source.tensors.first { $0.shape.rank >= 2 }
            return first?.dtype == .bf16 ? .bf16 : .f16
        }
    }
}
