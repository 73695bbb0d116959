/// Opens whatever a user points at: a safetensors file, a sharded checkpoint's index,
/// or a model directory, as one `TensorSource`.
public enum ModelLoader {
    /// The index transformers writes beside sharded checkpoints.
    static let shardIndexName = "model.safetensors.index.json"

    /// Int8 pairs written by `convert --dtype int8` to safetensors read back as int8-per-row tensors.
    public static func open(_ path: String) throws(WeightsFileError) -> any TensorSource {
        Int8Safetensors.folding(try openUnfolded(path))
    }

    /// The weights of the model at `location`.
    public static func open(_ location: ModelLocation) throws(WeightsFileError) -> any TensorSource {
        try open(location.path)
    }

    static func openUnfolded(_ path: String) throws(WeightsFileError) -> any TensorSource {
        if Paths.isDirectory(path) { return try openDirectory(path) }
        if path.hasSuffix(".index.json") { return try ShardedSafetensors(indexPath: path) }
        if path.hasSuffix(".wpk") || WeightPackFile.hasMagic(path) { return try WeightPackFile(path: path) }
        return try SafetensorsFile(path: path)
    }

    /// The weights in `directory`: its shard index if there is one, else its
    /// `.safetensors` files (one file, or shards that must not overlap).
    static func openDirectory(_ directory: String) throws(WeightsFileError) -> any TensorSource {
        let names = Paths.contents(of: directory)
        if names.contains(shardIndexName) {
            return try ShardedSafetensors(indexPath: Paths.join(directory, shardIndexName))
        }
        let files = names.filter { $0.hasSuffix(".safetensors") }.map { Paths.join(directory, $0) }
        let packs = names.filter { $0.hasSuffix(".wpk") }
        if files.isEmpty && packs.count == 1 { return try WeightPackFile(path: Paths.join(directory, packs[0])) }
        switch files.count {
        case 0: throw WeightsFileError(path: directory, reason: ShardIndexError.noSafetensorsFiles(directory: directory))
        case 1: return try SafetensorsFile(path: files[0])
        default: return try ShardedSafetensors(shardPaths: files)
        }
    }
}
