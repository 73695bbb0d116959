/// An operating-system error on a named file.
public struct FileError: Error, Equatable, CustomStringConvertible, Sendable {
    public let path: String
    let operation: String
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
        FileError(path: path, operation: "write", message: FileError.existsMessage)
    }

    /// Whether this is `exists`: an output refused because its name is taken (a caller
    /// that can replace it says how).
    public var isExistingOutput: Bool { operation == "write" && message == FileError.existsMessage }

    private static let existsMessage = "file exists"

    /// An input that got shorter while it was mapped.
    static func inputShrank(_ path: String) -> FileError {
        FileError(path: path, problem: "the file shrank while being read (truncated by another process?)")
    }
}
