import Dispatch
import WeightsKit

/// Spreads independent pieces of work over the cores. The encoder does its own
/// parallelism (rows of a product, heads of attention), so the BLAS is kept to one thread
/// (see `BLAS.useOneThread`).
enum Parallel {
    static let cores: Int = {
        BLAS.useOneThread()
        return System.activeProcessorCount
    }()

    /// Sets how many cores the encoder uses (benchmarks match PyTorch's thread count).
    nonisolated(unsafe) static var limit: Int?

    /// Runs `body(index, scratch)` for every index in 0..<count, on all cores, each worker
    /// with its own `scratchCount`-float buffer.
    static func forEach(_ count: Int, scratchCount: Int, _ body: (Int, UnsafeMutablePointer<Float>) -> Void) {
        let workers = min(limit ?? cores, count)
        guard workers > 1 else {
            var scratch = [Float](repeating: 0, count: scratchCount)
            scratch.withUnsafeMutableBufferPointer { buffer in for index in 0..<count { body(index, buffer.baseAddress!) } }
            return
        }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var scratch = [Float](repeating: 0, count: scratchCount)
                scratch.withUnsafeMutableBufferPointer { buffer in
                    for index in stride(from: worker, to: count, by: workers) { shared.value(index, buffer.baseAddress!) }
                }
            }
        }
    }

    /// Runs `body(range)` over 0..<count split into one contiguous range per core.
    static func chunks(_ count: Int, minimum: Int = 4096, _ body: (Range<Int>) -> Void) {
        let workers = min(limit ?? cores, max(1, count / minimum))
        guard workers > 1 else { body(0..<count); return }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let per = (count + workers - 1) / workers
                let start = worker * per
                shared.value(start..<min(count, start + per))
            }
        }
    }
}
