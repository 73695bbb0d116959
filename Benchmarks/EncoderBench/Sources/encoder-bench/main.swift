// Times EmbeddingCore's encoder for the batches of Benchmarks/encoder_torch.py (1 × 8, 8 × 32,
// 8 × 128, 32 × 128 tokens, the same seeded ids) with the same thread count: one round, after a
// warm-up encode per batch. Prints "swift BATCHxLENGTH MS" (mean of the round's runs) per batch and
// the process's peak resident memory; Benchmarks/encoder.sh alternates rounds with the torch side.
// With --dump FILE, writes the 8 × 32 batch's last hidden states (F32, little-endian) for the
// accuracy check in encoder_torch.py.
// Usage: encoder-bench MODEL_DIR THREADS [--dump FILE]
import EmbeddingCore
#if canImport(Glibc)
import Glibc
#endif
import WeightsKit

let arguments = CommandLine.arguments
guard arguments.count == 3 || (arguments.count == 5 && arguments[3] == "--dump"), let threads = Int(arguments[2]) else {
    print("usage: encoder-bench MODEL_DIR THREADS [--dump FILE]")
    exit(64)
}
setMatrixThreads(threads)
let encoder = try Encoders.load(try ModelTensors.open(arguments[1]))

/// The same ids as the Python side: a linear congruential sequence over ids 1000..<29000, valid
/// in BERT's (30,522) and DeBERTa-v3's (128,100) vocabularies, between ids 101 and 102.
func ids(batch: Int, length: Int) -> [[Int]] {
    var state = 12345
    return (0..<batch).map { _ in
        [101] + (0..<(length - 2)).map { _ in
            state = (state * 1103515245 + 12345) % 2147483648
            return 1000 + state % 28000
        } + [102]
    }
}

/// Encodes per round: enough for about 4,096 tokens, between 1 and 30 runs.
func runs(_ tokens: Int) -> Int { max(1, min(30, 4096 / tokens)) }

let batches = [(1, 8), (8, 32), (8, 128), (32, 128)]
if arguments.count == 5 {
    let states = try encoder.encode(try EncoderBatch(sequences: ids(batch: 8, length: 32))).states.values
    guard let file = fopen(arguments[4], "wb") else { fatalError("cannot write \(arguments[4])") }
    _ = states.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
}
let clock = ContinuousClock()
for (batch, length) in batches {
    let input = try EncoderBatch(sequences: ids(batch: batch, length: length))
    _ = try encoder.encode(input)
    let count = runs(batch * length)
    let elapsed = try clock.measure { for _ in 0..<count { _ = try encoder.encode(input) } }
    let ms = (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) * 1000 / Double(count)
    print("swift \(batch)x\(length) \(ms)")
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
print("swift peak_rss_mb \(Double(usage.ru_maxrss) / 1024)")
