/// A pickle reader (protocols 2 to 5) that runs no code: it builds `PickleValue`s from the
/// opcodes a state dict is made of, interprets the allow-listed names of `TorchGlobal`
/// itself, and refuses every other import, call or object construction by name.
///
/// Every operand is bounds-checked through `ByteReader`; tuples nest at most `maxDepth`
/// deep, the stack holds at most `maxStack` values, and every value it builds is charged
/// against the memory budget (`PickleMemory`); errors carry the byte offset. Each opcode
/// costs O(1) amortised: time grows with the pickle's length, whatever its stack depth.
struct Unpickler {
    static let maxDepth = 64
    static let maxStack = 1 << 20

    private var reader: ByteReader
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    private var memory = PickleMemory()
    /// The deepest the stack has been: its capacity, charged once.
    private var stackPeak = 0
    /// Start of the opcode being run, for errors.
    private var offset = 0
    private(set) var arena = PickleArena()
    /// Storages named by persistent ids, by key, with the order keys were first seen.
    private(set) var storages: [String: TorchStorage] = [:]
    private(set) var storageOrder: [String] = []

    /// Reads the pickle that starts at `position` of `bytes`.
    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0) {
        reader = ByteReader(bytes, at: position)
    }

    /// Where the pickle ended (just after STOP), once `load` returned.
    var position: Int { reader.position }

    /// Runs the opcodes up to STOP and returns the value it pops.
    mutating func load() throws(PyTorchError) -> PickleValue {
        while true {
            offset = reader.position
            guard let opcode = reader.read(UInt8.self) else { throw .pickleTruncated(offset: offset) }
            if opcode == PickleOpcode.stop {
                let value = try pop()
                guard stack.isEmpty, marks.isEmpty else { throw malformed("values left on the stack at STOP") }
                return value
            }
            try run(opcode)
        }
    }

    private mutating func run(_ opcode: UInt8) throws(PyTorchError) {
        typealias Op = PickleOpcode
        switch opcode {
        case Op.proto:
            guard let version = reader.read(UInt8.self) else { throw truncated() }
            guard (2...5).contains(version) else { throw malformed("protocol \(version) is not 2 to 5") }
        case Op.frame:
            guard let length = reader.read(UInt64.self) else { throw truncated() }
            guard length <= UInt64(reader.remaining) else { throw truncated() }
        case Op.emptyDict:
            try charge(PickleMemory.container)
            arena.dicts.append([])
            try push(.dict(arena.dicts.count - 1))
        case Op.emptyList:
            try charge(PickleMemory.container)
            arena.lists.append([])
            try push(.list(arena.lists.count - 1))
        case Op.emptyTuple: try push(.tuple(PickleTuple([])))
        case Op.mark:
            guard marks.count < Unpickler.maxDepth * 16 else { throw limit("more than \(Unpickler.maxDepth * 16) open MARKs") }
            marks.append(stack.count)
        case Op.pop: _ = try pop()
        case Op.popMark: _ = try popMark()
        case Op.dup: try push(try top())
        case Op.none: try push(.none)
        case Op.newTrue: try push(.bool(true))
        case Op.newFalse: try push(.bool(false))
        case Op.binInt1: try push(.int(Int(try read(UInt8.self))))
        case Op.binInt2: try push(.int(Int(try read(UInt16.self))))
        case Op.binInt: try push(.int(Int(try read(Int32.self))))
        case Op.long1: try push(try long(count: Int(try read(UInt8.self))))
        case Op.long4:
            let count = try read(Int32.self)
            guard count >= 0 else { throw malformed("LONG4 with a negative length") }
            try push(try long(count: Int(count)))
        case Op.binFloat: try push(.float(Double(bitPattern: try read(UInt64.self).byteSwapped)))  // big-endian
        case Op.shortBinUnicode, Op.shortBinString: try push(.string(try string(count: Int(try read(UInt8.self)))))
        case Op.binUnicode, Op.binString: try push(.string(try string(count: Int(try read(UInt32.self)))))
        case Op.binUnicode8: try push(.string(try string(count: try length64())))
        case Op.shortBinBytes: try push(.bytes(try bytes(count: Int(try read(UInt8.self)))))
        case Op.binBytes: try push(.bytes(try bytes(count: Int(try read(UInt32.self)))))
        case Op.binBytes8, Op.byteArray8: try push(.bytes(try bytes(count: try length64())))
        case Op.tuple: try push(try tuple(try popMark()))
        case Op.tuple1: try push(try tuple(try pop(count: 1)))
        case Op.tuple2: try push(try tuple(try pop(count: 2)))
        case Op.tuple3: try push(try tuple(try pop(count: 3)))
        case Op.binPut: try put(Int(try read(UInt8.self)))
        case Op.longBinPut: try put(Int(try read(UInt32.self)))
        case Op.memoize: try put(memo.count)
        case Op.binGet: try get(Int(try read(UInt8.self)))
        case Op.longBinGet: try get(Int(try read(UInt32.self)))
        case Op.global:
            let module = try line(), name = try line()
            try push(.global(try TorchGlobal.resolve(module: module, name: name)))
        case Op.stackGlobal:
            let name = try pop(), module = try pop()
            guard case let .string(moduleName) = module, case let .string(globalName) = name else {
                throw malformed("STACK_GLOBAL needs two strings, found \(module.kindName) and \(name.kindName)")
            }
            try push(.global(try TorchGlobal.resolve(module: moduleName, name: globalName)))
        case Op.reduce:
            let arguments = try pop(), callable = try pop()
            guard case let .tuple(tuple) = arguments else { throw malformed("REDUCE arguments are \(arguments.kindName), not a tuple") }
            guard case let .global(function) = callable else { throw .pickleForbiddenCall(name: callable.kindName) }
            // An OrderedDict or a tensor (its sizes and strides are the argument tuples').
            try charge(PickleMemory.container)
            try push(try TorchCall.run(function, arguments: tuple.items, arena: &arena))
        case Op.build:
            let state = try pop(), target = try top()
            // OrderedDict.__reduce__ sets the state dict's `_metadata` attribute this way; it is ignored.
            guard case .dict = target else { throw .pickleForbiddenBuild(target: target.kindName) }
            guard case .dict = state else { throw .pickleForbiddenBuild(target: "a dict with \(state.kindName)") }
        case Op.binPersID: try push(.storage(try register(try TorchCall.storage(persistentID: try pop()))))
        case Op.setItem:
            let value = try pop(), key = try pop()
            try setItems([key, value])
        case Op.setItems: try setItems(try popMark())
        case Op.append: try append([try pop()])
        case Op.appends: try append(try popMark())
        default: throw .pickleUnsupportedOpcode(opcode: opcode, offset: offset)
        }
    }

    // MARK: stack

    private mutating func push(_ value: PickleValue) throws(PyTorchError) {
        guard stack.count < Unpickler.maxStack else { throw limit("more than \(Unpickler.maxStack) values on the stack") }
        if stack.count == stackPeak {
            try charge(PickleMemory.value)
            stackPeak += 1
        }
        stack.append(value)
    }

    private mutating func pop() throws(PyTorchError) -> PickleValue {
        guard stack.count > (marks.last ?? 0), let value = stack.popLast() else { throw malformed("stack underflow") }
        return value
    }

    private mutating func pop(count: Int) throws(PyTorchError) -> [PickleValue] {
        guard count <= stack.count - (marks.last ?? 0) else { throw malformed("stack underflow") }
        return removeStack(from: stack.count - count)
    }

    private func top() throws(PyTorchError) -> PickleValue {
        guard stack.count > (marks.last ?? 0), let value = stack.last else { throw malformed("stack underflow") }
        return value
    }

    /// The values pushed since the last MARK, which is removed.
    private mutating func popMark() throws(PyTorchError) -> [PickleValue] {
        guard let mark = marks.popLast() else { throw malformed("no MARK to pop to") }
        return removeStack(from: mark)
    }

    /// The stack's values from `start` on, removed from it: copied out one by one, then the
    /// stack shortened in place. (Returning a slice of the stack, or an array made from one,
    /// kept its buffer shared while it shrank, so every TUPLE, SETITEMS or APPENDS copied the
    /// whole stack: a deep stack made each opcode cost its depth.)
    private mutating func removeStack(from start: Int) -> [PickleValue] {
        var items: [PickleValue] = []
        items.reserveCapacity(stack.count - start)
        for index in start..<stack.count { items.append(stack[index]) }
        stack.removeLast(stack.count - start)
        return items
    }

    private mutating func tuple(_ items: [PickleValue]) throws(PyTorchError) -> PickleValue {
        try charge(PickleMemory.container + items.count * PickleMemory.value)
        let tuple = PickleTuple(items)
        guard tuple.depth <= Unpickler.maxDepth else { throw limit("tuples nested more than \(Unpickler.maxDepth) deep") }
        return .tuple(tuple)
    }

    /// Records a storage; the same key must always be the same storage.
    private mutating func register(_ storage: TorchStorage) throws(PyTorchError) -> TorchStorage {
        if let known = storages[storage.key] {
            guard known == storage else { throw .badPersistentID(reason: "names storage \"\(storage.key)\" twice with different types or sizes") }
        } else {
            try charge(PickleMemory.container + storage.key.utf8.count)
            storages[storage.key] = storage
            storageOrder.append(storage.key)
        }
        return storage
    }

    // MARK: memo

    private mutating func put(_ index: Int) throws(PyTorchError) {
        let value = try top()
        if memo[index] == nil { try charge(PickleMemory.memoEntry) }
        memo[index] = value
    }

    private mutating func get(_ index: Int) throws(PyTorchError) {
        guard let value = memo[index] else { throw .pickleBadMemo(index: index, offset: offset) }
        try push(value)
    }

    // MARK: containers

    private mutating func setItems(_ items: [PickleValue]) throws(PyTorchError) {
        guard items.count % 2 == 0 else { throw malformed("SETITEMS with an odd number of values") }
        guard case let .dict(index) = try top() else { throw malformed("SETITEM on \((try? top())?.kindName ?? "nothing"), not a dict") }
        try charge(items.count * PickleMemory.value)
        for pair in stride(from: 0, to: items.count, by: 2) {
            arena.dicts[index].append((items[pair], items[pair + 1]))
        }
    }

    private mutating func append(_ items: [PickleValue]) throws(PyTorchError) {
        guard case let .list(index) = try top() else { throw malformed("APPEND on \((try? top())?.kindName ?? "nothing"), not a list") }
        try charge(items.count * PickleMemory.value)
        arena.lists[index] += items
    }

    // MARK: operands

    private mutating func read<T: FixedWidthInteger>(_ type: T.Type) throws(PyTorchError) -> T {
        guard let value = reader.read(type) else { throw truncated() }
        return value
    }

    private mutating func length64() throws(PyTorchError) -> Int {
        guard let length = Int(exactly: try read(UInt64.self)) else { throw truncated() }
        return length
    }

    private mutating func bytes(count: Int) throws(PyTorchError) -> [UInt8] {
        guard let raw = reader.readBytes(count) else { throw truncated() }
        try charge(PickleMemory.container + count)
        return Array(raw)
    }

    private mutating func string(count: Int) throws(PyTorchError) -> String {
        guard let raw = reader.readBytes(count) else { throw truncated() }
        try charge(PickleMemory.container + count)
        guard let text = String(validating: raw, as: UTF8.self) else { throw malformed("string is not valid UTF-8") }
        return text
    }

    /// A GLOBAL operand: bytes up to a newline, at most 256 of them.
    private mutating func line() throws(PyTorchError) -> String {
        var raw: [UInt8] = []
        while true {
            let byte = try read(UInt8.self)
            if byte == 0x0A { break }
            guard raw.count < 256 else { throw limit("GLOBAL name longer than 256 bytes") }
            raw.append(byte)
        }
        guard let text = String(validating: raw, as: UTF8.self) else { throw malformed("GLOBAL name is not valid UTF-8") }
        return text
    }

    /// A little-endian two's-complement integer of `count` bytes (at most 256).
    private mutating func long(count: Int) throws(PyTorchError) -> PickleValue {
        guard count <= 256 else { throw limit("integer of \(count) bytes") }
        let raw = try bytes(count: count)
        guard count <= 8 else { return .bigInt(raw) }
        guard let last = raw.last else { return .int(0) }
        var value = UInt64(last & 0x80 == 0 ? 0 : UInt64.max)
        for byte in raw.reversed() { value = value << 8 | UInt64(byte) }
        return .int(Int(Int64(bitPattern: value)))
    }

    /// Counts `bytes` more against the memory budget (see `PickleMemory`).
    private mutating func charge(_ bytes: Int) throws(PyTorchError) {
        try memory.charge(bytes, at: offset)
    }

    // MARK: errors

    private func truncated() -> PyTorchError { .pickleTruncated(offset: reader.bytes.count) }
    private func malformed(_ reason: String) -> PyTorchError { .pickleMalformed(reason: reason, offset: offset) }
    private func limit(_ reason: String) -> PyTorchError { .pickleLimit(reason: reason, offset: offset) }
}
