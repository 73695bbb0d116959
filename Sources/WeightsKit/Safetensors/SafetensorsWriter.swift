/// Writes safetensors files exactly as the reference (`safetensors.numpy.save_file`)
/// does, streaming one tensor at a time.
///
/// Layout rules of the reference, all reproduced here:
/// - tensors are sorted by dtype, descending in the reference `Dtype` enumeration,
///   then by name (byte order);
/// - the header is compact JSON in serde_json's escaping, `__metadata__` first when
///   present, each entry as `{"dtype":..,"shape":[..],"data_offsets":[b,e]}`;
/// - the header is padded with spaces to a multiple of 8 bytes.
public enum SafetensorsWriter {
    /// Whether safetensors can hold a tensor of `encoding`: plain tensors as they are,
    /// int8-per-row ones as an `Int8Safetensors` pair. Q8_0 has no safetensors form.
    static func canHold(_ encoding: TensorEncoding) -> Bool {
        encoding != .q8_0
    }

    /// The reference's order: dtype descending, then name ascending by UTF-8 bytes.
    static func referenceOrder(_ a: (name: String, dtype: DType), _ b: (name: String, dtype: DType)) -> Bool {
        if a.dtype != b.dtype { return a.dtype.referenceRank > b.dtype.referenceRank }
        return a.name.bytePrecedes(b.name)
    }

    /// The header bytes (length prefix included) for tensors already in write order.
    public static func headerBytes(for tensors: [TensorPayload], metadata: Metadata?) -> [UInt8] {
        var json = JSONText()
        json.raw("{")
        var first = true
        if let metadata {
            json.string("__metadata__")
            json.raw(":")
            json.stringObject(metadata.pairs)
            first = false
        }
        var offset = 0
        for tensor in tensors {
            let size = tensor.shape.byteCount(for: tensor.dtype) ?? 0
            if !first { json.raw(",") }
            first = false
            json.string(tensor.name)
            json.raw(":{\"dtype\":")
            json.string(tensor.dtype.name)
            json.raw(",\"shape\":")
            json.integerArray(tensor.shape.dims)
            json.raw(",\"data_offsets\":")
            json.integerArray([offset, offset + size])
            json.raw("}")
            offset += size
        }
        json.raw("}")
        var header = json.bytes
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))
        var lengthField = UInt64(header.count).littleEndian
        return withUnsafeBytes(of: &lengthField) { Array($0) } + header
    }

    /// Writes `tensors` (in any order; they are sorted as the reference sorts them) with
    /// `metadata` to `path`, atomically. Refuses an existing file unless `overwrite`
    /// (`isExistingOutput` tells that failure apart).
    public static func write(_ tensors: [TensorPayload], metadata: Metadata?, to path: String, overwrite: Bool,
                             durable: Bool = true) throws(WeightsFileError) {
        let file: OutputFile
        do { file = try OutputFile(destination: path, overwrite: overwrite) } catch { throw WeightsFileError(error) }
        file.durable = durable
        try write(tensors, metadata: metadata, into: file)
        do { try file.commit() } catch { throw WeightsFileError(error) }
    }

    /// Writes a complete file into an open `OutputFile` (which the caller commits).
    public static func write(_ tensors: [TensorPayload], metadata: Metadata?, into file: OutputFile) throws(WeightsFileError) {
        do { try writeUnchecked(tensors, metadata: metadata, into: file) } catch { throw WeightsFileError.writing(file.destination, error) }
    }

    private static func writeUnchecked(_ tensors: [TensorPayload], metadata: Metadata?, into file: OutputFile) throws {
        if let quantized = tensors.first(where: { $0.encoding != .plain }) {
            throw WeightsFileError(path: file.destination, reason: WriterError.encodingNotSupported(tensor: quantized.name, encoding: quantized.encoding))
        }
        let ordered = tensors.sorted { referenceOrder(($0.name, $0.dtype), ($1.name, $1.dtype)) }
        var seen = Set<ExactName>(minimumCapacity: ordered.count)
        for tensor in ordered where !seen.insert(tensor.name.exact).inserted {
            throw WeightsFileError(path: file.destination, reason: WriterError.duplicateName(tensor.name))
        }
        try file.write(headerBytes(for: ordered, metadata: metadata))
        for tensor in ordered {
            let expected = tensor.shape.byteCount(for: tensor.dtype) ?? 0
            let before = file.bytesWritten
            try tensor.produce(file)
            let produced = file.bytesWritten - before
            guard produced == expected else {
                throw WeightsFileError(path: file.destination, reason: WriterError.payloadSize(tensor: tensor.name, expected: expected, produced: produced))
            }
        }
    }
}
