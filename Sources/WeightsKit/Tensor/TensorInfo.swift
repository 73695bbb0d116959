/// What a file says about one tensor: its name, element type, shape and where its bytes are.
public struct TensorInfo: Hashable, Sendable {
    public let name: String
    public let dtype: DType
    public let shape: Shape
    /// Absolute byte offset of the payload in its file.
    public let offset: Int
    /// Payload length in bytes.
    public let byteCount: Int

    public init(name: String, dtype: DType, shape: Shape, offset: Int, byteCount: Int) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.offset = offset
        self.byteCount = byteCount
    }

    /// Number of elements (validated when the file was opened, so it cannot overflow).
    public var elementCount: Int { shape.elementCount ?? 0 }
}
