/// An error tied to one file: the path, then the broken rule (which names the tensor).
public struct WeightsFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: any Error

    public init(path: String, reason: any Error) {
        self.path = path
        self.reason = reason
    }

    /// "PATH: tensor "NAME": rule [code]"; OS errors already name their path.
    public var description: String {
        if let fileError = reason as? FileError { return fileError.description }
        return "\(path): \(reason)"
    }
}
