/// Anything that holds named tensors: one safetensors file, a sharded checkpoint,
/// a WeightPack file. Commands and the inference core work against this protocol,
/// so they never care which format or how many files are behind it.
public protocol TensorSource: AnyObject, Sendable {
    /// "safetensors" or "weightpack".
    var format: String { get }
    /// The files behind this source, in order.
    var paths: [String] { get }
    /// Every file read to open this source: `paths` plus any index. Outputs must not
    /// be any of these.
    var inputFiles: [String] { get }
    /// Every tensor, in payload order (file by file for sharded sources).
    var tensors: [TensorInfo] { get }
    /// The file's metadata, or nil when it has none.
    var metadata: Metadata? { get }
    /// The file that holds `name`.
    func path(of name: String) -> String?
    /// A view of one tensor (zero-copy unless it is stored compressed); nil if there is
    /// no such tensor. Throws only when a compressed payload cannot be inflated.
    func view(_ name: String) throws(WeightsFileError) -> TensorView?
    /// Notes about the source that are not errors (an index whose total_size is off, ...).
    var warnings: [String] { get }
}

extension TensorSource {
    public var warnings: [String] { [] }

    /// Total number of elements in all tensors.
    public var parameterCount: Int { tensors.reduce(0) { $0 + $1.elementCount } }

    /// Total payload bytes.
    public var byteCount: Int { tensors.reduce(0) { $0 + $1.byteCount } }

    /// Every tensor as a view, in payload order.
    public func views() throws(WeightsFileError) -> [TensorView] {
        var result: [TensorView] = []
        for info in tensors { if let view = try view(info.name) { result.append(view) } }
        return result
    }
}

extension TensorSource {
    public var inputFiles: [String] { paths }
}
