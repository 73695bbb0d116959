// libFuzzer target: arbitrary bytes in, the shard index parser (and with it the strict
// JSON reader) called. For an index that passes, its weight map is written back the way
// ShardedWriter writes one and parsed again: the reader and the writer's escaping must
// agree on every name, byte for byte (NUL, controls and non-ASCII included).
// Built together with WeightsKit's sources by Fuzz/build.sh.

@_cdecl("weights_fuzz_ShardIndexFuzz")
public func shardIndexFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let index = try? ShardedSafetensors.parseIndex(bytes) else { return 0 }
    let written = ShardedWriter.indexJSON(weightMap: index.weightMap, totalSize: index.totalSize ?? 0)
    let reread = written.withUnsafeBytes { try? ShardedSafetensors.parseIndex($0) }
    guard let reread else { preconditionFailure("the writer's index does not parse") }
    let sorted = { (map: [(String, String)]) in map.sorted { $0.0.bytePrecedes($1.0) }.map { Array($0.0.utf8) + [0xFF] + Array($0.1.utf8) } }
    precondition(sorted(index.weightMap) == sorted(reread.weightMap), "names changed through the writer")
    return 0
}
