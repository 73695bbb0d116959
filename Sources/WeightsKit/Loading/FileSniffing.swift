/// What a file is, told by its first bytes before a reader is chosen: one mapping per file,
/// so a NumPy or HDF5 file is named as such instead of failing the safetensors rules.
enum FileKind: Equatable {
    case weightPack
    /// A torch.save checkpoint, zip (torch ≥ 1.6) or legacy layout.
    case pytorch
    /// A GGUF file (llama.cpp), read by `GGUFFile`.
    case gguf
    case foreign(ForeignFormat)
    /// Anything else goes to the safetensors reader, whose rules say what is wrong.
    case other

    /// Bytes looked at: enough for a zip's first local headers.
    static let sniffedBytes = 1 << 16

    /// The kind of the file at `path`; `.other` when it cannot be opened (the reader then
    /// reports why).
    static func of(_ path: String) -> FileKind {
        guard let file = try? MappedFile(path: path) else { return .other }
        return file.withBytes { bytes in
            let head = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, sniffedBytes)])
            return sniff(head, name: Paths.lastComponent(path))
        }
    }

    /// The kind `bytes` (a file's first bytes) start with. `name` is only a hint, used where
    /// a format has no magic number (ONNX).
    static func sniff(_ bytes: UnsafeRawBufferPointer, name: String) -> FileKind {
        if bytes.starts(with: WeightPackLayout.magic) { return .weightPack }
        if bytes.starts(with: GGUF.magicBytes) { return .gguf }
        if bytes.starts(with: [0x93] + Array("NUMPY".utf8)) { return .foreign(.numpy) }
        if bytes.starts(with: [0x89] + Array("HDF\r\n".utf8) + [0x1A, 0x0A]) { return .foreign(.hdf5) }
        if bytes.starts(with: zipLocalHeader) { return zipKind(bytes) }
        // Pickle protocol 2-5 opcode; torch's legacy format pickles its magic number first (a LONG1).
        if bytes.count >= 2, bytes[0] == 0x80, (2...5).contains(bytes[1]) {
            return bytes.dropFirst(2).starts(with: [0x8A, 0x0A] + PyTorchLayout.legacyMagic) ? .pytorch : .foreign(.pickle)
        }
        // ONNX is a protobuf ModelProto with no magic: field 1 (ir_version) as a varint comes first.
        if name.hasSuffix(".onnx") && bytes.first == 0x08 { return .foreign(.onnx) }
        return .other
    }

    private static let zipLocalHeader: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

    /// A torch.save archive holds `<archive>/data.pkl`; an .npz holds `.npy` members. Member
    /// names are read from the local headers within `bytes`.
    private static func zipKind(_ bytes: UnsafeRawBufferPointer) -> FileKind {
        var reader = ByteReader(bytes)
        var sawNumpy = false
        while let signature = reader.readBytes(4), signature.elementsEqual(zipLocalHeader),
              reader.readBytes(14) != nil,  // version, flags, method, time, date, CRC-32
              let compressed = reader.read(UInt32.self), reader.read(UInt32.self) != nil,
              let nameLength = reader.read(UInt16.self), let extraLength = reader.read(UInt16.self),
              let name = reader.readBytes(Int(nameLength)) {
            if name.suffix(8).elementsEqual("data.pkl".utf8) { return .pytorch }
            if name.suffix(4).elementsEqual(".npy".utf8) { sawNumpy = true }
            guard reader.readBytes(Int(extraLength)) != nil, reader.readBytes(Int(compressed)) != nil else { break }
        }
        return .foreign(sawNumpy ? .numpyZip : .zip)
    }
}
