/// A PyTorch checkpoint (`pytorch_model.bin`, `.pt`, `.pth`) written by `torch.save` of a
/// state dict, in its zip layout or its legacy one, read without running its pickle
/// (see `Unpickler`).
///
/// Tensors are views of storages: a contiguous view is zero-copy over the mapped file (the
/// zip member or legacy storage holds its elements as they are); a strided one (transposed,
/// sliced with a step, expanded) is gathered into owned bytes when viewed, within the
/// memory budget. Two names may share a storage (tied weights); each is its own view.
public final class PyTorchCheckpoint: TensorSource {
    public let path: String
    public let tensors: [TensorInfo]
    private let file: MappedFile
    private let entries: [Entry]
    private let index: [ExactName: Int]

    /// One tensor: where its storage is and how it views it.
    struct Entry {
        let storage: Range<Int>
        let view: StridedView
    }

    public var format: String { "pytorch" }
    public var paths: [String] { [path] }
    public var metadata: Metadata? { nil }

    /// Opens and checks `path`: its container, its pickle, every tensor's view against its
    /// storage. Errors are `WeightsFileError`s whose reason is a `PyTorchError` (or a
    /// `ForeignFormatError` when the file is not a torch.save checkpoint at all).
    public init(path: String) throws(WeightsFileError) {
        self.path = path
        let parsed: (tensors: [TensorInfo], entries: [Entry])
        (file, parsed) = try MappedFile.openParsing(path, reason: PyTorchCheckpoint.reason) { bytes throws(PyTorchError) in
            try PyTorchCheckpoint.parse(bytes)
        }
        tensors = parsed.tensors
        entries = parsed.entries
        index = nameIndex(tensors.map(\.name))
        // Reading the zip's local headers, spread over the whole file, faulted in the pages
        // around each (the kernel maps 64 kB per fault): hand them back, so opening a
        // checkpoint costs what its tables need, not a slice of every storage.
        file.releasePages(in: 0..<file.size)
    }

    /// A reader error as a file error: a memory refusal is reported as every other one is.
    private static func reason(_ error: PyTorchError) -> WeightsFileError.Reason {
        if case let .insufficientMemory(memory) = error { return .memory(memory) }
        return .pytorch(error)
    }

    /// The tensors of a checkpoint's bytes, zip or legacy by their first bytes. The fuzz
    /// target calls this directly.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(PyTorchError) -> (tensors: [TensorInfo], entries: [Entry]) {
        // A shard named by a .bin index comes here unsniffed: say what it is instead of
        // failing a pickle rule on its first byte.
        switch FileKind.sniff(UnsafeRawBufferPointer(rebasing: bytes.prefix(FileKind.sniffedBytes)), name: "") {
        case .pytorch: break
        case .weightPack: throw .notCheckpoint(found: "it is a WeightPack file")
        case .gguf: throw .notCheckpoint(found: "it is a GGUF file")
        case let .foreign(format): throw .notCheckpoint(found: "it is \(format.name)")
        case .other: throw .notCheckpoint(found: "neither a zip holding ARCHIVE/data.pkl nor a legacy torch.save pickle (a safetensors file?)")
        }
        let layout = bytes.starts(with: [0x50, 0x4B]) ? try PyTorchLayout(zip: bytes) : try PyTorchLayout(legacy: bytes)
        var tensors: [TensorInfo] = [], entries: [Entry] = []
        for (name, tensor) in try StateDict.entries(layout.root, arena: layout.arena) {
            guard let (storage, range) = layout.storages[tensor.storage.key] else { throw .missingStorage(key: tensor.storage.key) }
            let view = try StridedView(tensor: name, offset: tensor.storageOffset, sizes: tensor.sizes, strides: tensor.strides,
                                       storageCount: storage.elementCount)
            let width = storage.dtype.bitWidth / 8
            // Both fit: the view lies inside the storage, whose bytes lie inside the file.
            let start = range.lowerBound + min(view.offset, storage.elementCount) * width
            // A strided view may hold more elements than its storage (stride 0, as `expand`
            // writes): its gathered bytes must still be countable.
            guard let byteCount = MemoryBudget.product([view.elementCount, width]) else {
                throw .viewOutOfRange(tensor: name, reason: "sizes \(view.sizes) with strides \(view.strides) hold more bytes than a 64-bit count")
            }
            tensors.append(TensorInfo(name: name, dtype: storage.dtype, shape: Shape(view.sizes), offset: start, byteCount: byteCount))
            entries.append(Entry(storage: range, view: view))
        }
        return (tensors, entries)
    }

    public func path(of name: String) -> String? {
        index[ExactName(name)] == nil ? nil : path
    }

    /// A view of `name`: zero-copy when contiguous, else its elements gathered into owned
    /// bytes (throws when they do not fit the memory budget).
    public func view(_ name: String) throws(WeightsFileError) -> TensorView? {
        guard let position = index[ExactName(name)] else { return nil }
        let info = tensors[position], entry = entries[position]
        if entry.view.isContiguous { return TensorView(info: info, file: file) }
        do {
            try MemoryBudget.check("gathering the strided tensor \"\(name)\"", bytes: info.byteCount)
        } catch {
            throw WeightsFileError(path: path, reason: error)
        }
        let width = info.dtype.bitWidth / 8
        let bytes = file.withBytes(in: entry.storage) { storage in entry.view.gather(from: storage, width: width) }
        return TensorView(info: info, bytes: OwnedBytes(bytes))
    }
}
