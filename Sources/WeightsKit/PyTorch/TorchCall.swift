/// What the allow-listed functions of a state dict's pickle mean, computed without calling
/// anything: `collections.OrderedDict()` is an empty dict, the rebuild functions describe a
/// tensor, a persistent id names a storage.
enum TorchCall {
    /// The value `function(*arguments)` would return.
    static func run(_ function: TorchGlobal, arguments: [PickleValue], arena: inout PickleArena) throws(PyTorchError) -> PickleValue {
        switch function {
        case .orderedDict:
            guard arguments.isEmpty else { throw bad(function, "\(arguments.count) arguments; expected none") }
            arena.dicts.append([])
            return .dict(arena.dicts.count - 1)
        case .rebuildTensorV2:
            // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
            guard arguments.count == 6 || arguments.count == 7 else { throw bad(function, "\(arguments.count) arguments; expected 6 or 7") }
            try checkHooks(arguments[5], function, arena: arena)
            if arguments.count == 7 {
                switch arguments[6] {
                case .none: break
                case let .dict(index) where arena.dicts[index].isEmpty: break
                default: throw bad(function, "tensor metadata (conjugate or negative bits), which safetensors cannot say")
                }
            }
            return .tensor(try tensor(arguments, function))
        case .rebuildTensor:
            guard arguments.count == 4 else { throw bad(function, "\(arguments.count) arguments; expected 4") }
            return .tensor(try tensor(arguments, function))
        case .rebuildParameter:
            // (data, requires_grad, backward_hooks)
            guard arguments.count == 3, case let .tensor(tensor) = arguments[0] else {
                throw bad(function, "arguments that are not (tensor, requires_grad, backward_hooks)")
            }
            try checkHooks(arguments[2], function, arena: arena)
            return .tensor(tensor)
        case .storageClass, .dtype:
            throw .pickleForbiddenCall(name: function.name)
        }
    }

    /// The storage a persistent id names: ('storage', storage type, key, location, numel),
    /// with a sixth element None in the legacy layout (its old storage views are refused).
    static func storage(persistentID: PickleValue) throws(PyTorchError) -> TorchStorage {
        guard case let .tuple(tuple) = persistentID else { throw .badPersistentID(reason: "is \(persistentID.kindName), not a tuple") }
        let items = tuple.items
        guard items.count == 5 || items.count == 6 else { throw .badPersistentID(reason: "has \(items.count) elements") }
        guard case .string("storage") = items[0] else { throw .badPersistentID(reason: "is not a 'storage' id (found \(items[0].kindName))") }
        guard case let .global(type) = items[1], let dtype = type.elementType else {
            throw .badPersistentID(reason: "has \(items[1].kindName) where a storage type belongs")
        }
        guard case let .string(key) = items[2] else { throw .badPersistentID(reason: "has \(items[2].kindName) where the storage key belongs") }
        guard case .string = items[3] else { throw .badPersistentID(reason: "has \(items[3].kindName) where the location belongs") }
        guard case let .int(count) = items[4], count >= 0 else { throw .badPersistentID(reason: "has \(items[4].kindName) where the element count belongs") }
        if items.count == 6 {
            guard case .none = items[5] else { throw .badPersistentID(reason: "is a view of another storage (pre-1.0 torch.save), which is not supported") }
        }
        return TorchStorage(key: key, dtype: dtype, elementCount: count)
    }

    /// (storage, storage_offset, size, stride, ...) as a tensor; ranges are checked later,
    /// against the storage's bytes.
    private static func tensor(_ arguments: [PickleValue], _ function: TorchGlobal) throws(PyTorchError) -> TorchTensor {
        guard case let .storage(storage) = arguments[0] else { throw bad(function, "\(arguments[0].kindName) where a storage belongs") }
        guard case let .int(offset) = arguments[1] else { throw bad(function, "\(arguments[1].kindName) where the storage offset belongs") }
        let sizes = try integers(arguments[2], "size", function), strides = try integers(arguments[3], "stride", function)
        guard sizes.count == strides.count else { throw bad(function, "\(sizes.count) sizes but \(strides.count) strides") }
        return TorchTensor(storage: storage, storageOffset: offset, sizes: sizes, strides: strides)
    }

    private static func integers(_ value: PickleValue, _ what: String, _ function: TorchGlobal) throws(PyTorchError) -> [Int] {
        guard case let .tuple(tuple) = value else { throw bad(function, "\(value.kindName) where the \(what) tuple belongs") }
        var result: [Int] = []
        for item in tuple.items {
            guard case let .int(number) = item else { throw bad(function, "\(item.kindName) in its \(what) tuple") }
            result.append(number)
        }
        return result
    }

    /// Backward hooks would be functions: only an empty dict is accepted.
    private static func checkHooks(_ value: PickleValue, _ function: TorchGlobal, arena: PickleArena) throws(PyTorchError) {
        guard case let .dict(index) = value, arena.dicts[index].isEmpty else { throw bad(function, "backward hooks (\(value.kindName))") }
    }

    private static func bad(_ function: TorchGlobal, _ reason: String) -> PyTorchError {
        .pickleBadArguments(function: function.name, reason: reason)
    }
}
