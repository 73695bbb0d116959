// libFuzzer target: arbitrary bytes in, the safetensors header parser called, nothing else.
// Built together with WeightsKit's sources by Fuzz/build.sh, which links it as LLVMFuzzerTestOneInput.

@_cdecl("weights_fuzz_SafetensorsFuzz")
public func safetensorsFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if let header = try? SafetensorsHeader.parse(bytes) {
        // A header that passed must describe payloads inside the buffer.
        for tensor in header.tensors {
            precondition(tensor.offset >= header.dataStart && tensor.offset + tensor.byteCount <= size)
        }
    }
    return 0
}
