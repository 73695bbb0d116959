/// An error tied to one file: the path, then the broken rule (which names the tensor).
public struct WeightsFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: Reason

    /// Why a file could not be read or written, typed so that callers can switch over it.
    public enum Reason: Error, Equatable, CustomStringConvertible, Sendable {
        /// The operating system refused (open, read, write, rename), or the file changed under us.
        case file(FileError)
        /// A safetensors file breaks the format.
        case safetensors(SafetensorsError)
        /// A sharded checkpoint (index and shards) is inconsistent.
        case shardIndex(ShardIndexError)
        /// A WeightPack file breaks the format, or its stored checksums disagree with its bytes.
        case weightPack(WeightPackError)
        /// Tensors to write do not fit the fields WeightPack gives them.
        case weightPackLimit(WeightPackLimitError)
        /// A payload would not fit in memory.
        case memory(MemoryLimitError)
        /// Tensors handed to a writer break its rules (a duplicate name, a short payload).
        case writer(WriterError)
        /// A caller's payload producer failed with an error of its own (its description).
        case producer(String)
        /// The file is in another format (NumPy, HDF5, ONNX, ...), named.
        case foreignFormat(ForeignFormatError)
        /// A PyTorch checkpoint breaks what the reader accepts (or its pickle wants to run code).
        case pytorch(PyTorchError)
        /// A GGUF file breaks the format (or holds a type this version cannot decode).
        case gguf(GGUFError)
        /// A tensor's values cannot be converted as asked (a NaN in a row to quantize).
        case conversion(ConversionError)

        /// The broken rule's own words.
        public var description: String {
            switch self {
            case let .file(error): error.description
            case let .safetensors(error): error.description
            case let .shardIndex(error): error.description
            case let .weightPack(error): error.description
            case let .weightPackLimit(error): error.description
            case let .memory(error): error.description
            case let .writer(error): error.description
            case let .producer(description): description
            case let .foreignFormat(error): error.description
            case let .pytorch(error): error.description
            case let .gguf(error): error.description
            case let .conversion(error): error.description
            }
        }

        /// The tensor the rule is about, if it names one.
        public var tensor: String? {
            switch self {
            case let .safetensors(error): error.tensor
            case let .weightPack(error): error.tensor
            case let .pytorch(error): error.tensor
            case let .gguf(error): error.tensor
            default: nil
            }
        }
    }

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    init(path: String, reason: FileError) { self.init(path: path, reason: .file(reason)) }
    init(path: String, reason: SafetensorsError) { self.init(path: path, reason: .safetensors(reason)) }
    init(path: String, reason: ShardIndexError) { self.init(path: path, reason: .shardIndex(reason)) }
    init(path: String, reason: WeightPackError) { self.init(path: path, reason: .weightPack(reason)) }
    init(path: String, reason: WeightPackLimitError) { self.init(path: path, reason: .weightPackLimit(reason)) }
    init(path: String, reason: MemoryLimitError) { self.init(path: path, reason: .memory(reason)) }
    init(path: String, reason: WriterError) { self.init(path: path, reason: .writer(reason)) }
    init(path: String, reason: ForeignFormatError) { self.init(path: path, reason: .foreignFormat(reason)) }
    init(path: String, reason: PyTorchError) { self.init(path: path, reason: .pytorch(reason)) }
    init(path: String, reason: GGUFError) { self.init(path: path, reason: .gguf(reason)) }

    /// "PATH: tensor "NAME": rule [code]"; OS errors already name their path.
    public var description: String {
        if case let .file(fileError) = reason { return fileError.description }
        return "\(path): \(reason)"
    }

    /// An operating-system failure, reported as the `FileError` says it (it names its path).
    public init(_ error: FileError) {
        self.init(path: error.path, reason: .file(error))
    }

    /// Any failure while writing `path`, as one `WeightsFileError`: one already is, a
    /// `FileError` keeps its own path and message, anything else (a payload producer's
    /// own error) is reported against `path`.
    static func writing(_ path: String, _ error: any Error) -> WeightsFileError {
        switch error {
        case let error as WeightsFileError: error
        case let error as FileError: WeightsFileError(error)
        default: WeightsFileError(path: path, reason: .producer("\(error)"))
        }
    }

    /// Whether the reason is `FileError.exists`: an output whose name is taken.
    public var isExistingOutput: Bool {
        if case let .file(error) = reason { return error.isExistingOutput }
        return false
    }
}
