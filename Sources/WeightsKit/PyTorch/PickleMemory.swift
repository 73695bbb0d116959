/// The memory the values of one unpickling hold, counted as they are made, so that a pickle
/// cannot grow its stack, lists, dicts, tuples, strings or memo past `MemoryBudget`: each opcode
/// byte can make a value (DUP … APPENDS, MEMOIZE), and an 8 MB pickle of them built an
/// 8M-element list, 593 MB, and aborted under an address-space limit.
///
/// What is counted is an upper estimate of what the values take: a slot per value, two per
/// dict entry, the payload of each string and bytes, a header per container, hash-table
/// room per memo entry. Nothing is given back (a popped stack slot keeps its capacity). The
/// total is charged three times over, since arrays grow by doubling and a growing array's
/// old buffer lives beside its new one.
struct PickleMemory {
    /// One value in the stack, a list, a tuple or the memo; a dict entry is two.
    static let value = MemoryLayout<PickleValue>.stride
    /// A new list, dict, tuple, string, bytes, storage or tensor: its header and its arena slot.
    static let container = 48
    /// A memo entry: its key and value, with the hash table's spare capacity.
    static let memoEntry = 2 * (MemoryLayout<Int>.stride + value)
    /// How many times over the held bytes are charged (doubling growth, old buffer while copying).
    static let growth = 3
    /// Below this many bytes held the budget is not read (a read costs two /proc files).
    static let unchecked = 1 << 20

    private(set) var held = 0
    /// `MemoryBudget.available()`, read the first time `held` passes `unchecked`.
    private var available: Int?

    /// Counts `bytes` more; throws when what is held, with room to grow, exceeds the budget.
    /// `offset` is where in the pickle the opcode that needs them starts.
    mutating func charge(_ bytes: Int, at offset: Int) throws(PyTorchError) {
        let (total, overflow) = held.addingReportingOverflow(bytes)
        held = overflow ? Int.max : total
        guard held > PickleMemory.unchecked else { return }
        let available = available ?? MemoryBudget.available()
        self.available = available
        let (needed, tooMany) = held.multipliedReportingOverflow(by: PickleMemory.growth)
        guard tooMany || needed > available else { return }
        throw .insufficientMemory(MemoryLimitError(
            purpose: "unpickling the values up to byte \(offset) of the pickle", bytes: tooMany ? nil : needed, available: available))
    }
}
