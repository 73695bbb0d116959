/// torch.save-shaped files assembled byte by byte, for tests that need a checkpoint too big or
/// too odd to commit (thousands of tensors, views of 2^62 elements). The opcodes are those of
/// Lib/pickletools.py, the layouts those Scripts/gen_pytorch_vectors.py writes with torch.
public struct PickleWriter {
    public private(set) var bytes: [UInt8]

    /// A pickle that starts with PROTO 2.
    public init() { bytes = [0x80, 2] }

    /// Raw opcodes and operands.
    public mutating func op(_ raw: [UInt8]) {
        bytes += raw
    }

    /// BINUNICODE.
    public mutating func string(_ text: String) {
        bytes.append(0x58)
        bytes += leBytes(UInt32(text.utf8.count))
        bytes += Array(text.utf8)
    }

    /// BININT when it fits 32 bits, else LONG1 of 8 bytes.
    public mutating func int(_ value: Int) {
        if let small = Int32(exactly: value) {
            bytes.append(0x4A)
            bytes += leBytes(UInt32(bitPattern: small))
        } else {
            bytes += [0x8A, 8] + leBytes(UInt64(bitPattern: Int64(value)))
        }
    }

    /// GLOBAL module\nname\n.
    public mutating func global(_ module: String, _ name: String) {
        bytes.append(0x63)
        bytes += Array(module.utf8) + [0x0A] + Array(name.utf8) + [0x0A]
    }

    /// A tuple of integers: MARK, each int, TUPLE.
    public mutating func ints(_ values: [Int]) {
        bytes.append(0x28)
        for value in values { int(value) }
        bytes.append(0x74)
    }

    /// collections.OrderedDict(), as torch.save writes an empty one.
    public mutating func emptyOrderedDict() {
        global("collections", "OrderedDict")
        bytes += [0x29, 0x52]
    }

    /// torch._utils._rebuild_tensor_v2(storage, offset, sizes, strides, False, OrderedDict()),
    /// the storage named by the persistent id ('storage', torch.STORAGE, key, 'cpu', numel),
    /// with a sixth element None when `legacy`.
    public mutating func tensor(key: String, storage: String = "FloatStorage", numel: Int, offset: Int = 0,
                                sizes: [Int], strides: [Int], legacy: Bool = false) {
        global("torch._utils", "_rebuild_tensor_v2")
        bytes.append(0x28)
        bytes.append(0x28)
        string("storage")
        global("torch", storage)
        string(key)
        string("cpu")
        int(numel)
        if legacy { bytes.append(0x4E) }
        bytes += [0x74, 0x51]
        int(offset)
        ints(sizes)
        ints(strides)
        bytes.append(0x89)
        emptyOrderedDict()
        bytes += [0x74, 0x52]
    }

    /// An OrderedDict of `entries` set by one MARK … SETITEMS (torch.save batches by 1,000;
    /// other writers need not), then STOP.
    public mutating func stateDict(_ entries: [(name: String, write: (inout PickleWriter) -> Void)]) {
        emptyOrderedDict()
        bytes.append(0x28)
        for entry in entries {
            string(entry.name)
            entry.write(&self)
        }
        bytes += [0x75, 0x2E]
    }
}

/// torch.save's two layouts around pickles written by `PickleWriter`.
public enum TorchFiles {
    /// The zip layout: archive/data.pkl, archive/byteorder, archive/data/KEY for each storage,
    /// archive/version, all stored (method 0) with their CRC-32, no zip64 records.
    public static func zip(pickle: [UInt8], storages: [(key: String, bytes: [UInt8])]) -> [UInt8] {
        let members = [("archive/data.pkl", pickle), ("archive/byteorder", Array("little".utf8))]
            + storages.map { ("archive/data/" + $0.key, $0.bytes) } + [("archive/version", Array("3\n".utf8))]
        var out: [UInt8] = [], central: [UInt8] = []
        for (name, data) in members {
            let raw = Array(name.utf8), offset = UInt32(out.count), crc = crc32(data)
            // version 20, no flags, method 0, no time or date
            let fields = leBytes(UInt16(20)) + leBytes(UInt16(0)) + leBytes(UInt16(0)) + leBytes(UInt32(0))
                + leBytes(crc) + leBytes(UInt32(data.count)) + leBytes(UInt32(data.count))
                + leBytes(UInt16(raw.count)) + leBytes(UInt16(0))
            out += leBytes(UInt32(0x0403_4B50)) + fields + raw + data
            central += leBytes(UInt32(0x0201_4B50)) + leBytes(UInt16(20)) + fields
                + leBytes(UInt16(0)) + leBytes(UInt16(0)) + leBytes(UInt16(0)) + leBytes(UInt32(0))
                + leBytes(offset) + raw
        }
        let start = UInt32(out.count), count = UInt16(members.count)
        out += central
        out += leBytes(UInt32(0x0605_4B50)) + leBytes(UInt16(0)) + leBytes(UInt16(0)) + leBytes(count)
            + leBytes(count) + leBytes(UInt32(central.count)) + leBytes(start) + leBytes(UInt16(0))
        return out
    }

    /// The legacy layout (`_use_new_zipfile_serialization=False`): the magic number, protocol
    /// version 1001, sys info {'little_endian': True}, `object`, the list of storage keys, then
    /// each storage as its element count (8 bytes) and its bytes. `object` must name its
    /// storages with legacy (six-element) persistent ids.
    public static func legacy(object: [UInt8], storages: [(key: String, elementCount: Int, bytes: [UInt8])]) -> [UInt8] {
        var out: [UInt8] = [0x80, 2, 0x8A, 10, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E]
        out += [0x80, 2, 0x4D, 0xE9, 0x03, 0x2E]
        var info = PickleWriter()
        info.op([0x7D, 0x28])
        info.string("little_endian")
        info.op([0x88, 0x75, 0x2E])
        out += info.bytes + object
        var keys = PickleWriter()
        keys.op([0x5D, 0x28])
        for storage in storages { keys.string(storage.key) }
        keys.op([0x65, 0x2E])
        out += keys.bytes
        for storage in storages { out += leBytes(UInt64(storage.elementCount)) + storage.bytes }
        return out
    }

    /// CRC-32 (IEEE, reflected 0xEDB88320), as zip stores it.
    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return ~crc
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}

/// `value`'s little-endian bytes.
func leBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}
