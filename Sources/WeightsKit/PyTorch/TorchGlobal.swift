/// The names a state dict's pickle may import: everything else is refused by name
/// (`os.system`, `builtins.eval`, a model class), which is how `torch.load(weights_only=True)`
/// protects its callers too. Nothing here is ever called: each is interpreted by the reader.
enum TorchGlobal: Equatable {
    case orderedDict
    case rebuildTensorV2, rebuildTensor, rebuildParameter
    /// A storage class (`torch.FloatStorage`, ...); `torch.UntypedStorage` holds bytes (U8).
    case storageClass(name: String, dtype: DType)
    /// A dtype object (`torch.float32`), which may stand where a storage class does.
    case dtype(name: String, dtype: DType)

    /// "module.name", as Python spells it.
    var name: String {
        switch self {
        case .orderedDict: "collections.OrderedDict"
        case .rebuildTensorV2: "torch._utils._rebuild_tensor_v2"
        case .rebuildTensor: "torch._utils._rebuild_tensor"
        case .rebuildParameter: "torch._utils._rebuild_parameter"
        case let .storageClass(name, _), let .dtype(name, _): "torch.\(name)"
        }
    }

    /// The element type of a storage class or dtype, nil for the functions.
    var elementType: DType? {
        switch self {
        case let .storageClass(_, dtype), let .dtype(_, dtype): dtype
        default: nil
        }
    }

    /// The allowed global `module.name`, or the error naming it.
    static func resolve(module: String, name: String) throws(PyTorchError) -> TorchGlobal {
        switch (module, name) {
        case ("collections", "OrderedDict"): return .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): return .rebuildTensorV2
        case ("torch._utils", "_rebuild_tensor"): return .rebuildTensor
        case ("torch._utils", "_rebuild_parameter"): return .rebuildParameter
        case ("torch", _):
            if let dtype = storageClasses[name] { return .storageClass(name: name, dtype: dtype) }
            if let dtype = dtypes[name] { return .dtype(name: name, dtype: dtype) }
            // Other storages and dtypes exist (complex128, quantized): say so rather than "forbidden".
            if name.hasSuffix("Storage") || knownUnsupportedDTypes.contains(name) { throw .unsupportedDType(name: "torch.\(name)") }
        default: break
        }
        throw .pickleForbiddenGlobal(name: "\(module).\(name)")
    }

    /// torch's legacy typed storage classes (torch/storage.py) and their element types.
    static let storageClasses: [String: DType] = [
        "BoolStorage": .bool, "ByteStorage": .u8, "CharStorage": .i8, "ShortStorage": .i16,
        "IntStorage": .i32, "LongStorage": .i64, "HalfStorage": .f16, "BFloat16Storage": .bf16,
        "FloatStorage": .f32, "DoubleStorage": .f64, "ComplexFloatStorage": .c64, "UntypedStorage": .u8,
    ]

    /// torch dtype names (and their aliases) with a safetensors element type.
    static let dtypes: [String: DType] = [
        "bool": .bool, "uint8": .u8, "int8": .i8, "int16": .i16, "short": .i16, "int32": .i32, "int": .i32,
        "int64": .i64, "long": .i64, "float16": .f16, "half": .f16, "bfloat16": .bf16, "float32": .f32,
        "float": .f32, "float64": .f64, "double": .f64, "complex64": .c64, "cfloat": .c64,
    ]

    static let knownUnsupportedDTypes: Set<String> = [
        "complex128", "cdouble", "complex32", "chalf", "qint8", "quint8", "qint32", "quint4x2", "quint2x4",
        "uint16", "uint32", "uint64", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz",
    ]
}
