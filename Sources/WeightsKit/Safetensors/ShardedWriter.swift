/// Splits a model over several safetensors files with an index, as transformers'
/// `save_pretrained(max_shard_size=...)` does: tensors are taken in order and a new
/// shard starts when the next tensor would push the current one past the limit (a
/// tensor larger than the limit gets a shard of its own). Shards are named
/// `<stem>-00001-of-0000N.safetensors` beside `<stem>.safetensors.index.json`.
public enum ShardedWriter {
    /// Files that `write` will create for `path` when it needs `count` shards.
    static func shardPaths(for path: String, count: Int) -> (shards: [String], index: String) {
        // A bare name (a member of a folder) gets bare shard names.
        let place = { (name: String) in path.contains("/") ? Paths.join(Paths.directory(of: path), name) : name }
        var stem = Paths.lastComponent(path)
        if stem.hasSuffix(".safetensors") { stem.removeLast(".safetensors".count) }
        let width = max(5, String(count).count)
        func padded(_ value: Int) -> String { String(repeating: "0", count: max(0, width - String(value).count)) + String(value) }
        let shards = (1...max(count, 1)).map { place("\(stem)-\(padded($0))-of-\(padded(count)).safetensors") }
        return (shards, place("\(stem).safetensors.index.json"))
    }

    /// Groups tensors into shards of at most `maxShardBytes` (payload bytes).
    static func plan(_ tensors: [TensorPayload], maxShardBytes: Int) -> [[TensorPayload]] {
        var shards: [[TensorPayload]] = []
        var current: [TensorPayload] = []
        var currentBytes = 0
        for tensor in tensors {
            let size = tensor.shape.byteCount(for: tensor.dtype) ?? 0
            if !current.isEmpty && currentBytes + size > maxShardBytes {
                shards.append(current)
                current = []
                currentBytes = 0
            }
            current.append(tensor)
            currentBytes += size
        }
        if !current.isEmpty || shards.isEmpty { shards.append(current) }
        return shards
    }

    /// Every file `write` would create for these arguments: `path` alone when one shard
    /// is enough, else the shards and the index. Lets callers check the names (against
    /// the inputs, say) before anything is written.
    public static func outputPaths(for path: String, tensors: [TensorPayload], maxShardBytes: Int) -> [String] {
        let count = plan(tensors, maxShardBytes: maxShardBytes).count
        if count == 1 { return [path] }
        let (shards, index) = shardPaths(for: path, count: count)
        return shards + [index]
    }

    /// Writes the shards and the index as one `PublishedSet`: all are written unnamed
    /// first, then named, index last; on any failure (a full disk on shard 2 of 4, a
    /// name taken meanwhile, a signal) none of them remains.
    /// A plan of one shard writes `path` itself, with no index.
    /// Returns the paths written.
    @discardableResult
    public static func write(_ tensors: [TensorPayload], metadata: Metadata?, to path: String, maxShardBytes: Int, overwrite: Bool,
                             durable: Bool = true) throws(WeightsFileError) -> [String] {
        var seen = Set<ExactName>(minimumCapacity: tensors.count)
        for tensor in tensors where !seen.insert(tensor.name.exact).inserted {
            throw WeightsFileError(path: path, reason: WriterError.duplicateName(tensor.name))
        }
        let groups = plan(tensors, maxShardBytes: maxShardBytes)
        if groups.count == 1 {
            try SafetensorsWriter.write(tensors, metadata: metadata, to: path, overwrite: overwrite, durable: durable)
            return [path]
        }
        let set = PublishedSet(overwrite: overwrite, durable: durable)
        do {
            let written = try writeMembers(groups, metadata: metadata, path: path, add: set.add)
            try set.commit()
            return written
        } catch {
            set.discard()
            throw WeightsFileError.writing(path, error)
        }
    }

    /// Writes the shards and index (or `path` alone for one group) as members started by
    /// `add`, which the caller commits. Returns the paths, as `outputPaths` gives them.
    static func writeMembers(_ groups: [[TensorPayload]], metadata: Metadata?, path: String,
                             add: (String) throws(FileError) -> OutputFile) throws -> [String] {
        if groups.count == 1 {
            try SafetensorsWriter.write(groups[0], metadata: metadata, into: try add(path))
            return [path]
        }
        let (shardPaths, indexPath) = shardPaths(for: path, count: groups.count)
        var weightMap: [(String, String)] = []
        var totalSize = 0
        for (group, shardPath) in zip(groups, shardPaths) {
            try SafetensorsWriter.write(group, metadata: metadata, into: try add(shardPath))
            for tensor in group {
                weightMap.append((tensor.name, Paths.lastComponent(shardPath)))
                totalSize += tensor.shape.byteCount(for: tensor.dtype) ?? 0
            }
        }
        try add(indexPath).write(indexJSON(weightMap: weightMap, totalSize: totalSize))
        return shardPaths + [indexPath]
    }

    /// Writes `tensors` into `folder` as `name` (relative), split into shards of at most
    /// `maxShardBytes` when given; the folder's commit names them. Returns the relative paths.
    @discardableResult
    public static func write(_ tensors: [TensorPayload], metadata: Metadata?, as name: String, maxShardBytes: Int?,
                             into folder: PublishedFolder) throws(WeightsFileError) -> [String] {
        var seen = Set<ExactName>(minimumCapacity: tensors.count)
        for tensor in tensors where !seen.insert(tensor.name.exact).inserted {
            throw WeightsFileError(path: folder.finalPath(name), reason: WriterError.duplicateName(tensor.name))
        }
        let groups = maxShardBytes.map { plan(tensors, maxShardBytes: $0) } ?? [tensors]
        do {
            return try writeMembers(groups, metadata: metadata, path: name, add: folder.add)
        } catch {
            throw WeightsFileError.writing(folder.finalPath(name), error)
        }
    }

    /// transformers' index layout: `json.dumps(index, indent=2, sort_keys=True) + "\n"`.
    static func indexJSON(weightMap: [(String, String)], totalSize: Int) -> [UInt8] {
        var json = JSONText()
        json.raw("{\n  \"metadata\": {\n    \"total_size\": \(totalSize)\n  },\n  \"weight_map\": {")
        let sorted = weightMap.sorted { $0.0.bytePrecedes($1.0) }
        for (position, (tensor, shard)) in sorted.enumerated() {
            json.raw(position == 0 ? "\n    " : ",\n    ")
            json.string(tensor)
            json.raw(": ")
            json.string(shard)
        }
        json.raw("\n  }\n}\n")
        return json.bytes
    }
}
