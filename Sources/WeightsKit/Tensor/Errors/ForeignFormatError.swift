/// A file in a format this version recognises but cannot read as weights: named, with what
/// to do instead, and never reported as a broken safetensors file.
public struct ForeignFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    public let format: ForeignFormat

    public var code: String { "unsupported-format" }

    public var description: String { "this is \(format.name), which this version cannot read; \(format.advice) [\(code)]" }
}

/// The weight and array formats `ModelLoader` tells apart from its own by their first bytes.
public enum ForeignFormat: String, Equatable, Sendable, CaseIterable {
    case gguf, pytorchZip, pytorchLegacy, pickle, numpy, numpyZip, zip, hdf5, onnx

    /// What the file is, as a user would name it.
    public var name: String {
        switch self {
        case .gguf: "a GGUF file (llama.cpp)"
        case .pytorchZip: "a PyTorch checkpoint (torch.save zip archive)"
        case .pytorchLegacy: "a PyTorch checkpoint (legacy torch.save format)"
        case .pickle: "a Python pickle"
        case .numpy: "a NumPy array (.npy)"
        case .numpyZip: "a NumPy archive (.npz)"
        case .zip: "a zip archive that is not a PyTorch checkpoint"
        case .hdf5: "an HDF5 file (TensorFlow/Keras .h5)"
        case .onnx: "an ONNX model"
        }
    }

    /// What to do instead.
    public var advice: String {
        switch self {
        case .gguf: "convert the original Hugging Face model, or use llama.cpp's tools"
        case .pytorchZip, .pytorchLegacy:
            "convert it to safetensors with the Python safetensors package (safetensors.torch.save_file) first"
        case .pickle: "pickles can run code when loaded; export the tensors as safetensors"
        case .numpy, .numpyZip: "save the arrays with safetensors.numpy.save_file instead"
        case .zip: "unpack it and point at the weights inside"
        case .hdf5: "export the weights as safetensors (transformers' save_pretrained(safe_serialization=True))"
        case .onnx: "point at the model's safetensors weights instead of its ONNX export"
        }
    }

    /// The foreign format `bytes` (a file's first bytes, up to 64 kB) start with, if any.
    /// `name` is only a hint, used where a format has no magic number (ONNX).
    public static func sniff(_ bytes: UnsafeRawBufferPointer, name: String) -> ForeignFormat? {
        func starts(with magic: [UInt8]) -> Bool { bytes.count >= magic.count && Swift.zip(bytes, magic).allSatisfy { $0 == $1 } }
        if starts(with: Array("GGUF".utf8)) { return .gguf }
        if starts(with: [0x93] + Array("NUMPY".utf8)) { return .numpy }
        if starts(with: [0x89] + Array("HDF\r\n".utf8) + [0x1A, 0x0A]) { return .hdf5 }
        if starts(with: Array("PK".utf8) + [0x03, 0x04]) { return zipKind(bytes) }
        // Pickle protocol 2-5 opcode; torch's legacy format pickles its magic number first (a LONG1).
        if bytes.count >= 2, bytes[0] == 0x80, (2...5).contains(bytes[1]) {
            return starts(with: [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]) ? .pytorchLegacy : .pickle
        }
        // ONNX is a protobuf ModelProto with no magic: field 1 (ir_version) as a varint comes first.
        if name.hasSuffix(".onnx") && bytes.first == 0x08 { return .onnx }
        return nil
    }

    /// A torch.save archive holds `<archive>/data.pkl`; an .npz holds `.npy` members. Member
    /// names are read from the local headers near the start (name length at offset 26).
    private static func zipKind(_ bytes: UnsafeRawBufferPointer) -> ForeignFormat {
        var offset = 0
        var sawNumpy = false
        while offset + 30 <= bytes.count, bytes[offset] == 0x50, bytes[offset + 1] == 0x4B, bytes[offset + 2] == 0x03, bytes[offset + 3] == 0x04 {
            let nameLength = Int(bytes[offset + 26]) | Int(bytes[offset + 27]) << 8
            let extraLength = Int(bytes[offset + 28]) | Int(bytes[offset + 29]) << 8
            let compressed = Int(bytes[offset + 18]) | Int(bytes[offset + 19]) << 8 | Int(bytes[offset + 20]) << 16 | Int(bytes[offset + 21]) << 24
            guard offset + 30 + nameLength <= bytes.count else { break }
            let name = Array(bytes[(offset + 30)..<(offset + 30 + nameLength)])
            if name.count >= 8 && Array(name.suffix(8)) == Array("data.pkl".utf8) { return .pytorchZip }
            if name.count >= 4 && Array(name.suffix(4)) == Array(".npy".utf8) { sawNumpy = true }
            offset += 30 + nameLength + extraLength + compressed
        }
        return sawNumpy ? .numpyZip : .zip
    }
}
