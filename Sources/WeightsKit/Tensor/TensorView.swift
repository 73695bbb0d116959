/// A view of one tensor's payload: zero-copy into a mapped file, or (for a compressed
/// WeightPack tensor) into the bytes it was decompressed to.
///
/// The view keeps what it points into alive. Pointers are only lent to closures, so
/// they cannot outlive the mapping.
public struct TensorView: Sendable {
    public private(set) var info: TensorInfo
    private let backing: Backing

    enum Backing: Sendable {
        /// The payload is `info.offset ..< info.offset + info.byteCount` of the file.
        case mapped(any MappedBytes)
        /// The payload is the whole buffer.
        case owned(OwnedBytes)
    }

    init(info: TensorInfo, file: any MappedBytes) {
        self.info = info
        backing = .mapped(file)
    }

    init(info: TensorInfo, bytes: OwnedBytes) {
        self.info = info
        backing = .owned(bytes)
    }

    public var name: String { info.name }

    /// The same payload under another name (a GGUF tensor under its Hugging Face name).
    func renamed(_ name: String) -> TensorView {
        var copy = self
        copy.info = TensorInfo(name: name, dtype: info.dtype, shape: info.shape, encoding: info.encoding, offset: info.offset, byteCount: info.byteCount)
        return copy
    }
    public var dtype: DType { info.dtype }
    public var shape: Shape { info.shape }
    public var encoding: TensorEncoding { info.encoding }

    /// The payload bytes as encoded (little-endian elements, or quantized blocks).
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        switch backing {
        case let .mapped(file): try file.withBytes(in: info.offset..<(info.offset + info.byteCount), body)
        case let .owned(bytes): try bytes.withBytes(body)
        }
    }

    /// A copy of the payload bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// The values as `Float` (dequantized for quantized encodings), or `nil` when the dtype
    /// has no such decoding (sub-byte floats, F8_E8M0, FNUZ variants, complex).
    public func floats() -> [Float]? {
        guard encoding == .plain ? dtype.isDecodable : encoding.isDecodable else { return nil }
        let count = info.elementCount
        return withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: count) { out, initialized in
                decode(raw, elements: 0..<count, into: out)
                initialized = count
            }
        }
    }

    /// The values at `elements` (row-major element indices) as `Float`, dequantizing only
    /// what they need: an embedding lookup reads one row, not the table.
    public func floats(elements: Range<Int>) -> [Float]? {
        guard encoding == .plain ? dtype.isDecodable : encoding.isDecodable else { return nil }
        guard elements.lowerBound >= 0, elements.upperBound <= info.elementCount else { return nil }
        return withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: elements.count) { out, initialized in
                decode(raw, elements: elements, into: out)
                initialized = elements.count
            }
        }
    }

    /// Decodes the values at `elements` (for quantized encodings, whole rows or blocks are
    /// the caller's business: any range works, it is just slower across rows).
    func decode(_ raw: UnsafeRawBufferPointer, elements: Range<Int>, into out: UnsafeMutableBufferPointer<Float>) {
        switch encoding {
        case .plain:
            let width = dtype.bitWidth / 8
            ElementDecoder.decode(UnsafeRawBufferPointer(rebasing: raw[(elements.lowerBound * width)..<(elements.upperBound * width)]), as: dtype, into: out)
        case .int8PerRow:
            let (rows, columns) = TensorEncoding.rowsAndColumns(shape) ?? (0, 0)
            let scales = TensorEncoding.int8ScalesOffset(rows: rows, columns: columns) ?? 0
            for (slot, index) in elements.enumerated() {
                let row = index / columns
                let scale = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: scales + row * 4, as: UInt32.self)))
                out[slot] = Float(Int8(bitPattern: raw[index])) * scale
            }
        case .q8_0:
            for (slot, index) in elements.enumerated() {
                let block = index / TensorEncoding.q8BlockLength
                let base = block * TensorEncoding.q8BlockBytes
                let d = ElementDecoder.halfToFloat(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: base, as: UInt16.self)))
                out[slot] = Float(Int8(bitPattern: raw[base + 2 + index % TensorEncoding.q8BlockLength])) * d
            }
        case .q4_0, .q4_1, .q5_0, .q5_1:
            GGMLBlocks.decode(raw, encoding: encoding, elements: elements, into: out)
        case .ggml:
            // `floats()` refuses undecodable encodings before calling this.
            for slot in out.indices { out[slot] = .nan }
        }
    }

    /// Releases the mapped pages behind this tensor (see `MappedFile.releasePages`).
    public func releasePages() {
        releasePages(bytes: 0..<info.byteCount)
    }

    /// Releases the mapped pages behind `bytes` of the payload, once a stream has used them.
    public func releasePages(bytes: Range<Int>) {
        if case let .mapped(file) = backing {
            file.releasePages(in: (info.offset + bytes.lowerBound)..<(info.offset + min(bytes.upperBound, info.byteCount)))
        }
    }
}

/// Bytes a view can point into without owning them: a mapped file (`MappedFile`, in IO).
/// Declared here so that a view needs nothing from the layers above it.
protocol MappedBytes: AnyObject, Sendable {
    /// Bytes `range`, which the caller has already checked lies inside the mapping.
    func withBytes<R, E: Error>(in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R
    /// Tells the kernel the pages of `range` will not be needed again soon.
    func releasePages(in range: Range<Int>)
}

/// Bytes a view owns (a decompressed payload).
final class OwnedBytes: @unchecked Sendable {
    private let storage: [UInt8]

    init(_ bytes: [UInt8]) {
        storage = bytes
    }

    func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try storage.withUnsafeBytes { raw in Result { () throws(E) in try body(raw) } }.get()
    }
}
