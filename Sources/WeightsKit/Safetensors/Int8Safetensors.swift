/// Int8-per-row tensors in safetensors, which has no such type: the int8 values as an
/// I8 tensor `<name>` and an F32 sibling `<name>_scale` of shape [rows, 1] (the
/// compressed-tensors convention), with the scheme recorded in `__metadata__` so that
/// our reader folds each pair back into one int8-per-row tensor.
public enum Int8Safetensors {
    public static let scaleSuffix = "_scale"
    /// `__metadata__` key marking a file written this way; its value is the scale suffix.
    public static let metadataKey = "weights.int8_per_row"

    /// `source` with each (I8 `<name>`, F32 `<name>_scale` [rows, 1]) pair presented as
    /// one int8-per-row tensor, when its metadata says it was written that way.
    public static func folding(_ source: any TensorSource) -> any TensorSource {
        guard source.metadata?[metadataKey]?.isByteEqual(to: scaleSuffix) == true else { return source }
        return Int8FoldedSource(source)
    }
}

/// A safetensors source whose int8 pairs read as int8-per-row tensors (see `Int8Safetensors`).
final class Int8FoldedSource: TensorSource {
    private let base: any TensorSource
    let tensors: [TensorInfo]
    private let folded: [ExactName: TensorInfo]

    init(_ base: any TensorSource) {
        self.base = base
        let byName = Dictionary(base.tensors.map { ($0.name.exact, $0) }, uniquingKeysWith: { first, _ in first })
        var folded: [ExactName: TensorInfo] = [:]
        var hidden: Set<ExactName> = []
        for info in base.tensors where info.dtype == .i8 {
            guard let scale = byName[(info.name + Int8Safetensors.scaleSuffix).exact], scale.dtype == .f32,
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
    var warnings: [String] { base.warnings }
    var embeddedConfig: String? { base.embeddedConfig }
    var storageDescription: StorageDescription? { base.storageDescription }
    func verifyChecksums() -> [WeightsFileError]? { base.verifyChecksums() }
    func path(of name: String) -> String? { base.path(of: name) }

    func view(_ name: String) throws(WeightsFileError) -> TensorView? {
        guard let info = folded[name.exact] else { return try base.view(name) }
        guard let values = try base.view(name), let scales = try base.view(name + Int8Safetensors.scaleSuffix) else { return nil }
        var payload = values.bytes
        payload.append(contentsOf: repeatElement(0, count: info.byteCount - payload.count - scales.info.byteCount))
        payload.append(contentsOf: scales.bytes)
        return TensorView(info: info, bytes: OwnedBytes(payload))
    }
}
