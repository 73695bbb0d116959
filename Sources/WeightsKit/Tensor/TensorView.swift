/// A zero-copy view of one tensor's bytes inside a mapped file.
///
/// The view keeps its `MappedFile` alive. Pointers are only lent to closures, so
/// they cannot outlive the mapping.
public struct TensorView: Sendable {
    public let info: TensorInfo
    let file: MappedFile

    init(info: TensorInfo, file: MappedFile) {
        self.info = info
        self.file = file
    }

    public var name: String { info.name }
    public var dtype: DType { info.dtype }
    public var shape: Shape { info.shape }

    /// The stored bytes, exactly as in the file (little-endian).
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try file.withBytes(in: info.offset..<(info.offset + info.byteCount), body)
    }

    /// A copy of the stored bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }

    /// The values converted to `Float`, or `nil` when the dtype has no such decoding
    /// (sub-byte floats, F8_E8M0, FNUZ variants, complex).
    public func floats() -> [Float]? {
        guard dtype.isDecodable else { return nil }
        let count = info.elementCount
        return withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: count) { out, initialized in
                ElementDecoder.decode(raw, as: dtype, into: out)
                initialized = count
            }
        }
    }

    /// Releases the mapped pages behind this tensor (see `MappedFile.releasePages`).
    public func releasePages() {
        file.releasePages(in: info.offset..<(info.offset + info.byteCount))
    }
}
