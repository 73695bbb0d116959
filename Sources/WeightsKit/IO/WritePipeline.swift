#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// Writes a file's bytes on a background thread from a fixed set of buffers, so the thread
/// that produces them (converting the next chunk) does not wait while the kernel copies the
/// last one into the page cache, and memory stays at `count × bufferBytes` however large
/// the file.
///
/// - Order: buffers are written in the order they were submitted (one serial queue).
/// - Backpressure: when every buffer is in flight, `take` waits for one to come back.
/// - Errors: the first failed write's errno is kept; later buffers are not written, and
///   the owner reports it at its next `take` or `drain`.
final class WritePipeline: @unchecked Sendable {
    /// Bytes per buffer, and so per write(2) call.
    static let bufferBytes = 4 << 20
    static let bufferCount = 4

    private let descriptor: Int32
    private let queue = DispatchQueue(label: "weights.output-writes")
    private let available = DispatchSemaphore(value: WritePipeline.bufferCount)
    private let spare = Mutex<[UncheckedSendable<UnsafeMutableRawBufferPointer>]>([])
    private let firstFailure = Mutex<Int32>(0)
    /// Every buffer allocated, freed with the pipeline.
    private let allocated = Mutex<[UncheckedSendable<UnsafeMutableRawBufferPointer>]>([])

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        for buffer in allocated.withLock({ $0 }) { buffer.value.deallocate() }
    }

    /// The errno of the first write that failed, or 0.
    var failure: Int32 { firstFailure.withLock { $0 } }

    /// An empty buffer of `bufferBytes`; waits while all of them are in flight.
    func take() -> UnsafeMutableRawBufferPointer {
        available.wait()
        if let buffer = spare.withLock({ $0.popLast() }) { return buffer.value }
        // Aligned to 2 MiB and backed by huge pages where the kernel allows: write(2) copies
        // from these buffers, and on 4 KiB pages that copy pays a TLB miss every page.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: WritePipeline.bufferBytes, alignment: 2 << 20)
        #if os(Linux)
        _ = madvise(buffer.baseAddress, buffer.count, MADV_HUGEPAGE)
        #endif
        allocated.withLock { $0.append(UncheckedSendable(buffer)) }
        return buffer
    }

    /// Queues the first `count` bytes of `buffer` (from `take`) for writing; the buffer
    /// comes back to the pool once written.
    func submit(_ buffer: UnsafeMutableRawBufferPointer, count: Int) {
        let bytes = UncheckedSendable(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        let whole = UncheckedSendable(buffer)
        queue.async { [self] in
            if failure == 0, let code = writeAll(bytes.value) {
                firstFailure.withLock { $0 = code }
            }
            giveBack(whole.value)
        }
    }

    /// Frees the buffers that are back (after `drain`, with none taken: all of them), so a
    /// file that is written but not yet named holds no buffer memory; `take` allocates again.
    func releaseBuffers() {
        let buffers = spare.withLock { spare in
            defer { spare = [] }
            return spare
        }
        let addresses = Set(buffers.map { $0.value.baseAddress })
        allocated.withLock { allocated in allocated.removeAll { addresses.contains($0.value.baseAddress) } }
        for buffer in buffers { buffer.value.deallocate() }
    }

    /// Returns an unsubmitted buffer.
    func giveBack(_ buffer: UnsafeMutableRawBufferPointer) {
        spare.withLock { $0.append(UncheckedSendable(buffer)) }
        available.signal()
    }

    /// Waits until every submitted buffer has been written (or dropped after a failure);
    /// returns the errno of the first failure, or 0.
    func drain() -> Int32 {
        queue.sync {}
        return failure
    }

    /// write(2) until done; the errno when it fails.
    private func writeAll(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        var done = 0
        while done < bytes.count {
            let result = System.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if result < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += result
        }
        return nil
    }
}
