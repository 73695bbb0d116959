/// A payload producer broke its promise; a bug, reported rather than written.
public enum WriterError: Error, Equatable, Sendable, CustomStringConvertible {
    case payloadSize(tensor: String, expected: Int, produced: Int)
    case encodingNotSupported(tensor: String, encoding: TensorEncoding)
    case duplicateName(String)

    public var description: String {
        switch self {
        case let .encodingNotSupported(tensor, encoding):
            "tensor \"\(tensor)\": safetensors cannot hold \(encoding.rawValue) tensors; write a .wpk file instead"
        case let .duplicateName(name):
            "tensor \"\(name)\" appears twice"
        case let .payloadSize(tensor, expected, produced):
            "tensor \"\(tensor)\": produced \(produced) bytes, expected \(expected)"
        }
    }
}
