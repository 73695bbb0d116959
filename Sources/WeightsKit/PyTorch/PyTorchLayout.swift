/// What a torch.save file holds, whichever layout it uses: the unpickled object and where
/// each storage it refers to lies in the file (checked to hold exactly the bytes its
/// persistent id declares).
struct PyTorchLayout {
    let root: PickleValue
    let arena: PickleArena
    /// Storage key → the storage and the absolute byte range of its elements.
    let storages: [String: (storage: TorchStorage, bytes: Range<Int>)]

    /// Bytes `storage` must hold, or nil when that overflows.
    static func byteCount(of storage: TorchStorage) -> Int? {
        MemoryBudget.product([storage.elementCount, storage.dtype.bitWidth / 8])
    }
}
