/// torch.save's legacy layout (`_use_new_zipfile_serialization=False`, and every file before
/// torch 1.6): five pickles back to back — the magic number 0x1950a86a20f9469cfc6c, the
/// protocol version 1001, a sys-info dict (`little_endian`, type sizes), the object itself,
/// the list of storage keys — then each storage in that order: its element count as an
/// 8-byte little-endian integer, then its elements.
extension PyTorchLayout {
    /// The magic number as LONG1 stores it: 10 little-endian two's-complement bytes.
    static let legacyMagic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]
    static let legacyProtocolVersion = 1001

    init(legacy bytes: UnsafeRawBufferPointer) throws(PyTorchError) {
        var position = 0
        func next() throws(PyTorchError) -> (PickleValue, Unpickler) {
            var unpickler = Unpickler(bytes, at: position)
            let value = try unpickler.load()
            position = unpickler.position
            return (value, unpickler)
        }
        guard case .bigInt(PyTorchLayout.legacyMagic) = try next().0 else { throw .badLegacyHeader(reason: "the magic number is wrong") }
        guard case .int(PyTorchLayout.legacyProtocolVersion) = try next().0 else {
            throw .badLegacyHeader(reason: "protocol version is not \(PyTorchLayout.legacyProtocolVersion)")
        }
        let (info, infoPickle) = try next()
        guard case let .dict(infoIndex) = info else { throw .badLegacyHeader(reason: "sys info is \(info.kindName), not a dict") }
        let littleEndian = infoPickle.arena.dicts[infoIndex].first { if case .string("little_endian") = $0.key { true } else { false } }
        guard let littleEndian, case let .bool(isLittle) = littleEndian.value else { throw .badLegacyHeader(reason: "sys info has no little_endian flag") }
        guard isLittle else { throw .bigEndian }

        let (object, objectPickle) = try next()
        let (keyList, keyPickle) = try next()
        guard case let .list(keyIndex) = keyList else { throw .badLegacyHeader(reason: "storage key list is \(keyList.kindName), not a list") }
        var storages: [String: (storage: TorchStorage, bytes: Range<Int>)] = [:]
        var reader = ByteReader(bytes, at: position)
        for item in keyPickle.arena.lists[keyIndex] {
            guard case let .string(key) = item else { throw .badLegacyHeader(reason: "storage key list holds \(item.kindName)") }
            guard let storage = objectPickle.storages[key] else { throw .badLegacyHeader(reason: "storage key list names \"\(key)\", which the object never uses") }
            guard storages[key] == nil else { throw .badLegacyHeader(reason: "storage key list names \"\(key)\" twice") }
            guard let count = reader.read(UInt64.self) else { throw .truncated(reason: "file ends before storage \"\(key)\"") }
            guard count == UInt64(storage.elementCount) else {
                throw .storageSize(key: key, expected: storage.elementCount, actual: Int(clamping: count), unit: "elements")
            }
            let byteCount = try PyTorchLayout.byteCount(of: storage)
            let start = reader.position
            guard reader.readBytes(byteCount) != nil else {
                throw .truncated(reason: "storage \"\(key)\" needs \(byteCount) bytes at \(start), the file has \(reader.remaining)")
            }
            storages[key] = (storage, start..<(start + byteCount))
        }
        for key in objectPickle.storageOrder where storages[key] == nil { throw .missingStorage(key: key) }
        guard reader.remaining == 0 else { throw .trailingBytes(count: reader.remaining, after: "the last storage") }
        root = object
        arena = objectPickle.arena
        self.storages = storages
    }
}
