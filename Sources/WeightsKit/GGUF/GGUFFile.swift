/// One GGUF file (llama.cpp's format), mapped read-only, its header checked as ggml's
/// gguf.cpp checks it (see `GGUFHeader`). Tensors are zero-copy views into the mapping.
///
/// Shapes are row-major, as numpy and gguf-py show them: GGUF lists dimensions fastest
/// first, so `[ne1, ne0]` for a 2-D tensor. Plain types (F32, F16, BF16, F64, I8-I64) are
/// their dtype; Q8_0 is the `.q8_0` encoding (WeightPack stores it in the same blocks);
/// Q4_0, Q4_1, Q5_0 and Q5_1 are their own encodings; every other ggml type is carried as
/// `.ggml` (listed, verified, copied within GGUF, never decoded; `ggmlType(of:)` names it).
/// Metadata is typed (`ggufMetadata`); `metadata`, the string-to-string map other formats
/// have, is nil.
public final class GGUFFile: TensorSource {
    public let path: String
    package let header: GGUFHeader
    private let file: MappedFile
    private let index: [ExactName: Int]

    public var format: String { "gguf" }
    public var paths: [String] { [path] }
    public var tensors: [TensorInfo] { header.tensors.map(\.info) }
    public var metadata: Metadata? { nil }
    /// The GGUF version (2 or 3).
    public var version: UInt32 { header.version }
    /// Every key-value pair, in file order.
    public var ggufMetadata: [GGUFMetadataEntry] { header.metadata }
    /// The data section's alignment (`general.alignment`, default 32).
    public var alignment: Int { header.alignment }

    public var storageDescription: StorageDescription? {
        StorageDescription(headerBytes: header.dataOffset, stored: Dictionary(
            header.tensors.map { ($0.info.name.exact, StorageDescription.Stored(bytes: $0.info.byteCount, isCompressed: false)) },
            uniquingKeysWith: { first, _ in first }))
    }

    /// Opens and checks `path`. Errors are `WeightsFileError`s whose reason is a `GGUFError`
    /// (a broken rule) or a `FileError` (the OS said no).
    public init(path: String) throws(WeightsFileError) {
        self.path = path
        (file, header) = try MappedFile.openParsing(path, reason: WeightsFileError.Reason.gguf) { bytes throws(GGUFError) in try GGUFHeader.parse(bytes) }
        index = nameIndex(header.tensors.map(\.info.name))
    }

    /// The value of `key`, if the file has it.
    public func value(_ key: String) -> GGUFMetadataValue? {
        header.metadata.first { $0.key.isByteEqual(to: key) }?.value
    }

    /// The ggml type `name` is stored as.
    public func ggmlType(of name: String) -> GGMLType? {
        index[ExactName(name)].map { header.tensors[$0].type }
    }

    public func path(of name: String) -> String? {
        index[ExactName(name)] == nil ? nil : path
    }

    public func view(_ name: String) -> TensorView? {
        guard let position = index[ExactName(name)] else { return nil }
        return TensorView(info: header.tensors[position].info, file: file)
    }

    /// GGUF stores no checksums: reading every payload is all `verify` can do, and opening
    /// already proved each one lies inside the file. Nil, as for safetensors.
    public func verifyChecksums() -> [WeightsFileError]? { nil }

    /// The error for a tensor whose type this version cannot decode, if `name` is one.
    public func undecodable(_ name: String) -> WeightsFileError? {
        guard let position = index[ExactName(name)], !header.tensors[position].info.encoding.isDecodable else { return nil }
        return WeightsFileError(path: path, reason: GGUFError.unsupportedType(tensor: name, type: header.tensors[position].type.name))
    }
}
