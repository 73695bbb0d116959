/// Every way a PyTorch checkpoint (torch.save's zip or legacy layout) can break what the
/// reader accepts. The pickle inside is never executed: it is read by a restricted unpickler
/// that knows only what a state dict needs, and names anything else. `code` is stable
/// (the expected codes of Formats/vectors/pytorch/hostile/manifest.json).
public enum PyTorchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not a torch.save checkpoint at all (a shard of a .bin index that is a
    /// safetensors file, text, another pickle): `found` says what it is, as far as can be told.
    case notCheckpoint(found: String)
    /// The pickle ends before its STOP opcode (at byte `offset` of the pickle).
    case pickleTruncated(offset: Int)
    /// An opcode this reader does not run: unknown, text-protocol, or object-building.
    case pickleUnsupportedOpcode(opcode: UInt8, offset: Int)
    /// A GLOBAL naming anything outside the state-dict allow-list (`os.system`, `builtins.eval`, ...).
    case pickleForbiddenGlobal(name: String)
    /// REDUCE calling something that is not one of the rebuild functions (a storage class, a dtype).
    case pickleForbiddenCall(name: String)
    /// BUILD on anything but a dict: setting an object's state is code a state dict never needs.
    case pickleForbiddenBuild(target: String)
    /// A rebuild function called with arguments of the wrong shape.
    case pickleBadArguments(function: String, reason: String)
    /// A memo read of a slot never written.
    case pickleBadMemo(index: Int, offset: Int)
    /// The opcodes do not make sense together (stack underflow, SETITEM on a list, ...).
    case pickleMalformed(reason: String, offset: Int)
    /// Nesting, stack or memo beyond the reader's limits.
    case pickleLimit(reason: String, offset: Int)
    /// The values the pickle builds (lists, dicts, memo, stack) would not fit in memory; the
    /// code is `MemoryLimitError`'s, as for every other allocation refused by the budget.
    case insufficientMemory(MemoryLimitError)
    /// A persistent id that is not ('storage', storage type, key, location, numel).
    case badPersistentID(reason: String)
    /// A storage class or dtype with no safetensors element type (complex128, quantized, ...).
    case unsupportedDType(name: String)
    /// The pickle refers to a storage the archive does not hold.
    case missingStorage(key: String)
    /// A storage's bytes disagree with the element count its persistent id declares.
    case storageSize(key: String, expected: Int, actual: Int, unit: String)
    /// The checkpoint was saved on a big-endian machine.
    case bigEndian
    /// The pickled object is not a flat dict from names to tensors.
    case notStateDict(reason: String)
    /// A name appears twice in the state dict.
    case duplicateTensor(tensor: String)
    /// A tensor's offset, sizes and strides reach outside its storage, or overflow.
    case viewOutOfRange(tensor: String, reason: String)
    /// The legacy layout's header (magic number, protocol version, sys info, key list) is wrong.
    case badLegacyHeader(reason: String)
    /// The file ends inside a legacy storage.
    case truncated(reason: String)
    /// Bytes after the last storage (legacy) or after the pickle's STOP (`after` says which).
    case trailingBytes(count: Int, after: String)
    /// The zip container is broken: no end record, a directory outside the file, mismatched headers.
    case zipMalformed(reason: String)
    /// A member is compressed or encrypted: torch.save stores members as they are, so they can be mapped.
    case zipCompressedMember(member: String, method: Int)

    public var code: String {
        switch self {
        case .notCheckpoint: "pytorch-not-checkpoint"
        case .pickleTruncated: "pickle-truncated"
        case .pickleUnsupportedOpcode: "pickle-unsupported-opcode"
        case .pickleForbiddenGlobal: "pickle-forbidden-global"
        case .pickleForbiddenCall: "pickle-forbidden-call"
        case .pickleForbiddenBuild: "pickle-forbidden-build"
        case .pickleBadArguments: "pickle-bad-arguments"
        case .pickleBadMemo: "pickle-bad-memo"
        case .pickleMalformed: "pickle-malformed"
        case .pickleLimit: "pickle-limit"
        case let .insufficientMemory(error): error.code
        case .badPersistentID: "pytorch-bad-persistent-id"
        case .unsupportedDType: "pytorch-unsupported-dtype"
        case .missingStorage: "pytorch-missing-storage"
        case .storageSize: "pytorch-storage-size"
        case .bigEndian: "pytorch-big-endian"
        case .notStateDict: "pytorch-not-state-dict"
        case .duplicateTensor: "pytorch-duplicate-tensor"
        case .viewOutOfRange: "pytorch-view-out-of-range"
        case .badLegacyHeader: "pytorch-bad-legacy-header"
        case .truncated: "pytorch-truncated"
        case .trailingBytes: "pytorch-trailing-bytes"
        case .zipMalformed: "zip-malformed"
        case .zipCompressedMember: "zip-compressed-member"
        }
    }

    /// The tensor the rule is about, if any.
    public var tensor: String? {
        switch self {
        case let .duplicateTensor(tensor), let .viewOutOfRange(tensor, _): tensor
        default: nil
        }
    }

    public var description: String {
        if case let .insufficientMemory(error) = self { return error.description }
        let rule = switch self {
        case let .notCheckpoint(found): "not a torch.save checkpoint: \(found)"
        case let .pickleTruncated(offset): "pickle ends at byte \(offset) before its STOP opcode (truncated file?)"
        case let .pickleUnsupportedOpcode(opcode, offset):
            "pickle opcode 0x\(String(opcode, radix: 16)) at byte \(offset) is not one a state dict uses"
        case let .pickleForbiddenGlobal(name): "pickle imports \"\(name)\", which a state dict never needs"
        case let .pickleForbiddenCall(name): "pickle calls \"\(name)\", which a state dict never needs"
        case let .pickleForbiddenBuild(target): "pickle sets the state of \(target), which a state dict never needs"
        case let .pickleBadArguments(function, reason): "pickle calls \(function) with \(reason)"
        case let .pickleBadMemo(index, offset): "pickle reads memo slot \(index) at byte \(offset), which was never written"
        case let .pickleMalformed(reason, offset): "pickle is malformed at byte \(offset): \(reason)"
        case let .pickleLimit(reason, offset): "pickle exceeds a limit at byte \(offset): \(reason)"
        case let .insufficientMemory(error): error.description
        case let .badPersistentID(reason): "persistent id \(reason); expected ('storage', storage type, key, location, element count)"
        case let .unsupportedDType(name): "\(name) has no safetensors element type"
        case let .missingStorage(key): "storage \"\(key)\" is referenced but the file does not hold it"
        case let .storageSize(key, expected, actual, unit): "storage \"\(key)\" holds \(actual) \(unit), its persistent id says \(expected)"
        case .bigEndian: "checkpoint was saved big-endian; load and save it on a little-endian machine"
        case let .notStateDict(reason): "not a state dict: \(reason)"
        case let .duplicateTensor(tensor): "tensor \"\(tensor)\": defined twice in the state dict"
        case let .viewOutOfRange(tensor, reason): "tensor \"\(tensor)\": \(reason)"
        case let .badLegacyHeader(reason): "legacy torch.save header: \(reason)"
        case let .truncated(reason): "\(reason) (truncated file?)"
        case let .trailingBytes(count, after): "\(count) bytes follow \(after)"
        case let .zipMalformed(reason): "zip container: \(reason)"
        case let .zipCompressedMember(member, method):
            "zip member \"\(member)\" is stored with method \(method), not uncompressed (0) as torch.save writes it; re-save it with torch.save"
        }
        return "\(rule) [\(code)]"
    }
}
