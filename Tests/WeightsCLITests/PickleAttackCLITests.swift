import Foundation
import Testing

/// What the third attack round found in the PyTorch path, each pinned by a test: pickles whose
/// lists, dicts or memo outgrow memory.
@Suite("weights against hostile PyTorch checkpoints (round three)")
struct PickleAttackCLITests {
    /// 8 MB pickles that hold 8M values: a list filled by MARK, DUP … APPENDS; a memo filled by
    /// MEMOIZE; a dict filled by MARK, DUP … SETITEMS. Each opcode byte is one value (70 bytes
    /// of Swift memory each before), kept under the 1M-value stack limit by rounds.
    static func growing(_ kind: String) -> [UInt8] {
        let total = 8_000_000, round = 1_000_000 - 2
        var pickle: [UInt8] = [0x80, 2]
        switch kind {
        case "list":
            pickle.append(0x5D)
            for _ in 0..<(total / round) { pickle += [0x28, 0x4E] + [UInt8](repeating: 0x32, count: round - 1) + [0x65] }
        case "memo":
            pickle += [0x4E] + [UInt8](repeating: 0x94, count: total)
        default:
            pickle.append(0x7D)
            for number in 0..<(total / round) {
                // Distinct keys do not matter to the reader (it keeps every pair, as the pickle
                // says); each round is MARK, an int, DUP × (round - 1), SETITEMS.
                pickle += [0x28, 0x4B, UInt8(number)] + [UInt8](repeating: 0x32, count: round - 1) + [0x75]
            }
        }
        return TorchFiles.zip(pickle: pickle + [0x2E], storages: [])
    }

    @Test("under ulimit -v 600000, an 8 MB pickle growing a list, the memo or a dict to 8M values is a memory error, not an abort",
          .disabled(if: CLI.underAddressSanitizer, "an address-space limit cannot apply to an AddressSanitizer binary"),
          arguments: ["list", "memo", "dict"])
    func growingContainers(_ kind: String) throws {
        let directory = TemporaryDirectory()
        let file = directory.file("\(kind).pt")
        writeBytes(Self.growing(kind), to: file)
        let limited = try CLI.run(["inspect", file], shellPrefix: "ulimit -v 600000")
        #expect(limited.status == 1, "\(limited.stderr)")
        #expect(limited.stderr.hasPrefix("weights: error: \(file): unpickling ") && limited.stderr.hasSuffix(" [insufficient-memory]\n"),
                "\(limited.stderr)")
    }
}
