/// Anything that holds named tensors: one safetensors file, a sharded checkpoint
/// (safetensors or PyTorch), a WeightPack file, a PyTorch checkpoint, a GGUF file.
/// Commands and the inference core work against this protocol,
/// so they never care which format or how many files are behind it.
public protocol TensorSource: AnyObject, Sendable {
    /// The format's name as `inspect` prints it: "safetensors", "weightpack", "pytorch"
    /// or "gguf" (a sharded checkpoint says the format of its shards).
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
    /// The model's config.json text when the file embeds one (WeightPack can); nil otherwise.
    var embeddedConfig: String? { get }
    /// A config.json text rebuilt from what the file says about the model (a GGUF's
    /// hyper-parameters), used only when no config.json lies beside the weights; nil when
    /// the format says nothing of the kind. Throws when the file's own keys are unusable.
    func derivedConfig() throws(ModelConfigError) -> String?
    /// Checks what the file stores to check its bytes against (payload checksums, padding),
    /// reading every payload: every problem found, in file order. Nil when the format
    /// stores nothing to check against (safetensors), so only reading the bytes can tell.
    func verifyChecksums() -> [WeightsFileError]?
    /// How the container stores its payloads, for reports; nil when the file holds them as
    /// they are, described by its header alone (safetensors).
    var storageDescription: StorageDescription? { get }
}

/// How a container format stores its payloads (see `TensorSource.storageDescription`).
public struct StorageDescription: Sendable {
    /// One payload as stored.
    public struct Stored: Sendable {
        /// Bytes the payload takes in the file (less than its size when compressed).
        public let bytes: Int
        public let isCompressed: Bool

        public init(bytes: Int, isCompressed: Bool) {
            self.bytes = bytes
            self.isCompressed = isCompressed
        }
    }

    /// Bytes of the container's header, before the first payload.
    public let headerBytes: Int
    /// Each tensor's payload as stored, by exact name.
    public let stored: [ExactName: Stored]

    public init(headerBytes: Int, stored: [ExactName: Stored]) {
        self.headerBytes = headerBytes
        self.stored = stored
    }

    /// True when some payload is stored compressed.
    public var hasCompressedPayloads: Bool { stored.values.contains { $0.isCompressed } }
}

extension TensorSource {
    public var warnings: [String] { [] }
    public var embeddedConfig: String? { nil }
    public func derivedConfig() throws(ModelConfigError) -> String? { nil }
    public func verifyChecksums() -> [WeightsFileError]? { nil }
    public var storageDescription: StorageDescription? { nil }

    /// Total number of elements in all tensors; saturated when it passes `Int.max` (views
    /// that repeat one stored element, as PyTorch's stride 0 does, can claim that many).
    public var parameterCount: SaturatingCount { SaturatingCount(summing: tensors.lazy.map(\.elementCount)) }

    /// Total payload bytes; saturated as `parameterCount` is.
    public var byteCount: SaturatingCount { SaturatingCount(summing: tensors.lazy.map(\.byteCount)) }

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
