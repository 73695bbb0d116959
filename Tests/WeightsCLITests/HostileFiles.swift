import Foundation
import TestSupport

/// Safetensors files built byte by byte for the hostile-input CLI tests.
enum HostileFiles {
    struct Tensor {
        let name: String
        let dtype: String
        let shape: [Int]
        let bytes: [UInt8]
    }

    /// A valid safetensors file: header (names JSON-escaped), payloads in name order. With
    /// `sparse`, payloads are not written and the file is extended with ftruncate instead.
    static func safetensors(_ tensors: [Tensor], metadata: [String: String]? = nil, to path: String, sparse: Bool = false) throws {
        var header: [String: Any] = [:]
        var offset = 0
        let ordered = tensors.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        for tensor in ordered {
            let count = sparse ? tensor.shape.reduce(2, *) : tensor.bytes.count
            header[tensor.name] = ["dtype": tensor.dtype, "shape": tensor.shape, "data_offsets": [offset, offset + count]]
            offset += count
        }
        if let metadata { header["__metadata__"] = metadata }
        var json = Array(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        json += [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8)
        var file = withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) } + json
        if !sparse { for tensor in ordered { file += tensor.bytes } }
        writeBytes(file, to: path)
        if sparse {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: UInt64(8 + json.count + offset))
            try handle.close()
        }
    }

    static func f32(_ name: String, _ values: [Float], shape: [Int]? = nil) -> Tensor {
        Tensor(name: name, dtype: "F32", shape: shape ?? [values.count], bytes: values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } })
    }

    static func i64(_ name: String, _ values: [Int64]) -> Tensor {
        Tensor(name: name, dtype: "I64", shape: [values.count], bytes: values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } })
    }

    static func f64(_ name: String, _ values: [Double]) -> Tensor {
        Tensor(name: name, dtype: "F64", shape: [values.count], bytes: values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } })
    }

    /// Runs `weights ARGS` with `environment` added, killed after `seconds` (status 9,
    /// signalled), so a hang fails the test instead of stalling the suite.
    static func runBounded(_ arguments: [String], seconds: Double = 10, environment: [String: String] = [:]) throws -> CLI.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let watchdog = DispatchWorkItem { kill(process.processIdentifier, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return CLI.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }
}
