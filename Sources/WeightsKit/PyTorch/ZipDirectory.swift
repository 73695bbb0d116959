/// The members of a zip archive, read from its central directory (zip64 records included,
/// as torch.save always writes them): each member's name and the byte range of its stored
/// data. Only what torch.save writes is accepted: one disk, no comment, members stored
/// uncompressed and unencrypted, each local header agreeing with the directory.
struct ZipDirectory {
    /// Member name → byte range of its data in the archive.
    let members: [String: Range<Int>]

    private static let endSignature: UInt32 = 0x0605_4B50
    private static let zip64EndSignature: UInt32 = 0x0606_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    private static let centralSignature: UInt32 = 0x0201_4B50
    private static let localSignature: UInt32 = 0x0403_4B50
    private static let endRecordSize = 22, centralEntrySize = 46, localHeaderSize = 30

    init(_ bytes: UnsafeRawBufferPointer) throws(PyTorchError) {
        let (count, directory) = try ZipDirectory.centralDirectory(bytes)
        var reader = ByteReader(bytes, at: directory.lowerBound)
        var members: [String: Range<Int>] = [:]
        for _ in 0..<count {
            let (name, range) = try ZipDirectory.entry(&reader, in: bytes, directoryEnd: directory.upperBound)
            guard members[name] == nil else { throw .zipMalformed(reason: "member \"\(name)\" appears twice") }
            members[name] = range
        }
        guard reader.position == directory.upperBound else { throw .zipMalformed(reason: "central directory size disagrees with its entries") }
        self.members = members
    }

    /// The entry count and byte range of the central directory, from the end record (and the
    /// zip64 end record its locator points at, when there is one).
    private static func centralDirectory(_ bytes: UnsafeRawBufferPointer) throws(PyTorchError) -> (Int, Range<Int>) {
        let end = bytes.count - endRecordSize
        var reader = ByteReader(bytes, at: max(0, end))
        guard end >= 0, reader.read(UInt32.self) == endSignature else {
            throw .zipMalformed(reason: "no end-of-central-directory record at the end of the file (truncated, or a trailing comment)")
        }
        guard let disk = reader.read(UInt16.self), let directoryDisk = reader.read(UInt16.self),
              let diskEntries = reader.read(UInt16.self), let entries16 = reader.read(UInt16.self),
              let size32 = reader.read(UInt32.self), let offset32 = reader.read(UInt32.self), reader.read(UInt16.self) == 0
        else { throw .zipMalformed(reason: "end-of-central-directory record is damaged") }
        guard disk == 0, directoryDisk == 0, diskEntries == entries16 else { throw .zipMalformed(reason: "archive spans several disks") }
        var count = Int(entries16), size = Int(size32), offset = Int(offset32)
        var directoryEnd = end
        var locator = ByteReader(bytes, at: max(0, end - 20))
        if end >= 20, locator.read(UInt32.self) == zip64LocatorSignature {
            guard locator.read(UInt32.self) == 0, let recordOffset = locator.read(UInt64.self).flatMap({ Int(exactly: $0) }),
                  recordOffset <= end - 20 - 56
            else { throw .zipMalformed(reason: "zip64 locator points outside the file") }
            var record = ByteReader(bytes, at: recordOffset)
            guard record.read(UInt32.self) == zip64EndSignature, record.read(UInt64.self) != nil, record.readBytes(4) != nil,
                  record.read(UInt32.self) == 0, record.read(UInt32.self) == 0,
                  let diskEntries64 = record.read(UInt64.self), let entries64 = record.read(UInt64.self), diskEntries64 == entries64,
                  let count64 = Int(exactly: entries64), let size64 = record.read(UInt64.self).flatMap({ Int(exactly: $0) }),
                  let offset64 = record.read(UInt64.self).flatMap({ Int(exactly: $0) })
            else { throw .zipMalformed(reason: "zip64 end-of-central-directory record is damaged") }
            (count, size, offset, directoryEnd) = (count64, size64, offset64, recordOffset)
        }
        guard offset <= directoryEnd, size <= directoryEnd - offset else {
            throw .zipMalformed(reason: "central directory (\(size) bytes at \(offset)) lies outside the file")
        }
        guard count <= size / centralEntrySize else { throw .zipMalformed(reason: "\(count) entries cannot fit in a \(size)-byte central directory") }
        return (count, offset..<(offset + size))
    }

