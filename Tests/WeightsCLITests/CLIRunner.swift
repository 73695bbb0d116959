import Foundation
@_exported import TestSupport

/// Runs the built `weights` binary (built by `make test` before `swift test`).
enum CLI {
    static let root = Repository.root
    static let binary = ProcessInfo.processInfo.environment["WEIGHTS_BIN"] ?? root.appendingPathComponent(".build/debug/weights").path

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `weights ARGS`; with `shellPrefix`, runs through bash so limits like
    /// `ulimit -f` can be set first.
    static func run(_ arguments: [String], shellPrefix: String? = nil) throws -> Result {
        let process = Process()
        if let shellPrefix {
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            let quoted = ([binary] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            process.arguments = ["-c", "\(shellPrefix); exec \(quoted)"]
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}
