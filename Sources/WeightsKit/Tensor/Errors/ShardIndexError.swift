/// Ways a sharded checkpoint (`model.safetensors.index.json` and its shards) can be broken.
public enum ShardIndexError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidJSON(reason: String)
    case missingWeightMap
    case invalidEntry(tensor: String, reason: String)
    case unsafeShardName(shard: String)
    case tensorNotInShard(tensor: String, shard: String)
    case unindexedTensor(tensor: String, shard: String)
    case duplicateTensor(tensor: String, shards: [String])
    case noSafetensorsFiles(directory: String)

    public var code: String {
        switch self {
        case .invalidJSON: "invalid-json"
        case .missingWeightMap: "missing-weight-map"
        case .invalidEntry: "invalid-entry"
        case .unsafeShardName: "unsafe-shard-name"
        case .tensorNotInShard: "tensor-not-in-shard"
        case .unindexedTensor: "unindexed-tensor"
        case .duplicateTensor: "duplicate-tensor"
        case .noSafetensorsFiles: "no-safetensors-files"
        }
    }

    public var description: String {
        let rule = switch self {
        case let .invalidJSON(reason): "index is not valid JSON: \(reason)"
        case .missingWeightMap: "index has no \"weight_map\" object"
        case let .invalidEntry(tensor, reason): "tensor \"\(tensor)\": weight_map entry \(reason)"
        case let .unsafeShardName(shard): "shard name \"\(shard)\" must be a plain file name beside the index"
        case let .tensorNotInShard(tensor, shard): "tensor \"\(tensor)\": weight_map places it in \(shard), which does not contain it"
        case let .unindexedTensor(tensor, shard): "tensor \"\(tensor)\": present in \(shard) but absent from weight_map"
        case let .duplicateTensor(tensor, shards): "tensor \"\(tensor)\": defined in more than one shard (\(shards.joined(separator: ", ")))"
        case let .noSafetensorsFiles(directory): "no .safetensors files in \(directory)"
        }
        return "\(rule) [\(code)]"
    }
}
