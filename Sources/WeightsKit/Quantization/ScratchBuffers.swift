import Synchronization

/// A chunk buffer with a stable address for as long as the object lives, so workers can
/// be handed pointers into it without borrowing them out of an array's closure.
final class ScratchBuffer: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer

    init(byteCount: Int) {
        bytes = .allocate(byteCount: max(byteCount, 1), alignment: 64)
    }

    deinit { bytes.deallocate() }

    /// The first `count` floats of the buffer (which must hold them).
    func floats(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
        precondition(count * MemoryLayout<Float>.stride <= bytes.count)
        return UnsafeMutableBufferPointer(start: bytes.baseAddress!.bindMemory(to: Float.self, capacity: count), count: count)
    }
}

/// Chunk buffers reused from one tensor's conversion to the next. A fresh multi-megabyte
/// allocation per tensor is page-faulted in and zeroed by the kernel every time, which
/// cost as much as the conversion itself on a model of many large tensors.
final class ScratchBuffers: Sendable {
    static let shared = ScratchBuffers()

    private let stored = Mutex<[ScratchBuffer]>([])

    /// A buffer of at least `byteCount` bytes (contents undefined).
    func take(byteCount: Int) -> ScratchBuffer {
        let reused = stored.withLock { buffers -> ScratchBuffer? in
            guard let index = buffers.firstIndex(where: { $0.bytes.count >= byteCount }) else { return nil }
            return buffers.remove(at: index)
        }
        return reused ?? ScratchBuffer(byteCount: byteCount)
    }

    /// Returns `buffer` for reuse; the pool keeps the four largest.
    func giveBack(_ buffer: ScratchBuffer) {
        stored.withLock { buffers in
            buffers.append(buffer)
            buffers.sort { $0.bytes.count > $1.bytes.count }
            if buffers.count > 4 { buffers.removeLast() }
        }
    }
}
