import Testing
@testable import WeightsKit

/// The restricted unpickler on hand-assembled opcodes (Lib/pickletools.py documents each).
@Suite("PyTorch unpickler")
struct PyTorchUnpicklerTests {
    static func load(_ bytes: [UInt8]) throws(PyTorchError) -> (PickleValue, Unpickler) {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(PyTorchError) in
                var unpickler = Unpickler(raw)
                return (try unpickler.load(), unpickler)
            }
        }.get()
    }

    static func code(_ bytes: [UInt8]) -> String? {
        do { _ = try load(bytes); return nil } catch { return error.code }
    }

    @Test("integers: BININT1/2, negative BININT, LONG1 sign extension, the legacy magic as a big LONG1")
    func integers() throws {
        guard case .int(255) = try Self.load([0x80, 2, 0x4B, 0xFF, 0x2E]).0 else { Issue.record("BININT1"); return }
        guard case .int(-2) = try Self.load([0x80, 2, 0x4A, 0xFE, 0xFF, 0xFF, 0xFF, 0x2E]).0 else { Issue.record("BININT"); return }
        guard case .int(-129) = try Self.load([0x80, 2, 0x8A, 2, 0x7F, 0xFF, 0x2E]).0 else { Issue.record("LONG1"); return }
        guard case .bigInt(PyTorchLayout.legacyMagic) = try Self.load([0x80, 2, 0x8A, 10] + PyTorchLayout.legacyMagic + [0x2E]).0 else {
            Issue.record("magic"); return
        }
    }

    @Test("BINFLOAT is big-endian")
    func float() throws {
        guard case .float(1.5) = try Self.load([0x80, 2, 0x47, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0, 0x2E]).0 else { Issue.record("BINFLOAT"); return }
    }

    @Test("a memoised dict is the same object: SETITEM through the stack shows through BINGET")
    func sharedDict() throws {
        // {} PUT 0, 'k' 1 SETITEM, POP, GET 0
        let (value, unpickler) = try Self.load([0x80, 2, 0x7D, 0x71, 0, 0x8C, 1, 0x6B, 0x4B, 1, 0x73, 0x30, 0x68, 0, 0x2E])
        guard case let .dict(index) = value else { Issue.record("not a dict"); return }
        #expect(unpickler.arena.dicts[index].count == 1)
    }

    @Test("operands and stack are checked", arguments: [
        ([0x80, 2, 0x58, 0xFF, 0xFF, 0xFF, 0x7F, 0x2E], "pickle-truncated"),          // BINUNICODE longer than the pickle
        ([0x80, 2, 0x8D, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], "pickle-truncated"),  // BINUNICODE8 of 2^64-1
        ([0x80, 2, 0x6A, 0xFF, 0xFF, 0xFF, 0xFF, 0x2E], "pickle-bad-memo"),             // LONG_BINGET 2^32-1
        ([0x80, 2, 0x71, 0, 0x2E], "pickle-malformed"),                                // BINPUT on an empty stack
        ([0x80, 2, 0x28, 0x2E], "pickle-malformed"),                                   // STOP inside a MARK
        ([0x80, 2, 0x4E, 0x4E, 0x2E], "pickle-malformed"),                             // two values left at STOP
        ([0x80, 2, 0x75, 0x2E], "pickle-malformed"),                                   // SETITEMS without MARK
        ([0x80, 9, 0x4E, 0x2E], "pickle-malformed"),                                   // protocol 9
        ([0x80, 2, 0x4E, 0x4E, 0x73, 0x2E], "pickle-malformed"),                       // SETITEM with too few values
        ([0x80, 2, 0x49, 0x31, 0x0A, 0x2E], "pickle-unsupported-opcode"),              // text INT
        ([0x80, 2, 0x63, 0x6F, 0x73, 0x0A, 0x73, 0x79, 0x73, 0x74, 0x65, 0x6D, 0x0A, 0x2E], "pickle-forbidden-global"),
        ([0x80, 2, 0x63, 0x74, 0x6F, 0x72, 0x63, 0x68, 0x0A, 0x66, 0x6C, 0x6F, 0x61, 0x74, 0x31, 0x32, 0x38, 0x0A, 0x2E], "pickle-forbidden-global"),
        ([0x80, 2, 0x63, 0x74, 0x6F, 0x72, 0x63, 0x68, 0x0A, 0x75, 0x69, 0x6E, 0x74, 0x31, 0x36, 0x0A, 0x2E], "pytorch-unsupported-dtype"),
        ([0x80, 2, 0x4E], "pickle-truncated"),
        ([], "pickle-truncated"),
    ] as [([UInt8], String)])
    func refusals(_ bytes: [UInt8], _ code: String) {
        #expect(Self.code(bytes) == code)
    }
}
