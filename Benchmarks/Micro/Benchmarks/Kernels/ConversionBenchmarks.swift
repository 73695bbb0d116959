// GB/s of F32 input, one thread, 16 MiB of input. Each runs its kernel (FloatConversion for F16 and BF16,
// Quantizers for Q8_0 and Int8 per row over 4096 rows of 1024) on values in memory, 8 times per
// iteration (samples of tens of milliseconds ride out the scheduler's time slices on a shared
// machine).
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
        Work.record("F32→Q8_0", bytes: repeats * count * 4)
        Benchmark("F32→Q8_0") { benchmark in
            var blocks = [UInt8](repeating: 0, count: count / 32 * 34)
            input.withUnsafeBufferPointer { values in
                blocks.withUnsafeMutableBytes { out in
                    benchmark.startMeasurement()
                    for _ in benchmark.scaledIterations {
                        for _ in 0..<repeats { Quantizers.quantizeQ8_0(values, into: out) }
                    }
                    benchmark.stopMeasurement()
                }
            }
            blackHole(blocks[0])
        }
        Work.record("F32→Int8 per row", bytes: repeats * count * 4)
        Benchmark("F32→Int8 per row") { benchmark in
            var int8 = [UInt8](repeating: 0, count: count)
            var scale: Float = 0
            input.withUnsafeBufferPointer { values in
                int8.withUnsafeMutableBytes { out in
                    benchmark.startMeasurement()
                    for _ in benchmark.scaledIterations {
                        for _ in 0..<repeats {
                            for row in 0..<rows {
                                scale += Quantizers.quantizeInt8Row(UnsafeBufferPointer(rebasing: values[(row * columns)..<((row + 1) * columns)]),
                                                                    into: UnsafeMutableRawBufferPointer(rebasing: out[(row * columns)..<((row + 1) * columns)]))
                            }
                        }
                    }
                    benchmark.stopMeasurement()
                }
            }
            blackHole(scale)
        }
    }
}
