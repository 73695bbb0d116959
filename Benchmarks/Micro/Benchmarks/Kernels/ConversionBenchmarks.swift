// GB/s of F32 input, one thread, 16 MiB of input. F32 → F16 and BF16 run FloatConversion's kernel
// on values in memory, 8 times per iteration (samples of tens of milliseconds ride out the
// scheduler's time slices on a shared machine). Quantizers (Q8_0, Int8 per row) are internal to WeightsKit, so those two go
// through the public conversion path instead: ModelConversion of a mapped 4096 × 1024 F32 tensor
// (page cache warm) into a .wpk on tmpfs, error statistics included, as `weights convert` does.
import Benchmark
import Foundation
import WeightsKit

enum ConversionBenchmarks {
    static let (rows, columns) = (4096, 1024)
    static let count = rows * columns
    static let repeats = 8

    static func register() {
        var generator = SplitMix(seed: 7)
        let input = (0..<count).map { _ in Float(generator.unit() * 8 - 4) }
        for dtype in [DType.f16, .bf16] {
            let name = "F32→\(dtype == .f16 ? "F16" : "BF16")"
            Work.record(name, bytes: repeats * count * 4)
            Benchmark(name) { benchmark in
                var halves = [UInt16](repeating: 0, count: count)
                input.withUnsafeBytes { source in
                    halves.withUnsafeMutableBytes { out in
                        benchmark.startMeasurement()
                        for _ in benchmark.scaledIterations {
                            for _ in 0..<repeats { FloatConversion.convert(source, from: .f32, to: dtype, count: count, into: out) }
                        }
                        benchmark.stopMeasurement()
                    }
                }
                blackHole(halves[0])
            }
        }
        for (name, target) in [("F32→Q8_0 (convert to tmpfs .wpk)", ConversionPolicy.Target.q8_0),
                               ("F32→Int8 per row (convert to tmpfs .wpk)", .int8)] {
            Work.record(name, bytes: count * 4)
            Benchmark(name) { benchmark in
                let folder = scratchFolder()
                let source = try ModelLoader.open(try writeInput(input, in: folder))
                let policy = try ConversionPolicy(target: target)
                let output = folder + "/out.wpk"
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    let plan = try ModelConversion(source: source, policy: policy, format: .weightPack)
                    try WeightPackWriter.write(try plan.payloads(), metadata: plan.outputMetadata, config: nil, to: output, overwrite: true)
                }
                benchmark.stopMeasurement()
            }
        }
    }

    /// A folder on tmpfs (/dev/shm) when there is one, so the written bytes cost a copy, not a disk.
    static func scratchFolder() -> String {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()
        let folder = base + "weights-micro-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    static func writeInput(_ input: [Float], in folder: String) throws -> String {
        let path = folder + "/input.safetensors"
        let payload = TensorPayload(name: "encoder.layer.0.intermediate.dense.weight", dtype: .f32, shape: Shape([rows, columns])) { sink in
            try input.withUnsafeBytes { try sink.write($0) }
        }
        try SafetensorsWriter.write([payload], metadata: nil, to: path, overwrite: true)
        return path
    }
}
