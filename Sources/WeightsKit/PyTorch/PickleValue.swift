/// A value the restricted unpickler builds: the few Python objects a state dict is made of.
///
/// Lists and dicts are mutable and shared in Python (a memo entry and the stack hold the same
/// object), so they live in the unpickler's arena and are referred to by index; tuples are
/// immutable and held by value, with their nesting depth kept so it can be capped.
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer wider than `Int`, as its little-endian two's-complement bytes (LONG1/LONG4).
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple(PickleTuple)
    /// Index of a list in `PickleArena.lists`.
    case list(Int)
    /// Index of a dict in `PickleArena.dicts`.
    case dict(Int)
    /// A name from the allow-list, pushed by GLOBAL or STACK_GLOBAL.
    case global(TorchGlobal)
    /// A storage, resolved from a persistent id. (Boxed, as `tensor` is: the largest payloads
    /// set the size of every value, and a pickle can make millions of values.)
    indirect case storage(TorchStorage)
    /// A tensor, built by one of the rebuild functions.
    indirect case tensor(TorchTensor)

    /// What the value is, in Python's words, for error messages.
    var kindName: String {
        switch self {
        case .none: "None"
        case .bool: "a bool"
        case .int, .bigInt: "an int"
        case .float: "a float"
        case .string: "a str"
        case .bytes: "bytes"
        case .tuple: "a tuple"
        case .list: "a list"
        case .dict: "a dict"
        case let .global(global): global.name
        case .storage: "a storage"
        case .tensor: "a tensor"
        }
    }

    /// The nesting depth of a value: tuples count, everything else is 0.
    var depth: Int {
        if case let .tuple(tuple) = self { return tuple.depth }
        return 0
    }
}

/// An immutable tuple and how deeply it nests.
struct PickleTuple {
    let items: [PickleValue]
    let depth: Int

    init(_ items: [PickleValue]) {
        self.items = items
        var deepest = 0
        for item in items where item.depth > deepest { deepest = item.depth }
        depth = 1 + deepest
    }
}

/// The mutable containers of one unpickling.
struct PickleArena {
    var lists: [[PickleValue]] = []
    /// Entries in insertion order, as Python dicts keep them.
    var dicts: [[(key: PickleValue, value: PickleValue)]] = []
}
