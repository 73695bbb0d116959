// libFuzzer target: arbitrary bytes in, the WeightPack header parser called, and for a
// header that passes, every payload decoded as `verify` and readers would.
// Built together with WeightsKit's sources by Fuzz/build.sh.

@_cdecl("LLVMFuzzerTestOneInput")
public func weightPackFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let header = try? WeightPackHeader.parse(bytes) else { return 0 }
    for record in header.records {
        precondition(record.storedOffset >= header.headerBytes && record.storedOffset + record.storedBytes <= size)
        let stored = UnsafeRawBufferPointer(rebasing: bytes[record.storedOffset..<(record.storedOffset + record.storedBytes)])
        _ = CRC32.checksum(stored)
        if record.isCompressed {
            _ = Deflate.decompress(stored, expectedCount: record.info.byteCount)
        } else if record.info.elementCount <= 1 << 16 {
            let view = TensorView(info: record.info, bytes: OwnedBytes(Array(stored)))
            _ = view.floats()
        }
    }
    return 0
}
