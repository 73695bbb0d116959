import Testing
@testable import WeightsKit

@Suite("CRC-32")
struct ChecksumTests {
    @Test("known values: the standard check value and zlib's empty input")
    func knownValues() {
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32.checksum($0) } == 0xCBF4_3926)
        #expect([UInt8]().withUnsafeBytes { CRC32.checksum($0) } == 0)
    }

    @Test("the accelerated path equals zlib's for every length from 0 to 1,100 and for large buffers")
    func acceleratedMatchesZlib() {
        var generator = SystemRandomNumberGenerator()
        let data = (0..<(1 << 20) + 77).map { _ in UInt8.random(in: 0...255, using: &generator) }
        data.withUnsafeBytes { raw in
            for length in Array(0...1100) + [4095, 65536, 1 << 20, raw.count] {
                let slice = UnsafeRawBufferPointer(rebasing: raw[3..<(3 + min(length, raw.count - 3))])
                #expect(CRC32.checksum(slice) == CRC32.portable(slice), "length \(length)")
            }
            // Updating in pieces gives the same value as one call.
            var pieces = CRC32()
            pieces.update(UnsafeRawBufferPointer(rebasing: raw[0..<1000]))
            pieces.update(UnsafeRawBufferPointer(rebasing: raw[1000...]))
            #expect(pieces.value == CRC32.portable(raw))
        }
    }
}