    /// One central-directory entry: its name and the range of its data, checked against its local header.
    private static func entry(_ reader: inout ByteReader, in bytes: UnsafeRawBufferPointer, directoryEnd: Int)
        throws(PyTorchError) -> (String, Range<Int>)
    {
        let damaged = PyTorchError.zipMalformed(reason: "central directory entry at byte \(reader.position) is damaged")
        guard reader.position <= directoryEnd - centralEntrySize, reader.read(UInt32.self) == centralSignature,
              reader.readBytes(4) != nil, let flags = reader.read(UInt16.self), let method = reader.read(UInt16.self),
              reader.readBytes(8) != nil, var compressed = reader.read(UInt32.self).map(UInt64.init),
              var uncompressed = reader.read(UInt32.self).map(UInt64.init),
              let nameLength = reader.read(UInt16.self), let extraLength = reader.read(UInt16.self),
              let commentLength = reader.read(UInt16.self), reader.readBytes(8) != nil,
              var localOffset = reader.read(UInt32.self).map(UInt64.init),
              let rawName = reader.readBytes(Int(nameLength)), let extra = reader.readBytes(Int(extraLength)),
              reader.readBytes(Int(commentLength)) != nil, reader.position <= directoryEnd
        else { throw damaged }
        guard let name = String(validating: rawName, as: UTF8.self) else { throw .zipMalformed(reason: "a member name is not UTF-8") }
        try zip64Fields(extra, uncompressed: &uncompressed, compressed: &compressed, localOffset: &localOffset, member: name)
        guard flags & 1 == 0 else { throw .zipCompressedMember(member: name, method: Int(method)) }
        guard method == 0 else { throw .zipCompressedMember(member: name, method: Int(method)) }
        guard compressed == uncompressed, let size = Int(exactly: compressed), let local = Int(exactly: localOffset) else {
            throw .zipMalformed(reason: "member \"\(name)\" has a stored size different from its size")
        }
        // The local header: same name; its extra field (torch's alignment padding) comes before the data.
        var header = ByteReader(bytes, at: min(local, bytes.count))
        guard header.read(UInt32.self) == localSignature, header.readBytes(22) != nil,
              let localNameLength = header.read(UInt16.self), let localExtraLength = header.read(UInt16.self),
              let localName = header.readBytes(Int(localNameLength)), localName.elementsEqual(rawName),
              header.readBytes(Int(localExtraLength)) != nil
        else { throw .zipMalformed(reason: "local header of member \"\(name)\" is missing or disagrees with the directory") }
        let start = header.position
        guard size <= bytes.count - start else {
            throw .zipMalformed(reason: "member \"\(name)\" (\(size) bytes at \(start)) runs past the end of the file (truncated?)")
        }
        return (name, start..<(start + size))
    }

    /// Replaces the 32-bit fields that are 0xFFFFFFFF with the zip64 extra field's values (in its order).
    private static func zip64Fields(_ extra: UnsafeRawBufferPointer, uncompressed: inout UInt64, compressed: inout UInt64,
                                    localOffset: inout UInt64, member: String) throws(PyTorchError) {
        let marker = UInt64(UInt32.max)
        guard uncompressed == marker || compressed == marker || localOffset == marker else { return }
        var reader = ByteReader(extra)
        while let id = reader.read(UInt16.self), let length = reader.read(UInt16.self), let data = reader.readBytes(Int(length)) {
            guard id == 1 else { continue }
            var fields = ByteReader(data)
            if uncompressed == marker { guard let value = fields.read(UInt64.self) else { break }; uncompressed = value }
            if compressed == marker { guard let value = fields.read(UInt64.self) else { break }; compressed = value }
            if localOffset == marker { guard let value = fields.read(UInt64.self) else { break }; localOffset = value }
            return
        }
        throw .zipMalformed(reason: "member \"\(member)\" needs a zip64 extra field it does not have")
    }
}
