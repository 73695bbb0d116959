// The work one iteration of each benchmark does, printed once per run ("work NAME UNIT AMOUNT")
// so that micro.sh can turn medians of wall-clock time into GB/s, GFLOP/s and tokens/s.
#if canImport(Glibc)
import Glibc
#endif

enum Work {
    static func record(_ name: String, bytes: Int) { emit(name, "bytes", bytes) }
    static func record(_ name: String, flops: Int) { emit(name, "flops", flops) }
    static func record(_ name: String, tokens: Int) { emit(name, "tokens", tokens) }

    /// Appends to $MICRO_WORK_FILE when micro.sh sets it (the benchmark tool owns stdout).
    private static func emit(_ name: String, _ unit: String, _ amount: Int) {
        guard let path = getenv("MICRO_WORK_FILE"), let file = fopen(path, "a") else { return }
        fputs("\(name)\t\(unit)\t\(amount)\n", file)
        fclose(file)
    }
}

/// A seeded generator, so every run benchmarks the same values.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
