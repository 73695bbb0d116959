/// Writes WeightPack files (Formats/WeightPack.md), streaming one tensor at a time.
///
/// The header is planned first (names, shapes, metadata, config) and written as a
/// placeholder; payloads follow, each at the next multiple of 64, checksummed as they
/// stream; then the finished header, with offsets, sizes and CRCs, is written over the
/// placeholder. Output is deterministic: tensors are sorted by name (bytes) and shapes
/// are pooled in first-use order. The file appears only when complete (see `OutputFile`).
public enum WeightPackWriter {
    public struct Options: Sendable {
        /// Byte-shuffle + deflate each payload (decompressed on access when read).
        public var compress = false
        /// fsync before the rename (see `OutputFile.durable`).
        public var durable = true
        public init(compress: Bool = false, durable: Bool = true) {
            self.compress = compress
            self.durable = durable
        }
    }

    public static func write(_ tensors: [TensorPayload], metadata: Metadata?, config: String?, options: Options = Options(),
                             to path: String, overwrite: Bool) throws(WeightsFileError)
    {
        // Everything that could refuse the tensors is checked before the file exists.
        let (ordered, plan) = try prepare(tensors, metadata: metadata, config: config, path: path)
        let file: OutputFile
        do { file = try OutputFile(destination: path, overwrite: overwrite) } catch { throw WeightsFileError(error) }
        file.durable = options.durable
        do {
            try write(ordered, plan: plan, options: options, into: file)
            try file.commit()
        } catch {
            throw WeightsFileError.writing(path, error)
        }
    }

    public static func write(_ tensors: [TensorPayload], metadata: Metadata?, config: String?, options: Options,
                      into file: OutputFile) throws(WeightsFileError) {
        let (ordered, plan) = try prepare(tensors, metadata: metadata, config: config, path: file.destination)
        do { try write(ordered, plan: plan, options: options, into: file) } catch { throw WeightsFileError.writing(file.destination, error) }
    }

    /// The tensors in file order and the header plan, once every name, encoding, rank,
    /// count and size is known to fit its field.
    static func prepare(_ tensors: [TensorPayload], metadata: Metadata?, config: String?,
                        path: String) throws(WeightsFileError) -> ([TensorPayload], HeaderPlan) {
        let ordered = tensors.sorted { $0.name.bytePrecedes($1.name) }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where previous.name.isByteEqual(to: next.name) {
            throw WeightsFileError(path: path, reason: WriterError.duplicateName(next.name))
        }
        for tensor in ordered {
            if tensor.shape.rank > WeightPackLayout.maximumRank {
                throw WeightsFileError(path: path, reason: WeightPackLimitError.rankTooLarge(
                    tensor: tensor.name, rank: tensor.shape.rank, limit: WeightPackLayout.maximumRank))
            }
            if let problem = WeightPackLayout.encodingProblem(tensor.encoding, dtype: tensor.dtype, shape: tensor.shape) {
                throw WeightsFileError(path: path, reason: WeightPackError.encodingMismatch(tensor: tensor.name, reason: problem))
            }
            if WeightPackLayout.param(encoding: tensor.encoding, shape: tensor.shape) == nil {
                throw WeightsFileError(path: path, reason: WeightPackLimitError.parameterTooLarge(tensor: tensor.name))
            }
        }
        let plan = HeaderPlan(ordered, metadata: metadata, config: config)
        let limit = UInt64(UInt32.max)
        for (field, value) in [("tensor_count", ordered.count), ("dim_count", plan.dims.count), ("names_bytes", plan.names.count),
                               ("metadata_bytes", plan.metadataBlock?.count ?? 0), ("config_bytes", plan.configBytes?.count ?? 0)]
            where UInt64(value) > limit {
            throw WeightsFileError(path: path, reason: WeightPackLimitError.fieldTooLarge(field: field, value: value, limit: limit))
        }
        return (ordered, plan)
    }

    private static func write(_ ordered: [TensorPayload], plan: HeaderPlan, options: Options, into file: OutputFile) throws {
        // A file with no tensors ends at the header; otherwise payloads start aligned.
        let firstPayload = ordered.isEmpty ? plan.headerBytes : alignUp(plan.headerBytes, to: WeightPackLayout.alignment)!
        try file.write([UInt8](repeating: 0, count: firstPayload))

        var records: [RecordPlan] = []
        for (position, tensor) in ordered.enumerated() {
            let offset = file.bytesWritten
            let expected = tensor.byteCount
            var record = RecordPlan(offset: offset, storedBytes: 0, crc32: 0, compressed: false)
            if options.compress && expected > 0 {
                let memory = MemorySink()
                try tensor.produce(memory)
                try checkSize(memory.bytes.count, expected, tensor, file)
                let shuffled = memory.bytes.withUnsafeBytes {
                    ByteShuffle.shuffle($0, width: WeightPackLayout.shuffleWidth(encoding: tensor.encoding, dtype: tensor.dtype))
                }
                let compressed = Deflate.compress(shuffled)
                try file.write(compressed)
                record.storedBytes = compressed.count
                record.crc32 = compressed.withUnsafeBytes { CRC32.checksum($0) }
                record.compressed = true
            } else {
                let sink = ChecksummingSink(file)
                try tensor.produce(sink)
                try checkSize(sink.count, expected, tensor, file)
                record.storedBytes = sink.count
                record.crc32 = sink.crc.value
            }
            records.append(record)
            let end = file.bytesWritten
            if position < ordered.count - 1 {
                try file.write([UInt8](repeating: 0, count: alignUp(end, to: WeightPackLayout.alignment)! - end))
            }
        }
        try file.overwrite(plan.headerBytes(records: records, fileBytes: file.bytesWritten), at: 0)
    }

