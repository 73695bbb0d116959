/// An operating-system error on a named file.
public struct FileError: Error, Equatable, CustomStringConvertible, Sendable {
    public let path: String
    public let operation: String
    public let message: String

    public init(path: String, operation: String, message: String) {
        self.path = path
        self.operation = operation
        self.message = message
    }

    /// A problem that is not a failed operation: "PATH: MESSAGE".
    public init(path: String, problem: String) {
        self.path = path
        self.operation = ""
        self.message = problem
    }

    public var description: String { operation.isEmpty ? "\(path): \(message)" : "\(path): cannot \(operation): \(message)" }

    /// An output name that is already taken.
    public static func exists(_ path: String) -> FileError {
        FileError(path: path, operation: "write", message: "file exists (use --force to replace it)")
    }

    /// An input that got shorter while it was mapped.
    public static func inputShrank(_ path: String) -> FileError {
        FileError(path: path, problem: "the file shrank while being read (truncated by another process?)")
    }
}
