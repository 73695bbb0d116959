/// Opens whatever a user points at: a safetensors, WeightPack, GGUF or PyTorch file, a sharded
/// checkpoint's index, or a model directory, as one `TensorSource`.
public enum ModelLoader {
    /// The index transformers writes beside sharded checkpoints.
    static let shardIndexName = "model.safetensors.index.json"
    /// The index transformers wrote beside sharded PyTorch checkpoints, and their single-file name.
    static let pytorchIndexName = "pytorch_model.bin.index.json"
    static let pytorchName = "pytorch_model.bin"

    /// Opens the weights at `path` (a safetensors, WeightPack, GGUF or PyTorch file, a shard
    /// index, or a model directory) as one `TensorSource`, memory-mapped.
    ///
    /// Int8 pairs are read back as int8-per-row tensors: those written by `convert --dtype
    /// int8` to safetensors, and compressed-tensors int8 weights (llm-compressor's, ours
    /// in a model folder) when the config.json beside the weights says so.
    public static func open(_ path: String) throws(WeightsFileError) -> any TensorSource {
        let source = try openUnfolded(path)
        return Int8Safetensors.folding(source, configText: configBytes(beside: path))
    }

    /// A config.json larger than this is not one.
    package static let maximumConfigBytes = 16 << 20

    /// The bytes of the config.json beside the weights at `path`, if there is a readable one.
    static func configBytes(beside path: String) -> [UInt8]? {
        let config = ModelLocation(path).configFile
        guard let size = Paths.size(config), size <= maximumConfigBytes, let file = try? MappedFile(path: config) else { return nil }
        return file.withBytes { Array($0) }
    }

    /// The weights of the model at `location`.
    public static func open(_ location: ModelLocation) throws(WeightsFileError) -> any TensorSource {
        try open(location.path)
    }

    static func openUnfolded(_ path: String) throws(WeightsFileError) -> any TensorSource {
        if Paths.isDirectory(path) { return try openDirectory(path) }
        if path.hasSuffix(".bin.index.json") { return try ShardedPyTorch(indexPath: path) }
        if path.hasSuffix(".index.json") { return try ShardedSafetensors(indexPath: path) }
        if path.hasSuffix(".wpk") { return try WeightPackFile(path: path) }
        switch FileKind.of(path) {
        case .weightPack: return try WeightPackFile(path: path)
        case .pytorch: return try PyTorchCheckpoint(path: path)
        case .gguf: return try GGUFFile(path: path)
        case let .foreign(format): throw WeightsFileError(path: path, reason: ForeignFormatError(format: format))
        case .other: return try SafetensorsFile(path: path)
        }
    }

    /// The other tool's format `path` is in, if its first bytes say so.
    static func foreignFormat(of path: String) -> ForeignFormat? {
        if case let .foreign(format) = FileKind.of(path) { return format }
        return nil
    }

    /// Extensions of weight files other tools write, looked for when a directory has no weights of ours.
    static let foreignWeightExtensions = [".bin", ".pt", ".pth", ".ckpt", ".onnx", ".h5", ".npz", ".npy", ".pkl"]

    /// The weights in `directory`: its shard index if there is one, else its
    /// `.safetensors` files (one file, or shards that must not overlap), else its one
    /// `.wpk` file, else its one `.gguf` file, else its PyTorch checkpoint (`pytorch_model.bin.index.json`,
    /// `pytorch_model.bin`, or the one torch.save file among its `.bin`/`.pt`/`.pth` files).
    static func openDirectory(_ directory: String) throws(WeightsFileError) -> any TensorSource {
        let names = Paths.contents(of: directory)
        if names.contains(shardIndexName) {
            return try ShardedSafetensors(indexPath: Paths.join(directory, shardIndexName))
        }
        let files = names.filter { $0.hasSuffix(".safetensors") }.map { Paths.join(directory, $0) }
        let packs = names.filter { $0.hasSuffix(".wpk") }
        if files.isEmpty && packs.count == 1 { return try WeightPackFile(path: Paths.join(directory, packs[0])) }
        let ggufs = names.filter { $0.hasSuffix(".gguf") }
        if files.isEmpty && packs.isEmpty && ggufs.count == 1 { return try GGUFFile(path: Paths.join(directory, ggufs[0])) }
        switch files.count {
        case 0:
            if let pytorch = try openPyTorch(in: directory, names: names) { return pytorch }
            // A folder of another tool's weights (model.onnx, ...): name what is there.
            for name in names where foreignWeightExtensions.contains(where: { name.hasSuffix($0) }) {
                let path = Paths.join(directory, name)
                if let foreign = foreignFormat(of: path) { throw WeightsFileError(path: path, reason: ForeignFormatError(format: foreign)) }
            }
            throw WeightsFileError(path: directory, reason: ShardIndexError.noSafetensorsFiles(directory: directory))
        case 1: return try SafetensorsFile(path: files[0])
        default: return try ShardedSafetensors(shardPaths: files)
        }
    }

    /// The PyTorch checkpoint of a directory without safetensors files, if it has one.
    private static func openPyTorch(in directory: String, names: [String]) throws(WeightsFileError) -> (any TensorSource)? {
        if names.contains(pytorchIndexName) { return try ShardedPyTorch(indexPath: Paths.join(directory, pytorchIndexName)) }
        if names.contains(pytorchName) { return try PyTorchCheckpoint(path: Paths.join(directory, pytorchName)) }
        let checkpoints = names.filter { [".bin", ".pt", ".pth"].contains(where: $0.hasSuffix) }.map { Paths.join(directory, $0) }
            .filter { FileKind.of($0) == .pytorch }
        return checkpoints.count == 1 ? try PyTorchCheckpoint(path: checkpoints[0]) : nil
    }
}
