// The benchmark suite: every benchmark measures wall-clock time per iteration; micro.sh turns the
// median into GB/s, GFLOP/s or tokens/s with the work per iteration printed by `Work.describe`.
// Thresholds (Thresholds/Kernels.*.p90.json) fail a run whose p90 is 70% slower than recorded:
// loose enough for a shared 2-core machine, tight enough that a 2× regression fails.
import Benchmark

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock],
        timeUnits: .microseconds,
        warmupIterations: 3,
        maxDuration: .seconds(2),
        maxIterations: 400,
        thresholds: [.wallClock: BenchmarkThresholds(relative: [.p90: 70.0])]
    )
    ConversionBenchmarks.register()
    EncoderLayerBenchmark.register()
    TokenizerBenchmarks.register()
}
