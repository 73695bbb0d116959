/// A file in a format this version recognises but cannot read as weights: named, with what
/// to do instead, and never reported as a broken safetensors file.
public struct ForeignFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    public let format: ForeignFormat

    public var code: String { "unsupported-format" }

    public var description: String { "this is \(format.name), which this version cannot read; \(format.advice) [\(code)]" }
}

/// The weight and array formats `ModelLoader` tells apart from its own by their first bytes
/// (Loading/FileSniffing.swift).
public enum ForeignFormat: String, Equatable, Sendable, CaseIterable {
    case pickle, numpy, numpyZip, zip, hdf5, onnx

    /// What the file is, as a user would name it.
    public var name: String {
        switch self {
        case .pickle: "a Python pickle that is not a torch.save checkpoint"
        case .numpy: "a NumPy array (.npy)"
        case .numpyZip: "a NumPy archive (.npz)"
        case .zip: "a zip archive that is not a torch.save checkpoint"
        case .hdf5: "an HDF5 file (TensorFlow/Keras .h5)"
        case .onnx: "an ONNX model"
        }
    }

    /// What to do instead.
    public var advice: String {
        switch self {
        case .pickle: "pickles can run code when loaded; save the state dict with torch.save, or export the tensors as safetensors"
        case .numpy, .numpyZip: "save the arrays with safetensors.numpy.save_file instead"
        case .zip: "unpack it and point at the weights inside"
        case .hdf5: "export the weights as safetensors (transformers' save_pretrained(safe_serialization=True))"
        case .onnx: "point at the model's safetensors weights instead of its ONNX export"
        }
    }
}
