// F32 → F16, BF16 (FloatConversion, public), Q8_0 and Int8 per row (Quantizers, internal: reached
// with `@testable import`, which is why micro.sh builds with -enable-testing) on 16 MiB of F32
// input already in memory, one thread.
import Benchmark
@testable import WeightsKit

enum ConversionBenchmarks {
    static let count = 4 << 20
    static let rowLength = 1024

    static func register() {
        var generator = SplitMix(seed: 7)
        let input = (0..<count).map { _ in Float(generator.unit() * 8 - 4) }
        Work.record("F32→F16", bytes: count * 4)
        Work.record("F32→BF16", bytes: count * 4)
        Work.record("F32→Q8_0", bytes: count * 4)
        Work.record("F32→Int8 per row", bytes: count * 4)

        Benchmark("F32→F16") { benchmark in
            float(input, to: .f16, benchmark)
        }
        Benchmark("F32→BF16") { benchmark in
            float(input, to: .bf16, benchmark)
        }
        Benchmark("F32→Q8_0") { benchmark in
            var blocks = [UInt8](repeating: 0, count: count / 32 * 34)
            input.withUnsafeBufferPointer { values in
                blocks.withUnsafeMutableBytes { out in
                    benchmark.startMeasurement()
                    for _ in benchmark.scaledIterations { Quantizers.quantizeQ8_0(values, into: out) }
                    benchmark.stopMeasurement()
                }
            }
            blackHole(blocks[0])
        }
        Benchmark("F32→Int8 per row") { benchmark in
            var q = [UInt8](repeating: 0, count: count)
            var scale: Float = 0
            input.withUnsafeBufferPointer { values in
                q.withUnsafeMutableBytes { out in
                    benchmark.startMeasurement()
                    for _ in benchmark.scaledIterations {
                        for row in stride(from: 0, to: count, by: rowLength) {
                            scale += Quantizers.quantizeInt8Row(UnsafeBufferPointer(rebasing: values[row..<(row + rowLength)]),
                                                                into: UnsafeMutableRawBufferPointer(rebasing: out[row..<(row + rowLength)]))
                        }
                    }
                    benchmark.stopMeasurement()
                }
            }
            blackHole(scale)
        }
    }

    static func float(_ input: [Float], to dtype: DType, _ benchmark: Benchmark) {
        var halves = [UInt16](repeating: 0, count: count)
        input.withUnsafeBytes { source in
            halves.withUnsafeMutableBytes { out in
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    FloatConversion.convert(source, from: .f32, to: dtype, count: count, into: out)
                }
                benchmark.stopMeasurement()
            }
        }
        blackHole(halves[0])
    }
}
