/// What a torch.save file holds, whichever layout it uses: the unpickled object and where
/// each storage it refers to lies in the file (checked to hold exactly the bytes its
/// persistent id declares).
struct PyTorchLayout {
    let root: PickleValue
    let arena: PickleArena
    /// Storage key → the storage and the absolute byte range of its elements.
    let storages: [String: (storage: TorchStorage, bytes: Range<Int>)]

    /// Bytes `storage` must hold; an element count whose bytes overflow is refused.
    static func byteCount(of storage: TorchStorage) throws(PyTorchError) -> Int {
        let width = storage.dtype.bitWidth / 8
        guard let count = MemoryBudget.product([storage.elementCount, width]) else {
            throw .badPersistentID(reason: "gives storage \"\(storage.key)\" \(storage.elementCount) elements of \(width) bytes, more bytes than a 64-bit count")
        }
        return count
    }
}
