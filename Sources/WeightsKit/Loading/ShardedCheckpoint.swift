/// Safetensors shards (`model-00001-of-00002.safetensors`, ...).
public typealias ShardedSafetensors = ShardedCheckpoint<SafetensorsFile>

/// PyTorch shards (`pytorch_model-00001-of-00002.bin`, ...).
public typealias ShardedPyTorch = ShardedCheckpoint<PyTorchCheckpoint>

/// One file of a sharded checkpoint.
public protocol ShardFile: TensorSource {
    /// The `format` of the sharded source ("safetensors", "pytorch").
    static var formatName: String { get }
    var path: String { get }
    init(path: String) throws(WeightsFileError)
}

extension SafetensorsFile: ShardFile {
    public static var formatName: String { "safetensors" }
}

extension PyTorchCheckpoint: ShardFile {
    public static var formatName: String { "pytorch" }
}

/// Several files that together hold one model, opened as one source: safetensors shards
/// (`ShardedSafetensors`) or PyTorch ones (`ShardedPyTorch`).
///
/// Built from an index (`model.safetensors.index.json` or `pytorch_model.bin.index.json`,
/// transformers' layout: `weight_map` from tensor name to shard file, `metadata.total_size`)
/// or from a directory of shards. Every mapped tensor must be in the shard the index names,
/// and no tensor may be defined twice.
public final class ShardedCheckpoint<Shard: ShardFile>: TensorSource {
    public let shards: [Shard]
    let indexPath: String?
    public let warnings: [String]
    private let owner: [ExactName: Int]

    public var format: String { Shard.formatName }
    public var paths: [String] { shards.map(\.path) }
    /// The shards and the index they were opened from.
    public var inputFiles: [String] { paths + (indexPath.map { [$0] } ?? []) }
    public var tensors: [TensorInfo] { shards.flatMap(\.tensors) }
    /// The first shard's metadata (shards written by one tool carry the same).
    public var metadata: Metadata? { shards.first?.metadata }

    /// Opens the shards listed by an index file.
    public init(indexPath: String) throws(WeightsFileError) {
        self.indexPath = indexPath
        let directory = Paths.directory(of: indexPath)
        let (weightMap, totalSize) = try Self.readIndex(indexPath)

        // Distinct shard names in first-seen order, by their bytes; a set, not a scan of the
        // list per entry (an index naming 100,000 shards took minutes before opening one).
        var shardNames: [String] = [], seen = Set<ExactName>()
        for (_, shard) in weightMap where seen.insert(shard.exact).inserted { shardNames.append(shard) }
        shards = try shardNames.map { name throws(WeightsFileError) in
            try Shard(path: Paths.join(directory, name))
        }
        // Keys are unique by bytes: the index parser rejects a weight_map that repeats one.
        owner = try Self.checkOwnership(
            shards, weightMap: Dictionary(weightMap.map { ($0.0.exact, $0.1) }, uniquingKeysWith: { $1 }), indexPath: indexPath)

        let bytes = shards.reduce(SaturatingCount.zero) { $0 + $1.byteCount }
        if let totalSize, totalSize != bytes.exact {
            warnings = ["index metadata.total_size is \(totalSize) but the shards hold \(bytes) bytes of tensors"]
        } else {
            warnings = []
        }
    }

    /// Opens shards without an index; names must not repeat across them.
    public init(shardPaths: [String]) throws(WeightsFileError) {
        indexPath = nil
        warnings = []
        shards = try shardPaths.map { path throws(WeightsFileError) in try Shard(path: path) }
        var owner: [ExactName: Int] = [:]
        for (position, shard) in shards.enumerated() {
            for info in shard.tensors {
                if let first = owner[info.name.exact] {
                    throw WeightsFileError(path: shard.path, reason: ShardIndexError.duplicateTensor(
                        tensor: info.name, shards: [shards[first].path, shard.path].map(Paths.lastComponent)))
                }
                owner[info.name.exact] = position
            }
        }
        self.owner = owner
    }

    public func path(of name: String) -> String? {
        owner[name.exact].map { shards[$0].path }
    }

    public func view(_ name: String) throws(WeightsFileError) -> TensorView? {
        guard let position = owner[name.exact] else { return nil }
        return try shards[position].view(name)
    }

    private static func readIndex(_ indexPath: String) throws(WeightsFileError) -> (weightMap: [(String, String)], totalSize: Int?) {
        func fail(_ reason: ShardIndexError) -> WeightsFileError { WeightsFileError(path: indexPath, reason: reason) }
        let file: MappedFile
        do { file = try MappedFile(path: indexPath) } catch { throw WeightsFileError(path: indexPath, reason: error) }
        do throws(ShardIndexError) {
            return try file.withBytes { bytes throws(ShardIndexError) in try parseIndex(bytes) }
        } catch {
            throw fail(error)
        }
    }

    /// The weight map (tensor names as exact bytes, in file order) and `metadata.total_size`
    /// of an index file's bytes. The fuzz target calls this directly.
    static func parseIndex(_ bytes: UnsafeRawBufferPointer) throws(ShardIndexError) -> (weightMap: [(String, String)], totalSize: Int?) {
        let document: StrictJSON
        do throws(StrictJSON.ParseError) {
            document = try StrictJSON.parse(bytes)
        } catch {
            throw .invalidJSON(reason: error.description)
        }
        guard let map = document.root.member("weight_map"), map.kind == .object else { throw .missingWeightMap }
        var weightMap: [(String, String)] = []
        weightMap.reserveCapacity(map.count)
        for (tensor, shardNode) in map.members {
            guard let shard = shardNode.string else {
                throw .invalidEntry(tensor: tensor, reason: "must be a file name string, found \(shardNode.kindName)")
            }
            guard Paths.isPlainName(shard) else { throw .unsafeShardName(shard: shard) }
            weightMap.append((tensor, shard))
        }
        let totalSize = document.root.member("metadata")?.member("total_size")?.unsignedInteger.flatMap { Int(exactly: $0) }
        return (weightMap, totalSize)
    }

    private static func checkOwnership(_ shards: [Shard], weightMap: [ExactName: String], indexPath: String)
        throws(WeightsFileError) -> [ExactName: Int]
    {
        var owner: [ExactName: Int] = [:]
        for (position, shard) in shards.enumerated() {
            let shardName = Paths.lastComponent(shard.path)
            for info in shard.tensors {
                let name = info.name.exact
                if let first = owner[name] {
                    throw WeightsFileError(path: shard.path, reason: ShardIndexError.duplicateTensor(
                        tensor: info.name, shards: [Paths.lastComponent(shards[first].path), shardName]))
                }
                guard let mapped = weightMap[name] else {
                    throw WeightsFileError(path: shard.path, reason: ShardIndexError.unindexedTensor(tensor: info.name, shard: shardName))
                }
                guard mapped.isByteEqual(to: shardName) else {
                    throw WeightsFileError(path: indexPath, reason: ShardIndexError.tensorNotInShard(tensor: info.name, shard: mapped))
                }
                owner[name] = position
            }
        }
        for (tensor, shard) in weightMap.sorted(by: { $0.key < $1.key }) where owner[tensor] == nil {
            throw WeightsFileError(path: indexPath, reason: ShardIndexError.tensorNotInShard(tensor: tensor.text, shard: shard))
        }
        return owner
    }
}
