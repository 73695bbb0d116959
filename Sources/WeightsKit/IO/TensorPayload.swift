/// One tensor to write: what it is, and a closure that streams its bytes.
public struct TensorPayload {
    public let name: String
    public let dtype: DType
    public let shape: Shape
    public let encoding: TensorEncoding
    /// Writes exactly `byteCount` bytes to the sink.
    package let produce: (any ByteSink) throws -> Void

    public init(name: String, dtype: DType, shape: Shape, encoding: TensorEncoding = .plain,
                produce: @escaping (any ByteSink) throws -> Void) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.encoding = encoding
        self.produce = produce
    }

    /// Payload bytes the producer must write.
    public var byteCount: Int { encoding.payloadBytes(shape: shape, dtype: dtype) ?? 0 }

    /// A payload copied from an existing tensor, chunk by chunk, releasing the input's
    /// mapped pages as it goes so memory stays flat on files larger than RAM.
    public init(copying view: TensorView) {
        self.init(name: view.name, dtype: view.dtype, shape: view.shape, encoding: view.encoding) { file in
            try view.withUnsafeBytes { bytes in
                let chunk = 16 << 20
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + chunk)
                    try file.write(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                    start = end
                }
            }
            view.releasePages()
        }
    }
}
