// libFuzzer target: arbitrary bytes in, the PyTorch checkpoint reader called (zip or legacy
// container, restricted unpickler, state dict, strided views), nothing else.
// Built together with WeightsKit's sources by Fuzz/build.sh.

@_cdecl("weights_fuzz_PyTorchFuzz")
public func pytorchFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let (tensors, entries) = try? PyTorchCheckpoint.parse(bytes) else { return 0 }
    for (info, entry) in zip(tensors, entries) {
        // A checkpoint that passed must describe views inside the buffer; gathering reads them all.
        precondition(entry.storage.lowerBound >= 0 && entry.storage.upperBound <= size)
        if entry.view.isContiguous {
            precondition(info.offset >= entry.storage.lowerBound && info.offset + info.byteCount <= entry.storage.upperBound)
        } else if info.byteCount <= 1 << 24 {
            // Gathering a strided view materialises it: a stride-0 view of 2^25 elements from an
            // 822-byte file is 128 MiB (and legal). The CLI checks MemoryBudget before it
            // gathers; here only views up to 16 MiB are gathered, so the RSS limit finds leaks
            // and unbudgeted growth, not this.
            let gathered = entry.view.gather(from: UnsafeRawBufferPointer(rebasing: bytes[entry.storage]), width: info.dtype.bitWidth / 8)
            precondition(gathered.count == info.byteCount)
        }
    }
    return 0
}
