import Foundation
@_exported import TestSupport

/// Runs the `weights` binary built with this test bundle: the test target depends on the
/// executable, so `swift test` (any scratch path, any configuration) builds it first and it
/// lies beside the bundle. WEIGHTS_BIN overrides it (to test another build of the tool).
enum CLI {
    static let root = Repository.root
    static let binary = ProcessInfo.processInfo.environment["WEIGHTS_BIN"] ?? productsDirectory.appendingPathComponent("weights").path

    /// Set by `make test-asan`: the binary is AddressSanitizer-instrumented, and its shadow
    /// memory (terabytes of address space) leaves no room for a `ulimit -v` limit.
    static let underAddressSanitizer = ProcessInfo.processInfo.environment["WEIGHTS_SANITIZER"] == "address"

    /// The build products directory (.build/<triple>/debug, .build-asan/..., ...): the folder of
    /// the .xctest bundle on Apple platforms, of the test executable elsewhere.
    static let productsDirectory: URL = {
        #if os(macOS)
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        #endif
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return executable.resolvingSymlinksInPath().deletingLastPathComponent()
    }()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `weights ARGS`; with `shellPrefix`, runs through bash so limits like
    /// `ulimit -f` can be set first; with `currentDirectory`, runs there (so relative paths
    /// in ARGS, and in the output, are the same on every machine).
    static func run(_ arguments: [String], shellPrefix: String? = nil, currentDirectory: String? = nil) throws -> Result {
        let process = Process()
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
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
