// libFuzzer target: arbitrary bytes in, the WeightPack header parser called, and for a
// header that passes, every payload decoded as `verify` and readers would. Each input is
// also parsed a second time with its header CRC re-sealed, so mutations get past the
// checksum and reach the table, names and metadata parsers.
// Built together with WeightsKit's sources by Fuzz/build.sh.

@_cdecl("weights_fuzz_WeightPackFuzz")
public func weightPackFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    exercise(bytes)
    guard size >= WeightPackLayout.headerSize else { return 0 }
    let headerBytes = Int(clamping: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 32, as: UInt64.self)))
    guard headerBytes >= WeightPackLayout.headerSize, headerBytes <= size else { return 0 }
    var sealed = Array(bytes)
    for index in 48..<52 { sealed[index] = 0 }
    let crc = sealed.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<headerBytes])) }
    withUnsafeBytes(of: crc.littleEndian) { for (index, byte) in $0.enumerated() { sealed[48 + index] = byte } }
    sealed.withUnsafeBytes { exercise($0) }
    return 0
}

private func exercise(_ bytes: UnsafeRawBufferPointer) {
    guard let header = try? WeightPackHeader.parse(bytes) else { return }
    for record in header.records {
        precondition(record.storedOffset >= header.headerBytes && record.storedOffset + record.storedBytes <= bytes.count)
        let stored = UnsafeRawBufferPointer(rebasing: bytes[record.storedOffset..<(record.storedOffset + record.storedBytes)])
        _ = CRC32.checksum(stored)
        if record.isCompressed {
            _ = Deflate.inflates(stored, toExactly: record.info.byteCount)
        } else if record.info.elementCount <= 1 << 16 {
            _ = TensorView(info: record.info, bytes: OwnedBytes(Array(stored))).floats()
        }
    }
}
