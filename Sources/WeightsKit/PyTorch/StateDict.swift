/// The tensors of a state dict: the unpickled object must be a dict (an `OrderedDict`, as
/// `Module.state_dict()` returns) from distinct names to tensors, and nothing else.
enum StateDict {
    /// The (name, tensor) pairs of `root`, in the dict's order.
    static func entries(_ root: PickleValue, arena: PickleArena) throws(PyTorchError) -> [(name: String, tensor: TorchTensor)] {
        guard case let .dict(index) = root else { throw .notStateDict(reason: "the pickled object is \(root.kindName), not a dict of tensors") }
        var seen = Set<ExactName>()
        var entries: [(name: String, tensor: TorchTensor)] = []
        for (key, value) in arena.dicts[index] {
            guard case let .string(name) = key else { throw .notStateDict(reason: "a key is \(key.kindName), not a tensor name") }
            guard case let .tensor(tensor) = value else {
                throw .notStateDict(reason: "\"\(name)\" is \(value.kindName), not a tensor")
            }
            guard seen.insert(ExactName(name)).inserted else { throw .duplicateTensor(tensor: name) }
            entries.append((name, tensor))
        }
        return entries
    }
}
