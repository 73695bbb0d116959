/// A GGUF file's tensors under the Hugging Face names llama.cpp's converter took them from
/// (`BertTensorNames`, for `general.architecture = bert`), so that `convert` writes the
/// original checkpoint's names and `diff` and `embed` match them. Shapes and bytes are the
/// file's own (GGUF stores each array as numpy holds it). Tensors outside the table keep
/// their GGUF names.
public final class GGUFHuggingFaceNames: TensorSource {
    public let file: GGUFFile
    private let names: [String]
    private let index: [ExactName: Int]

    /// The renamed view of `file`, or nil when its architecture has no name table (or two
    /// tensors would get the same name).
    public init?(_ file: GGUFFile) {
        guard file.value("general.architecture")?.text == "bert" else { return nil }
        self.file = file
        names = file.header.tensors.map { BertTensorNames.huggingFaceName(gguf: $0.info.name) ?? $0.info.name }
        guard Set(names.map(\.exact)).count == names.count else { return nil }
        index = nameIndex(names)
    }

    /// `source` under its Hugging Face names when it is a GGUF file whose architecture has a
    /// name table, else `source` itself: what every command reads a model through.
    public static func wrapping(_ source: any TensorSource) -> any TensorSource {
        (source as? GGUFFile).flatMap(GGUFHuggingFaceNames.init) ?? source
    }

    public var format: String { file.format }
    public var paths: [String] { file.paths }
    public var metadata: Metadata? { nil }
    public func derivedConfig() throws(ModelConfigError) -> String? { try file.derivedConfig() }
    public var tensors: [TensorInfo] { zip(file.header.tensors, names).map { renamed($0.info, $1) } }

    public func path(of name: String) -> String? { index[ExactName(name)] == nil ? nil : file.path }

    public func view(_ name: String) throws(WeightsFileError) -> TensorView? {
        guard let position = index[ExactName(name)], let view = file.view(file.header.tensors[position].info.name) else { return nil }
        return view.renamed(name)
    }

    /// The GGUF name of a renamed tensor.
    public func ggufName(of name: String) -> String? {
        index[ExactName(name)].map { file.header.tensors[$0].info.name }
    }

    private func renamed(_ info: TensorInfo, _ name: String) -> TensorInfo {
        TensorInfo(name: name, dtype: info.dtype, shape: info.shape, encoding: info.encoding, offset: info.offset, byteCount: info.byteCount)
    }
}
