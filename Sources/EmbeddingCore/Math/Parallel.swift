import Dispatch
internal import CBLAS
#if canImport(Glibc)
import Glibc
#endif

/// Spreads independent pieces of work over the cores.
enum Parallel {
    static let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Runs `body(index, scratch)` for every index in 0..<count, on all cores, each worker
    /// with its own `scratchCount`-float buffer. Meanwhile OpenBLAS runs single-threaded,
    /// so the small per-head products do not fight the workers for the cores (the thread
    /// count is restored afterwards; run one encoder at a time).
    static func forEach(_ count: Int, scratchCount: Int, _ body: (Int, UnsafeMutablePointer<Float>) -> Void) {
        let workers = min(cores, count)
        guard workers > 1 else {
            var scratch = [Float](repeating: 0, count: scratchCount)
            scratch.withUnsafeMutableBufferPointer { buffer in for index in 0..<count { body(index, buffer.baseAddress!) } }
            return
        }
        let threads = openblas_get_num_threads()
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(threads) }
        withoutActuallyEscaping(body) { body in
            let shared = Unchecked(body)
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
        let workers = min(cores, max(1, count / minimum))
        guard workers > 1 else { body(0..<count); return }
        withoutActuallyEscaping(body) { body in
            let shared = Unchecked(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let per = (count + workers - 1) / workers
                let start = worker * per
                shared.value(start..<min(count, start + per))
            }
        }
    }
}

/// Lets `concurrentPerform` workers share a closure or pointer that only touches disjoint data.
struct Unchecked<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
