import Foundation
import Testing
@testable import WeightsKit

/// What the restricted unpickler costs on pickles built to be expensive: every opcode is O(1)
/// amortised, so time grows with the pickle's length, not with its stack depth times its length.
/// The bounds are in CPU time of the test's thread and generous; each case took minutes before.
@Suite("PyTorch unpickler cost")
struct PyTorchUnpicklerCostTests {
    /// AddressSanitizer (make test-asan) makes every allocation dearer: the bounds stretch ×4,
    /// still far below the minutes the quadratic unpickler took.
    static let slowdown: Double = ProcessInfo.processInfo.environment["WEIGHTS_SANITIZER"] == "address" ? 4 : 1

    /// CPU seconds the calling thread spends in `body`: the unpickler runs on it alone, and
    /// unlike wall-clock time this does not grow when other processes load the machine.
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        try body()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) * 1e-9
    }

    static func parse(_ bytes: [UInt8]) throws(PyTorchError) -> [TensorInfo] {
        try bytes.withUnsafeBytes { raw in Result { () throws(PyTorchError) in try PyTorchCheckpoint.parse(raw).tensors } }.get()
    }

    @Test("a 1 MB pickle of 200,000 DUPs then 200,000 NONE TUPLE1 POP runs in under a CPU second")
    func deepStack() throws {
        let depth = 200_000
        // NONE, DUP × depth: a deep stack; then NONE TUPLE1 POP × depth, each popping one value
        // off it; then POP × depth and STOP, which returns the first None.
        var bytes: [UInt8] = [0x80, 2, 0x4E] + [UInt8](repeating: 0x32, count: depth)
        for _ in 0..<depth { bytes += [0x4E, 0x85, 0x30] }
        bytes += [UInt8](repeating: 0x30, count: depth) + [0x2E]
        #expect(bytes.count >= 1_000_000)
        var value: PickleValue?
        let elapsed = try Self.seconds { value = try PyTorchUnpicklerTests.load(bytes).0 }
        guard case .some(PickleValue.none) = value else { Issue.record("the pickle returns \(value?.kindName ?? "nothing"), not None"); return }
        #expect(elapsed < 1 * Self.slowdown, "took \(elapsed) CPU seconds")
    }

    @Test("a state dict of 20,000 tensors under one MARK … SETITEMS (a 3 MB zip) opens in under 2 CPU seconds")
    func wideStateDict() throws {
        let count = 20_000
        var pickle = PickleWriter()
        pickle.stateDict((0..<count).map { index in
            (name: "t\(index)", write: { $0.tensor(key: "0", numel: 6, sizes: [2, 3], strides: [3, 1]) })
        })
        let file = TorchFiles.zip(pickle: pickle.bytes, storages: [("0", [UInt8](repeating: 0, count: 24))])
        var tensors: [TensorInfo] = []
        let elapsed = try Self.seconds { tensors = try Self.parse(file) }
        #expect(tensors.count == count)
        #expect(tensors.last?.name == "t19999" && tensors.last?.shape == Shape([2, 3]))
        #expect(elapsed < 2 * Self.slowdown, "took \(elapsed) CPU seconds")
    }

    @Test("a legacy checkpoint with 20,000 storages opens in under 2 CPU seconds")
    func manyLegacyStorages() throws {
        let count = 20_000
        var object = PickleWriter()
        object.stateDict((0..<count).map { index in
            (name: "t\(index)", write: { $0.tensor(key: "s\(index)", numel: 1, sizes: [1], strides: [1], legacy: true) })
        })
        let file = TorchFiles.legacy(object: object.bytes, storages: (0..<count).map { index in
            (key: "s\(index)", elementCount: 1, bytes: [UInt8](repeating: 0, count: 4))
        })
        var tensors: [TensorInfo] = []
        let elapsed = try Self.seconds { tensors = try Self.parse(file) }
        #expect(tensors.count == count)
        #expect(tensors.last?.name == "t19999" && tensors.last?.byteCount == 4)
        #expect(elapsed < 2 * Self.slowdown, "took \(elapsed) CPU seconds")
    }
}
