import Synchronization

/// Chunk buffers reused from one tensor's conversion to the next. A fresh multi-megabyte
/// allocation per tensor is page-faulted in and zeroed by the kernel every time, which
/// cost as much as the conversion itself on a model of many large tensors.
final class ScratchBuffers: Sendable {
    static let shared = ScratchBuffers()

    private let stored = Mutex<(bytes: [UInt8], floats: [[Float]])>(([], []))

    /// Byte buffer of at least `count` bytes (contents undefined).
    func takeBytes(_ count: Int) -> [UInt8] {
        let buffer = stored.withLock { state -> [UInt8] in
            let taken = state.bytes
            state.bytes = []
            return taken
        }
        return buffer.count >= count ? buffer : [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Float buffer of at least `count` values (contents undefined).
    func takeFloats(_ count: Int) -> [Float] {
        let buffer = stored.withLock { state -> [Float]? in state.floats.popLast() }
        if let buffer, buffer.count >= count { return buffer }
        return [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    func giveBack(bytes: [UInt8]) {
        stored.withLock { if $0.bytes.count < bytes.count { $0.bytes = bytes } }
    }

    func giveBack(floats: [Float]) {
        stored.withLock { state in
            if state.floats.count < 4 { state.floats.append(floats) }
        }
    }
}
