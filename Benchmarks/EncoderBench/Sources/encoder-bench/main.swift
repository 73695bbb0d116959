// Times EmbeddingCore's encoder on all-MiniLM-L6-v2 for the batches of
// Benchmarks/encoder_torch.py (1 × 8, 8 × 32, 32 × 128 tokens, the same seeded ids),
// with the same thread count. Usage: encoder-bench MODEL_DIR THREADS
import EmbeddingCore
#if canImport(Glibc)
import Glibc
#endif
import WeightsKit

let arguments = CommandLine.arguments
guard arguments.count == 3, let threads = Int(arguments[2]) else {
    print("usage: encoder-bench MODEL_DIR THREADS")
    exit(64)
}
setMatrixThreads(threads)
let encoder = try Encoders.load(try ModelTensors.open(arguments[1]))

/// The same ids as the Python side: a linear congruential sequence over the vocabulary.
func ids(batch: Int, length: Int) -> [[Int]] {
    var state = 12345
    return (0..<batch).map { _ in
        [101] + (0..<(length - 2)).map { _ in
            state = (state * 1103515245 + 12345) % 2147483648
            return 1000 + state % 28000
        } + [102]
    }
}

let clock = ContinuousClock()
for (batch, length) in [(1, 8), (8, 32), (32, 128)] {
    let input = try EncoderBatch(sequences: ids(batch: batch, length: length))
    _ = try encoder.encode(input)
    let runs = batch * length >= 4096 ? 5 : 30
    let start = clock.now
    for _ in 0..<runs { _ = try encoder.encode(input) }
    let elapsed = clock.now - start
    let ms = (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) * 1000 / Double(runs)
    print("swift \(batch)x\(length) \(ms) ms")
}
