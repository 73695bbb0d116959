/// Writes GGUF version 3 files (ggml's docs/gguf.md; layout in `GGUF`), streaming one
/// tensor at a time, as gguf-py's `GGUFWriter` lays them out:
///
/// - header: magic, version 3, tensor count, metadata count (little-endian);
/// - the metadata entries in the order given (gguf-py keeps insertion order);
/// - one info per tensor, in the order given: name, n_dims, ne (the row-major shape
///   reversed), ggml type, offset from the data start;
/// - zeros up to a multiple of the alignment, then each payload followed by zeros up to
///   the next multiple (the last one too, as gguf-py pads it).
///
/// Every size is known from the names, shapes and types, so the header is complete
/// before the first payload byte and nothing is rewritten. Memory stays at the header plus
/// what a payload producer buffers. The file appears only when complete (`OutputFile`).
public enum GGUFWriter {
    /// One tensor: its GGUF name and type, and the producer of its bytes (`payload.shape`
    /// is the row-major shape; its `byteCount` is what the producer writes).
    public struct Tensor {
        public let payload: TensorPayload
        public let type: GGMLType

        /// The GGUF type of `payload`: its plain element type, or its ggml block encoding.
        public init?(_ payload: TensorPayload) {
            switch payload.encoding {
            case .plain:
                guard let type = GGMLType(plain: payload.dtype) else { return nil }
                self.type = type
            case .q8_0: type = .q8_0
            case .q4_0: type = .q4_0
            case .q4_1: type = .q4_1
            case .q5_0: type = .q5_0
            case .q5_1: type = .q5_1
            case .int8PerRow, .ggml: return nil
            }
            self.payload = payload
        }

        var name: String { payload.name }
        /// ne: the row-major shape reversed (fastest-varying first); a scalar is [1].
        var dimensions: [Int] { payload.shape.rank == 0 ? [1] : payload.shape.dims.reversed() }
    }

    /// Writes `metadata` and `tensors` to `path`. Refuses, before the file exists, a
    /// duplicate tensor name or key, more than 4 dimensions, and a payload whose size is
    /// not that of its type and shape.
    public static func write(metadata: [GGUFMetadataEntry], tensors: [Tensor], alignment: Int = GGUF.defaultAlignment,
                             to path: String, overwrite: Bool, durable: Bool = true) throws(WeightsFileError)
    {
        let header = try headerBytes(metadata: metadata, tensors: tensors, alignment: alignment, path: path)
        let file: OutputFile
        do { file = try OutputFile(destination: path, overwrite: overwrite) } catch { throw WeightsFileError(error) }
        file.durable = durable
        do {
            try file.write(header)
            for tensor in tensors {
                let sink = CountingSink(file)
                try tensor.payload.produce(sink)
                guard sink.count == tensor.payload.byteCount else {
                    throw WeightsFileError(path: path, reason: .writer(.payloadSize(tensor: tensor.name, expected: tensor.payload.byteCount, produced: sink.count)))
                }
                try file.write([UInt8](repeating: 0, count: padding(sink.count, alignment)))
            }
            try file.commit()
        } catch let error as WeightsFileError {
            throw error
        } catch {
            throw WeightsFileError.writing(path, error)
        }
    }

    /// Header, metadata, tensor infos and the padding before the first payload.
    static func headerBytes(metadata: [GGUFMetadataEntry], tensors: [Tensor], alignment: Int,
                            path: String) throws(WeightsFileError) -> [UInt8] {
        var seenNames = Set<[UInt8]>()
        for tensor in tensors {
            guard seenNames.insert(Array(tensor.name.utf8)).inserted else {
                throw WeightsFileError(path: path, reason: .writer(.duplicateName(tensor.name)))
            }
            guard tensor.dimensions.count <= GGUF.maxDimensions,
                  tensor.type.byteCount(elements: tensor.payload.shape.elementCount ?? -1) == tensor.payload.byteCount else {
                throw WeightsFileError(path: path, reason: .writer(.encodingNotSupported(tensor: tensor.name, encoding: tensor.payload.encoding)))
            }
        }
        var seenKeys = Set<[UInt8]>()
        for entry in metadata where !seenKeys.insert(Array(entry.key.utf8)).inserted {
            throw WeightsFileError(path: path, reason: .producer("metadata key \"\(entry.key)\" appears twice"))
        }
        var out = ByteWriter()
        out.write(GGUF.magicBytes)
        out.write(GGUF.version)
        out.write(UInt64(tensors.count))
        out.write(UInt64(metadata.count))
        for entry in metadata {
            out.writeGGUFString(Array(entry.key.utf8))
            out.write(entry.value.type.rawValue)
            out.writeGGUFValue(entry.value)
        }
        var offset = 0
        for tensor in tensors {
            out.writeGGUFString(Array(tensor.name.utf8))
            out.write(UInt32(tensor.dimensions.count))
            for dimension in tensor.dimensions { out.write(UInt64(dimension)) }
            out.write(tensor.type.rawValue)
            out.write(UInt64(offset))
            offset += tensor.payload.byteCount + padding(tensor.payload.byteCount, alignment)
        }
        out.write([UInt8](repeating: 0, count: padding(out.bytes.count, alignment)))
        return out.bytes
    }

    /// Zeros that bring `count` to a multiple of `alignment`.
    static func padding(_ count: Int, _ alignment: Int) -> Int {
        (alignment - count % alignment) % alignment
    }
}

/// Forwards bytes, counting them.
private final class CountingSink: ByteSink {
    private let target: any ByteSink
    private(set) var count = 0

    init(_ target: any ByteSink) { self.target = target }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        count += bytes.count
        try target.write(bytes)
    }

    func fill(upTo limit: Int, granule: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) throws -> Int {
        let size = try target.fill(upTo: limit, granule: granule, body)
        count += size
        return size
    }
}

extension ByteWriter {
    /// A gguf_string: u64 length, then the bytes (no NUL).
    mutating func writeGGUFString(_ bytes: [UInt8]) {
        write(UInt64(bytes.count))
        write(bytes)
    }

    /// A metadata value without its type tag (an array carries its element type and count).
    mutating func writeGGUFValue(_ value: GGUFMetadataValue) {
        switch value {
        case let .uint8(v): write(v)
        case let .int8(v): write(v)
        case let .uint16(v): write(v)
        case let .int16(v): write(v)
        case let .uint32(v): write(v)
        case let .int32(v): write(v)
        case let .float32(v): write(v.bitPattern)
        case let .bool(v): write(UInt8(v ? 1 : 0))
        case let .string(bytes): writeGGUFString(bytes)
        case let .array(elements):
            write(elements.elementType.rawValue)
            write(UInt64(elements.count))
            elements.write(into: &self)
        case let .uint64(v): write(v)
        case let .int64(v): write(v)
        case let .float64(v): write(v.bitPattern)
        }
    }
}
