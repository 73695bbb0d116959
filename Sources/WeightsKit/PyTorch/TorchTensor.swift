/// A storage as a persistent id names it: the key of its bytes in the file, its element type,
/// and how many elements the id says it holds.
struct TorchStorage: Equatable {
    let key: String
    let dtype: DType
    let elementCount: Int
}

/// A tensor as `_rebuild_tensor_v2` describes it: a strided view of a storage.
struct TorchTensor: Equatable {
    let storage: TorchStorage
    /// Offset of the first element, in elements of the storage.
    let storageOffset: Int
    let sizes: [Int]
    let strides: [Int]
}
