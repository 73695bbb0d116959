/// What a file says about one tensor: its name, element type, shape and where its bytes are.
public struct TensorInfo: Hashable, Sendable {
    public let name: String
    /// The element type: what is stored for `.plain`, what the values were before
    /// quantization for the other encodings.
    public let dtype: DType
    public let shape: Shape
    public let encoding: TensorEncoding
    /// Absolute byte offset of the payload in its file.
    public let offset: Int
    /// Payload length in bytes (as encoded, before any compression).
    public let byteCount: Int

    public init(name: String, dtype: DType, shape: Shape, encoding: TensorEncoding = .plain, offset: Int, byteCount: Int) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.encoding = encoding
        self.offset = offset
        self.byteCount = byteCount
    }

    /// Equal when every field is, the name compared by its exact bytes (see `ExactName`).
    public static func == (left: TensorInfo, right: TensorInfo) -> Bool {
        left.name.isByteEqual(to: right.name) && left.dtype == right.dtype && left.shape == right.shape
            && left.encoding == right.encoding && left.offset == right.offset && left.byteCount == right.byteCount
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ExactName(name))
        hasher.combine(dtype)
        hasher.combine(shape)
        hasher.combine(encoding)
        hasher.combine(offset)
        hasher.combine(byteCount)
    }

    /// Number of elements (validated when the file was opened, so it cannot overflow).
    public var elementCount: Int { shape.elementCount ?? 0 }
}
