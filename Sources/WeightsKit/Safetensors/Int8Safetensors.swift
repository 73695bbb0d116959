/// Int8-per-row tensors in safetensors, which has no such type: the int8 values as an
/// I8 tensor `<name>` and an F32 sibling `<name>_scale` of shape [rows, 1] (the
/// compressed-tensors convention), with the scheme recorded in `__metadata__` so that
/// our reader folds each pair back into one int8-per-row tensor.
///
/// This is the one place that knows the convention: the names, dtypes and shapes of a
/// pair (`pair`, `scaleName`), the metadata marker (`mark`), and reading pairs back
/// (`folding`). Q8_0 has no such form (see `SafetensorsWriter.canHold`).
public enum Int8Safetensors {
    static let scaleSuffix = "_scale"
    /// `__metadata__` key marking a file written this way; its value is the scale suffix.
    static let metadataKey = "weights.int8_per_row"

    /// The name of the F32 scales of int8 tensor `name`.
    static func scaleName(of name: String) -> String { name + scaleSuffix }

    /// The pair an int8-per-row tensor `name` of `shape` ([rows, columns]) is written as:
    /// the I8 values (`rows × columns` bytes from `values`) and the F32 `[rows, 1]` scales
    /// (`4 × rows` bytes from `scales`).
    static func pair(name: String, shape: Shape, values: @escaping (any ByteSink) throws -> Void,
                            scales: @escaping (any ByteSink) throws -> Void) -> (values: TensorPayload, scales: TensorPayload) {
        let (rows, _) = TensorEncoding.rowsAndColumns(shape) ?? (0, 0)
        return (TensorPayload(name: name, dtype: .i8, shape: shape, produce: values),
                TensorPayload(name: scaleName(of: name), dtype: .f32, shape: Shape([rows, 1]), produce: scales))
    }

    /// A stored int8-per-row tensor (values, padding, scales) as its pair, copied out of `view`.
    static func pair(splitting view: TensorView) -> (values: TensorPayload, scales: TensorPayload) {
        let (rows, columns) = TensorEncoding.rowsAndColumns(view.shape) ?? (0, 0)
        let scalesAt = TensorEncoding.int8ScalesOffset(rows: rows, columns: columns) ?? 0
        return pair(name: view.name, shape: view.shape, values: { sink in
            try view.withUnsafeBytes { try sink.write(UnsafeRawBufferPointer(rebasing: $0[0..<(rows * columns)])) }
        }, scales: { sink in
            try view.withUnsafeBytes { try sink.write(UnsafeRawBufferPointer(rebasing: $0[scalesAt..<(scalesAt + 4 * rows)])) }
        })
    }

    /// `metadata` with the marker that makes our reader fold the pairs back.
    static func mark(_ metadata: Metadata?) -> Metadata {
        var marked = metadata ?? Metadata.defaultForNewFiles
        marked[metadataKey] = scaleSuffix
        return marked
    }

    /// `source` with each (I8 `<name>`, F32 `<name>_scale` [rows, 1]) pair presented as
    /// one int8-per-row tensor, when its metadata says it was written that way, or when
    /// the model's config.json (`configText`) has a compressed-tensors int8 channel-wise
    /// `quantization_config` (scales may then be F32, F16 or BF16; see `CompressedTensors`).
    static func folding(_ source: any TensorSource, configText: [UInt8]? = nil) -> any TensorSource {
        if source.metadata?[metadataKey]?.isByteEqual(to: scaleSuffix) == true { return Int8FoldedSource(source) }
        switch CompressedTensors.scheme(ofConfig: configText) {
        case .none: return source
        case .int8PerChannel: return Int8FoldedSource(source, scaleTypes: [.f32, .f16, .bf16])
        case let .unsupported(reason):
            return Int8FoldedSource(source, scaleTypes: [], warning: "config.json: compressed-tensors quantization_config not read: \(reason); the quantized tensors are shown as stored")
        }
    }
}

/// A safetensors source whose int8 pairs read as int8-per-row tensors (see `Int8Safetensors`).
final class Int8FoldedSource: TensorSource {
    private let base: any TensorSource
    let tensors: [TensorInfo]
    private let folded: [ExactName: TensorInfo]
    private let extraWarnings: [String]

    init(_ base: any TensorSource, scaleTypes: Set<DType> = [.f32], warning: String? = nil) {
        self.base = base
        extraWarnings = warning.map { [$0] } ?? []
        let byName = Dictionary(base.tensors.map { ($0.name.exact, $0) }, uniquingKeysWith: { first, _ in first })
        var folded: [ExactName: TensorInfo] = [:]
        var hidden: Set<ExactName> = []
        for info in base.tensors where info.dtype == .i8 {
            guard let scale = byName[Int8Safetensors.scaleName(of: info.name).exact], scaleTypes.contains(scale.dtype), scale.encoding == .plain,
                  let (rows, _) = TensorEncoding.rowsAndColumns(info.shape), scale.shape == Shape([rows, 1]),
                  let bytes = TensorEncoding.int8PerRow.payloadBytes(shape: info.shape, dtype: .f32) else { continue }
            folded[info.name.exact] = TensorInfo(name: info.name, dtype: .f32, shape: info.shape, encoding: .int8PerRow, offset: info.offset, byteCount: bytes)
            hidden.insert(scale.name.exact)
        }
        self.folded = folded
        tensors = base.tensors.filter { !hidden.contains($0.name.exact) }.map { folded[$0.name.exact] ?? $0 }
    }

    var format: String { base.format }
    var paths: [String] { base.paths }
    var inputFiles: [String] { base.inputFiles }
    var metadata: Metadata? { base.metadata }
    var warnings: [String] { base.warnings + extraWarnings }
    var embeddedConfig: String? { base.embeddedConfig }
    var storageDescription: StorageDescription? { base.storageDescription }
    func verifyChecksums() -> [WeightsFileError]? { base.verifyChecksums() }
    func path(of name: String) -> String? { base.path(of: name) }

    func view(_ name: String) throws(WeightsFileError) -> TensorView? {
        guard let info = folded[name.exact] else { return try base.view(name) }
        guard let values = try base.view(name), let scales = try base.view(Int8Safetensors.scaleName(of: name)) else { return nil }
        var payload = values.bytes
        let rows = scales.shape.dims.first ?? 0
        payload.append(contentsOf: repeatElement(0, count: info.byteCount - payload.count - 4 * rows))
        if scales.dtype == .f32 {
            payload.append(contentsOf: scales.bytes)
        } else {
            // F16/BF16 scales (llm-compressor writes the model's type) widen to F32 exactly.
            var widened = [Float](repeating: 0, count: rows)
            scales.bytes.withUnsafeBytes { raw in widened.withUnsafeMutableBufferPointer { ElementDecoder.decode(raw, as: scales.dtype, into: $0) } }
            for value in widened { withUnsafeBytes(of: value.bitPattern.littleEndian) { payload.append(contentsOf: $0) } }
        }
        return TensorView(info: info, bytes: OwnedBytes(payload))
    }
}
