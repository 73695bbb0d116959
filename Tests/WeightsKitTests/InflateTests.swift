import Testing
@testable import WeightsKit

/// Inflating a WeightPack payload never writes past, or allocates more than, its
/// declared size, and anything but an exact, complete stream is refused.
@Suite("Bounded inflate")
struct InflateTests {
    static let original: [UInt8] = (0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7 / 3) }
    static let stream = Deflate.compress(original)

    @Test("a stream inflates to exactly its declared size, not one byte more or less")
    func exactSize() {
        Self.stream.withUnsafeBytes { stored in
            #expect(Deflate.decompress(stored, expectedCount: 5000) == Self.original)
            #expect(Deflate.inflates(stored, toExactly: 5000))
            for wrong in [0, 1, 4999, 5001, 1 << 30] {
                #expect(Deflate.decompress(stored, expectedCount: wrong == 1 << 30 ? 6000 : wrong) == nil, "declared \(wrong)")
                #expect(!Deflate.inflates(stored, toExactly: wrong), "declared \(wrong)")
            }
        }
    }

    @Test("a truncated stream, trailing bytes after it and random bytes are refused")
    func damagedStreams() {
        let truncated = Array(Self.stream.dropLast(3))
        let trailing = Self.stream + [0, 1, 2]
        let random: [UInt8] = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        for (label, bytes) in [("truncated", truncated), ("trailing", trailing), ("random", random)] {
            bytes.withUnsafeBytes { stored in
                #expect(Deflate.decompress(stored, expectedCount: 5000) == nil, "\(label)")
                #expect(!Deflate.inflates(stored, toExactly: 5000), "\(label)")
            }
        }
    }

    @Test("an empty payload declared empty inflates; one declared empty that holds data does not")
    func emptyPayloads() {
        let empty = Deflate.compress([])
        empty.withUnsafeBytes { #expect(Deflate.decompress($0, expectedCount: 0) == []) }
        Self.stream.withUnsafeBytes { #expect(!Deflate.inflates($0, toExactly: 0)) }
    }

    @Test("available memory: the override variable is read and the error names purpose and sizes")
    func memoryCheck() throws {
        let error = MemoryLimitError(purpose: "inflating tensor \"w\"", bytes: 31_000_000_000, available: 2_000_000_000)
        #expect(error.description == "inflating tensor \"w\" needs 31.0 GB, 2.0 GB available [insufficient-memory]")
        #expect(MemoryBudget.available() > 0)
    }
}
