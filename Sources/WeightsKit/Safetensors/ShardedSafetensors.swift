/// Several safetensors files that together hold one model, opened as one source.
///
/// Built from a `model.safetensors.index.json` (transformers' layout: `weight_map`
/// from tensor name to shard file, `metadata.total_size`) or from a directory of shards.
/// Every mapped tensor must be in the shard the index names, and no tensor may be
/// defined twice.
public final class ShardedSafetensors: TensorSource {
    public let shards: [SafetensorsFile]
    public let indexPath: String?
    public let warnings: [String]
    private let owner: [String: Int]

    public var format: String { "safetensors" }
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
        let (weightMap, totalSize) = try ShardedSafetensors.readIndex(indexPath)

        var shardNames: [String] = []
        for (_, shard) in weightMap where !shardNames.contains(shard) { shardNames.append(shard) }
        shards = try shardNames.map { name throws(WeightsFileError) in
            try SafetensorsFile(path: Paths.join(directory, name))
        }
        owner = try ShardedSafetensors.checkOwnership(shards, weightMap: Dictionary(weightMap, uniquingKeysWith: { $1 }), indexPath: indexPath)

        let bytes = shards.reduce(0) { $0 + $1.byteCount }
        if let totalSize, totalSize != bytes {
            warnings = ["index metadata.total_size is \(totalSize) but the shards hold \(bytes) bytes of tensors"]
        } else {
            warnings = []
        }
    }

    /// Opens shards without an index; names must not repeat across them.
    public init(shardPaths: [String]) throws(WeightsFileError) {
        indexPath = nil
        warnings = []
        shards = try shardPaths.map { path throws(WeightsFileError) in try SafetensorsFile(path: path) }
        var owner: [String: Int] = [:]
        for (position, shard) in shards.enumerated() {
            for info in shard.tensors {
                if let first = owner[info.name] {
                    throw WeightsFileError(path: shard.path, reason: ShardIndexError.duplicateTensor(
                        tensor: info.name, shards: [shards[first].path, shard.path].map(Paths.lastComponent)))
                }
                owner[info.name] = position
            }
        }
        self.owner = owner
    }

    public func path(of name: String) -> String? {
        owner[name].map { shards[$0].path }
    }

    public func view(_ name: String) throws(WeightsFileError) -> TensorView? {
        owner[name].flatMap { shards[$0].view(name) }
    }

    private static func readIndex(_ indexPath: String) throws(WeightsFileError) -> (weightMap: [(String, String)], totalSize: Int?) {
        func fail(_ reason: ShardIndexError) -> WeightsFileError { WeightsFileError(path: indexPath, reason: reason) }
        let file: MappedFile
        do { file = try MappedFile(path: indexPath) } catch { throw WeightsFileError(path: indexPath, reason: error) }
        return try file.withBytes { bytes throws(WeightsFileError) in
            try JSONDocument.withRoot(parsing: bytes, parseError: { fail(.invalidJSON(reason: "\($0)")) }) { root throws(WeightsFileError) in
                guard let map = root.member("weight_map"), map.kind == .object else { throw fail(.missingWeightMap) }
                var weightMap: [(String, String)] = []
                for (tensor, shardNode) in map.members {
                    guard let shard = shardNode.string else {
                        throw fail(.invalidEntry(tensor: tensor, reason: "must be a file name string, found \(shardNode.kindName)"))
                    }
                    guard Paths.isPlainName(shard) else { throw fail(.unsafeShardName(shard: shard)) }
                    weightMap.append((tensor, shard))
                }
                let totalSize = root.member("metadata")?.member("total_size")?.unsignedInteger.flatMap { Int(exactly: $0) }
                return (weightMap, totalSize)
            }
        }
    }

    private static func checkOwnership(_ shards: [SafetensorsFile], weightMap: [String: String], indexPath: String)
        throws(WeightsFileError) -> [String: Int]
    {
        var owner: [String: Int] = [:]
        for (position, shard) in shards.enumerated() {
            let shardName = Paths.lastComponent(shard.path)
            for info in shard.tensors {
                if let first = owner[info.name] {
                    throw WeightsFileError(path: shard.path, reason: ShardIndexError.duplicateTensor(
                        tensor: info.name, shards: [Paths.lastComponent(shards[first].path), shardName]))
                }
                guard let mapped = weightMap[info.name] else {
                    throw WeightsFileError(path: shard.path, reason: ShardIndexError.unindexedTensor(tensor: info.name, shard: shardName))
                }
                guard mapped == shardName else {
                    throw WeightsFileError(path: indexPath, reason: ShardIndexError.tensorNotInShard(tensor: info.name, shard: mapped))
                }
                owner[info.name] = position
            }
        }
        for (tensor, shard) in weightMap.sorted(by: { $0.key < $1.key }) where owner[tensor] == nil {
            throw WeightsFileError(path: indexPath, reason: ShardIndexError.tensorNotInShard(tensor: tensor, shard: shard))
        }
        return owner
    }
}
