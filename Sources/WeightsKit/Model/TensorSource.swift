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

/// An error tied to one file: the path, then the broken rule (which names the tensor).
public struct WeightsFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: any Error

    public init(path: String, reason: any Error) {
        self.path = path
        self.reason = reason
    }

    /// "PATH: tensor "NAME": rule [code]"; OS errors already name their path.
    public var description: String {
        if let fileError = reason as? FileError { return fileError.description }
        return "\(path): \(reason)"
    }

    /// An operating-system failure, reported as the `FileError` says it (it names its path).
    public init(_ error: FileError) {
        self.init(path: error.path, reason: error)
    }

    /// Any failure while writing `path`, as one `WeightsFileError`: one already is, a
    /// `FileError` keeps its own path and message, anything else (a payload producer's
    /// own error) is reported against `path`.
    static func writing(_ path: String, _ error: any Error) -> WeightsFileError {
        switch error {
        case let error as WeightsFileError: error
        case let error as FileError: WeightsFileError(error)
        default: WeightsFileError(path: path, reason: error)
        }
    }

    /// Whether the reason is `FileError.exists`: an output whose name is taken.
    public var isExistingOutput: Bool { (reason as? FileError)?.isExistingOutput == true }
}

extension TensorSource {
    public var inputFiles: [String] { paths }
}