    private static func checkSize(_ produced: Int, _ expected: Int, _ tensor: TensorPayload, _ file: OutputFile) throws {
        guard produced == expected else {
            throw WeightsFileError(path: file.destination, reason: WriterError.payloadSize(tensor: tensor.name, expected: expected, produced: produced))
        }
    }

    struct RecordPlan {
        var offset: Int
        var storedBytes: Int
        var crc32: UInt32
        var compressed: Bool
    }

    /// Everything in the header that does not depend on the payloads.
    struct HeaderPlan {
        let tensors: [TensorPayload]
        let dimsIndex: [Int]
        let dims: [Int]
        let names: [UInt8]
        let metadataBlock: [UInt8]?
        let configBytes: [UInt8]?

        init(_ tensors: [TensorPayload], metadata: Metadata?, config: String?) {
            self.tensors = tensors
            var dims: [Int] = []
            var pooled: [[Int]: Int] = [:]
            var dimsIndex: [Int] = []
            var names = ByteWriter()
            var previous: [UInt8] = []
            for tensor in tensors {
                if tensor.shape.rank == 0 {
                    dimsIndex.append(0)
                } else if let index = pooled[tensor.shape.dims] {
                    dimsIndex.append(index)
                } else {
                    pooled[tensor.shape.dims] = dims.count
                    dimsIndex.append(dims.count)
                    dims += tensor.shape.dims
                }
                let bytes = Array(tensor.name.utf8)
                let shared = zip(previous, bytes).prefix { $0 == $1 }.count
                names.writeVarint(shared)
                names.writeVarint(bytes.count - shared)
                names.write(bytes[shared...])
                previous = bytes
            }
            self.dims = dims
            self.dimsIndex = dimsIndex
            self.names = names.bytes
            metadataBlock = metadata.map { metadata in
                var block = ByteWriter()
                block.writeVarint(metadata.count)
                for entry in metadata {
                    block.writeString(entry.key)
                    block.writeString(entry.value)
                }
                return block.bytes
            }
            configBytes = config.map { Array($0.utf8) }
        }

        var headerBytes: Int {
            WeightPackLayout.headerSize + WeightPackLayout.recordSize * tensors.count + 8 * dims.count
                + names.count + (metadataBlock?.count ?? 0) + (configBytes?.count ?? 0)
        }

        func headerBytes(records: [RecordPlan], fileBytes: Int) -> [UInt8] {
            var out = ByteWriter()
            out.write(WeightPackLayout.magic)
            out.write(WeightPackLayout.version)
            var flags: WeightPackLayout.Flags = []
            if metadataBlock != nil { flags.insert(.metadata) }
            if configBytes != nil { flags.insert(.config) }
            out.write(flags.rawValue)
            out.write(UInt32(truncatingIfNeeded: tensors.count))
            out.write(UInt32(truncatingIfNeeded: dims.count))
            out.write(UInt32(truncatingIfNeeded: names.count))
            out.write(UInt32(truncatingIfNeeded: metadataBlock?.count ?? 0))
            out.write(UInt32(truncatingIfNeeded: configBytes?.count ?? 0))
            out.write(UInt64(headerBytes))
            out.write(UInt64(fileBytes))
            out.write(UInt32(0))  // CRC, filled in below
            out.write([UInt8](repeating: 0, count: 12))
            for (position, (tensor, record)) in zip(tensors, records).enumerated() {
                out.write(WeightPackLayout.dtypeCode(tensor.dtype))
                out.write(WeightPackLayout.encodingCode(tensor.encoding))
                out.write(record.compressed ? WeightPackLayout.Compression.shuffleDeflate.rawValue : WeightPackLayout.Compression.none.rawValue)
                // `prepare` checked rank <= 8, the pool size (so every index) and param.
                out.write(UInt8(truncatingIfNeeded: tensor.shape.rank))
                out.write(UInt32(truncatingIfNeeded: dimsIndex[position]))
                out.write(UInt64(record.offset))
                out.write(UInt64(record.storedBytes))
                out.write(record.crc32)
                out.write(WeightPackLayout.param(encoding: tensor.encoding, shape: tensor.shape) ?? 0)
            }
            for dim in dims { out.write(UInt64(dim)) }
            out.write(names)
            if let metadataBlock { out.write(metadataBlock) }
            if let configBytes { out.write(configBytes) }
            let crc = out.bytes.withUnsafeBytes { CRC32.checksum($0) }
            out.set(crc, at: WeightPackLayout.crcFieldOffset)
            return out.bytes
        }
    }
}
