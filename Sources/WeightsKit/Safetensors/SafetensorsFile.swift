/// One safetensors file, mapped read-only, its header validated.
///
/// Opening maps the file and parses only the header, so it costs the same for a 1 MB
/// file as for a 10 GB one; tensor bytes are touched only through `TensorView`s.
public final class SafetensorsFile: TensorSource {
    public let path: String
    package let header: SafetensorsHeader
    private let file: MappedFile
    private let index: [ExactName: Int]

    public var format: String { "safetensors" }
    public var paths: [String] { [path] }
    public var tensors: [TensorInfo] { header.tensors }
    public var metadata: Metadata? { header.metadata }

    /// Opens and validates `path`. Errors are `WeightsFileError`s whose reason is a
    /// `SafetensorsError` (a broken rule) or a `FileError` (the OS said no).
    public init(path: String) throws(WeightsFileError) {
        self.path = path
        (file, header) = try MappedFile.openParsing(path, reason: WeightsFileError.Reason.safetensors) { bytes throws(SafetensorsError) in try SafetensorsHeader.parse(bytes) }
        index = nameIndex(header.tensors.map { $0.name })
    }

    public func path(of name: String) -> String? {
        index[ExactName(name)] == nil ? nil : path
    }

    public func view(_ name: String) -> TensorView? {
        guard let position = index[ExactName(name)] else { return nil }
        return TensorView(info: header.tensors[position], file: file)
    }
}
