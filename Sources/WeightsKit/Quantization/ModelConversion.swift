/// A whole-model conversion, planned before any byte is written: what happens to each
/// tensor (converted, with its streaming `TensorConversion`, or kept, with the rule that
/// kept it), the payloads to write in either format, and the output's metadata.
public final class ModelConversion {
    public enum Format: Sendable { case safetensors, weightPack }

    public struct Entry {
        public let info: TensorInfo
        public let decision: ConversionPolicy.Decision
        public let conversion: TensorConversion?
    }

    public let source: any TensorSource
    public let policy: ConversionPolicy?
    public let format: Format
    public let entries: [Entry]

    /// Plans the conversion. Without a policy every tensor is copied as it is (lossless).
    /// Throws when the output format cannot hold what the plan produces.
    public init(source: any TensorSource, policy: ConversionPolicy?, format: Format) throws(ConversionError) {
        self.source = source
        self.policy = policy
        self.format = format
        var entries: [Entry] = []
        let names = Set(source.tensors.map(\.name.exact))
        for info in source.tensors {
            if !info.encoding.isDecodable {
                let gguf = (source as? GGUFFile) ?? (source as? GGUFHuggingFaceNames)?.file
                let name = (source as? GGUFHuggingFaceNames)?.ggufName(of: info.name) ?? info.name
                throw .undecodable(tensor: info.name, reason: gguf?.undecodable(name)?.reason.description ?? "its encoding cannot be decoded")
            }
            let decision = policy?.decide(info) ?? .keep(reason: .noTarget)
            var conversion: TensorConversion?
            if case let .convert(dtype, encoding) = decision {
                guard let view = try? source.view(info.name) else { throw .unreadable(tensor: info.name) }
                conversion = TensorConversion(view: view, dtype: dtype, encoding: encoding, path: source.path(of: info.name) ?? source.paths.first ?? "")
            }
            let outputEncoding = conversion?.encoding ?? info.encoding
            if [.q4_0, .q4_1, .q5_0, .q5_1].contains(outputEncoding) {
                throw .ggmlEncoding(tensor: info.name, encoding: outputEncoding)
            }
            if format == .safetensors && !SafetensorsWriter.canHold(outputEncoding) {
                throw .q8InSafetensors(tensor: info.name)
            }
            if format == .safetensors && outputEncoding == .int8PerRow && names.contains(Int8Safetensors.scaleName(of: info.name).exact) {
                throw .scaleNameTaken(tensor: info.name)
            }
            entries.append(Entry(info: info, decision: decision, conversion: conversion))
        }
        self.entries = entries
    }

    /// True when some tensor is stored as int8 per row in the output.
    public var writesInt8: Bool {
        entries.contains { ($0.conversion?.encoding ?? $0.info.encoding) == .int8PerRow }
    }

    /// Each output tensor's name and rank, and whether it is int8 per row (for
    /// compressed-tensors' `ignore`).
    package var outputTensors: [(name: String, rank: Int, isInt8: Bool)] {
        entries.map { ($0.info.name, $0.info.shape.rank, ($0.conversion?.encoding ?? $0.info.encoding) == .int8PerRow) }
    }

    /// The source's metadata, plus the policy (when one was applied) and, for safetensors
    /// holding Int8 pairs, the marker that lets our reader fold them back. A marker the
    /// source had is dropped when no int8 tensor remains (`--dtype f32`).
    public var outputMetadata: Metadata? {
        var metadata = source.metadata
        if metadata?[Int8Safetensors.metadataKey] != nil && !(format == .safetensors && writesInt8) {
            metadata?[Int8Safetensors.metadataKey] = nil
        }
        if let policy {
            if metadata == nil { metadata = Metadata.defaultForNewFiles }
            metadata?[ConversionPolicy.metadataKey] = policy.metadataValue
        }
        if format == .safetensors && writesInt8 {
            metadata = Int8Safetensors.mark(metadata)
        }
        return metadata
    }

    /// Payloads for every tensor, in source order; they stream when written.
    public func payloads() throws(WeightsFileError) -> [TensorPayload] {
        var payloads: [TensorPayload] = []
        for entry in entries {
            if let conversion = entry.conversion {
                payloads += conversion.payloads(splitScales: format == .safetensors)
            } else if let view = try source.view(entry.info.name) {
                if format == .safetensors && view.encoding == .int8PerRow {
                    let pair = Int8Safetensors.pair(splitting: view)
                    payloads += [pair.values, pair.scales]
                } else {
                    payloads.append(TensorPayload(copying: view))
                }
            }
        }
        return payloads
    }

    /// Input bytes the converted tensors will stream through (for progress), saturated at
    /// `Int.max` (stride-0 PyTorch views can claim more than that together).
    public var bytesToConvert: Int {
        SaturatingCount(summing: entries.lazy.map { $0.conversion == nil ? 0 : $0.info.byteCount }).value
    }

    /// The error over all converted tensors together.
    public var totalError: ErrorStatistics {
        var total = ErrorStatistics()
        for entry in entries { if let error = entry.conversion?.error { total.merge(error) } }
        return total
    }
}

public enum ConversionError: Error, CustomStringConvertible, Equatable {
    case q8InSafetensors(tensor: String)
    case scaleNameTaken(tensor: String)
    case unreadable(tensor: String)
    /// A GGUF tensor in a ggml type this version lists but cannot decode.
    case undecodable(tensor: String, reason: String)
    /// A GGUF Q4/Q5 tensor kept as it is: neither output format has those encodings.
    case ggmlEncoding(tensor: String, encoding: TensorEncoding)
    /// An Int8 row or Q8_0 block (number `unit`, `unitLength` values) holding a NaN or an
    /// infinity (`value`, the first): 8-bit values cannot represent it, and quantized as
    /// numpy does, every value of the row or block reads back as NaN.
    case nonFiniteInput(tensor: String, encoding: TensorEncoding, unit: Int, unitLength: Int, value: Float)

    public var description: String {
        switch self {
        case let .q8InSafetensors(tensor):
            "tensor \"\(tensor)\": safetensors has no Q8_0 type; write a WeightPack file instead (OUT ending in .wpk)"
        case let .scaleNameTaken(tensor):
            "tensor \"\(tensor)\": cannot store it as int8 in safetensors, \"\(Int8Safetensors.scaleName(of: tensor))\" already exists"
        case let .unreadable(tensor):
            "tensor \"\(tensor)\": cannot be read"
        case let .undecodable(_, reason):
            reason
        case let .ggmlEncoding(tensor, encoding):
            "tensor \"\(tensor)\": \(encoding.rawValue) (from GGUF) cannot be stored in safetensors or WeightPack; add --dtype f32 (or f16, bf16) to dequantize it"
        case let .nonFiniteInput(tensor, encoding, unit, unitLength, value):
            "tensor \"\(tensor)\": \(encoding == .int8PerRow ? "row" : "block") \(unit) (values \(unit * unitLength)..<\((unit + 1) * unitLength)) holds \(value), "
                + "which \(encoding.rawValue) cannot represent: quantized, all \(unitLength) of its values would read back as NaN [non-finite-quantization]"
        }
    }
}
