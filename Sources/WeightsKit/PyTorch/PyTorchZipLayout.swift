/// torch.save's zip layout (torch ≥ 1.6): `ARCHIVE/data.pkl` (the pickle), `ARCHIVE/data/KEY`
/// (each storage's raw little-endian elements), `ARCHIVE/byteorder` ("little" or "big"; absent
/// in files from before it was written, which were little-endian), plus `version`,
/// `.format_version`, `.storage_alignment` and `.data/serialization_id`, which the reader
/// does not need (it reads payloads unaligned). ARCHIVE is any single folder name.
extension PyTorchLayout {
    init(zip bytes: UnsafeRawBufferPointer) throws(PyTorchError) {
        let directory = try ZipDirectory(bytes)
        let pickles = directory.members.keys.filter { name in
            name.hasSuffix("/data.pkl") && name.utf8.filter { $0 == UInt8(ascii: "/") }.count == 1
        }
        guard pickles.count == 1, let pickleName = pickles.first else {
            throw .zipMalformed(reason: pickles.isEmpty ? "no ARCHIVE/data.pkl member" : "more than one ARCHIVE/data.pkl member")
        }
        let archive = String(pickleName.dropLast("data.pkl".count))
        let slice = { (range: Range<Int>) in UnsafeRawBufferPointer(rebasing: bytes[range]) }
        if let order = directory.members[archive + "byteorder"] {
            let text = String(decoding: slice(order), as: UTF8.self)
            if text == "big" { throw .bigEndian }
            guard text == "little" else { throw .zipMalformed(reason: "byteorder member says \"\(text.prefix(16))\", not little or big") }
        }
        guard let pickleRange = directory.members[pickleName] else { throw .zipMalformed(reason: "no ARCHIVE/data.pkl member") }
        var unpickler = Unpickler(slice(pickleRange))
        root = try unpickler.load()
        guard unpickler.position == pickleRange.count else { throw .trailingBytes(count: pickleRange.count - unpickler.position, after: "the STOP of data.pkl") }
        arena = unpickler.arena
        var storages: [String: (storage: TorchStorage, bytes: Range<Int>)] = [:]
        for key in unpickler.storageOrder {
            guard let storage = unpickler.storages[key] else { continue }
            guard let range = directory.members[archive + "data/" + key] else { throw .missingStorage(key: key) }
            let expected = try PyTorchLayout.byteCount(of: storage)
            guard expected == range.count else { throw .storageSize(key: key, expected: expected, actual: range.count, unit: "bytes") }
            storages[key] = (storage, range)
        }
        self.storages = storages
    }
}
