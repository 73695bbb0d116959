// libFuzzer target: arbitrary bytes in, the GGUF header reader called (magic, version,
// typed metadata with nested arrays, tensor infos, alignment and offsets), then every
// metadata array element and every decodable tensor dequantized from the buffer. Built together with WeightsKit's sources
// by Fuzz/build.sh.

@_cdecl("weights_fuzz_GGUFFuzz")
public func ggufFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let header = try? GGUFHeader.parse(bytes) else { return 0 }
    precondition(header.alignment > 0 && header.alignment & (header.alignment - 1) == 0)
    // Every metadata array element decodes from its packed bytes, of the array's type
    // (nested arrays parsed again from theirs).
    func walk(_ value: GGUFMetadataValue) {
        guard case let .array(elements) = value else { return }
        for element in elements.prefix(4096) {
            precondition(element.type == elements.elementType)
            walk(element)
        }
    }
    for entry in header.metadata { walk(entry.value) }
    var end = header.dataOffset
    for tensor in header.tensors {
        let info = tensor.info
        // A header that passed must place every tensor inside the buffer, aligned, in order.
        precondition(info.offset >= end && info.offset + info.byteCount <= size)
        precondition((info.offset - header.dataOffset) % header.alignment == 0)
        precondition(tensor.type.byteCount(elements: info.elementCount) == info.byteCount)
        end = info.offset + info.byteCount
        let raw = UnsafeRawBufferPointer(rebasing: bytes[info.offset..<(info.offset + info.byteCount)])
        let count = min(info.elementCount, 4096)
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { buffer in
            switch info.encoding {
            case .q4_0, .q4_1, .q5_0, .q5_1: GGMLBlocks.decode(raw, encoding: info.encoding, elements: 0..<count, into: buffer)
            case .plain where info.dtype.isDecodable:
                ElementDecoder.decode(UnsafeRawBufferPointer(rebasing: raw[0..<(count * info.dtype.bitWidth / 8)]), as: info.dtype, into: buffer)
            default: break
            }
        }
    }
    return 0
}
