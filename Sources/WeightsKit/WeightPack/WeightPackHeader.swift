/// The parsed and validated header of a WeightPack file: everything before the payloads.
package struct WeightPackHeader: Sendable {
    /// One table entry, validated.
    package struct Record: Sendable {
        package let info: TensorInfo
        package let compression: UInt8
        let storedBytes: Int
        let crc32: UInt32

        package var isCompressed: Bool { compression != 0 }
        /// Absolute offset of the stored bytes.
        var storedOffset: Int { info.offset }
    }

    package let headerBytes: Int
    let fileBytes: Int
    let records: [Record]
    package let metadata: Metadata?
    package let config: String?

    /// Parses and checks the header of `file` (the whole file's bytes) against its size.
    /// Reads only the header; payloads are checked by `WeightPackFile.verify()`.
    package static func parse(_ file: UnsafeRawBufferPointer) throws(WeightPackError) -> WeightPackHeader {
        var reader = ByteReader(file)
        guard file.count >= WeightPackLayout.headerSize else { throw .fileTooSmall(size: file.count) }
        guard Array(reader.readBytes(8)!) == WeightPackLayout.magic else { throw .badMagic }
        let version = reader.read(UInt16.self)!
        guard version == WeightPackLayout.version else { throw .unsupportedVersion(version) }
        let flagBits = reader.read(UInt16.self)!
        guard flagBits & ~WeightPackLayout.Flags.known.rawValue == 0 else { throw .unknownFlags(flagBits) }
        let flags = WeightPackLayout.Flags(rawValue: flagBits)
        let tensorCount = Int(reader.read(UInt32.self)!)
        let dimCount = Int(reader.read(UInt32.self)!)
        let namesBytes = Int(reader.read(UInt32.self)!)
        let metadataBytes = Int(reader.read(UInt32.self)!)
        let configBytes = Int(reader.read(UInt32.self)!)
        let headerBytes = reader.read(UInt64.self)!
        let fileBytes = reader.read(UInt64.self)!
        let storedCRC = reader.read(UInt32.self)!
        guard reader.readBytes(12)!.allSatisfy({ $0 == 0 }) else { throw .reservedNotZero(field: "header bytes 52-63") }
        if !flags.contains(.metadata) && metadataBytes != 0 { throw .reservedNotZero(field: "metadata_bytes (no metadata flag)") }
        if !flags.contains(.config) && configBytes != 0 { throw .reservedNotZero(field: "config_bytes (no config flag)") }

        if fileBytes > UInt64(file.count) { throw .truncated(declared: fileBytes, actual: file.count) }
        if fileBytes < UInt64(file.count) { throw .trailingBytes(declared: fileBytes, actual: file.count) }
        // All counts are u32, so this sum cannot overflow 64 bits.
        let computed = UInt64(WeightPackLayout.headerSize) + UInt64(WeightPackLayout.recordSize) * UInt64(tensorCount)
            + 8 * UInt64(dimCount) + UInt64(namesBytes) + UInt64(metadataBytes) + UInt64(configBytes)
        guard headerBytes == computed else { throw .headerSizeMismatch(declared: headerBytes, computed: computed) }
        guard headerBytes <= fileBytes else { throw .truncated(declared: headerBytes, actual: file.count) }
        let headerLength = Int(headerBytes)

        var crc = CRC32()
        crc.update(UnsafeRawBufferPointer(rebasing: file[0..<WeightPackLayout.crcFieldOffset]))
        var zero: UInt32 = 0
        withUnsafeBytes(of: &zero) { crc.update($0) }
        crc.update(UnsafeRawBufferPointer(rebasing: file[(WeightPackLayout.crcFieldOffset + 4)..<headerLength]))
        guard crc.value == storedCRC else { throw .headerChecksum(stored: storedCRC, computed: crc.value) }

        let tableStart = WeightPackLayout.headerSize
        let dimsStart = tableStart + WeightPackLayout.recordSize * tensorCount
        let namesStart = dimsStart + 8 * dimCount
        let metadataStart = namesStart + namesBytes
        let configStart = metadataStart + metadataBytes

        let names = try parseNames(UnsafeRawBufferPointer(rebasing: file[namesStart..<metadataStart]), count: tensorCount)
        let metadata = flags.contains(.metadata) ? try parseMetadata(UnsafeRawBufferPointer(rebasing: file[metadataStart..<configStart])) : nil
        var config: String?
        if flags.contains(.config) {
            guard let text = String(validating: UnsafeRawBufferPointer(rebasing: file[configStart..<headerLength]), as: UTF8.self) else {
                throw .invalidConfig
            }
            config = text
        }

        var records: [Record] = []
        records.reserveCapacity(tensorCount)
        var expectedOffset = UInt64(alignUp(headerLength, to: WeightPackLayout.alignment)!)
        var lastEnd = UInt64(headerLength)
        var table = ByteReader(file, at: tableStart)
        var dims = ByteReader(file, at: dimsStart)
        for name in names {
            let record = try parseRecord(&table, dims: &dims, dimCount: dimCount, name: name, expectedOffset: expectedOffset, fileBytes: fileBytes)
            lastEnd = UInt64(record.storedOffset + record.storedBytes)
            expectedOffset = UInt64(alignUp(Int(lastEnd), to: WeightPackLayout.alignment) ?? Int.max)
            records.append(record)
        }
        if lastEnd < fileBytes { throw .trailingBytes(declared: lastEnd, actual: file.count) }
        return WeightPackHeader(headerBytes: headerLength, fileBytes: Int(fileBytes), records: records, metadata: metadata, config: config)
    }

    private static func parseRecord(_ table: inout ByteReader, dims: inout ByteReader, dimCount: Int, name: String,
                                    expectedOffset: UInt64, fileBytes: UInt64) throws(WeightPackError) -> Record
    {
        let dtypeCode = table.read(UInt8.self)!
        let encodingCode = table.read(UInt8.self)!
        let compression = table.read(UInt8.self)!
        let rank = Int(table.read(UInt8.self)!)
        let dimsIndex = Int(table.read(UInt32.self)!)
        let offset = table.read(UInt64.self)!
        let stored = table.read(UInt64.self)!
        let crc = table.read(UInt32.self)!
        let param = table.read(UInt32.self)!

        guard let dtype = WeightPackLayout.dtype(code: dtypeCode) else { throw .unknownCode(tensor: name, field: "dtype", value: Int(dtypeCode)) }
        guard let encoding = WeightPackLayout.encoding(code: encodingCode) else {
            throw .unknownCode(tensor: name, field: "encoding", value: Int(encodingCode))
        }
        guard WeightPackLayout.Compression(rawValue: compression) != nil else {
            throw .unknownCode(tensor: name, field: "compression", value: Int(compression))
        }
        guard rank <= WeightPackLayout.maximumRank else { throw .invalidShape(tensor: name, reason: "rank \(rank) exceeds \(WeightPackLayout.maximumRank)") }
        guard dimsIndex <= dimCount - rank, rank > 0 || dimsIndex == 0 else {
            throw .invalidShape(tensor: name, reason: "dims \(dimsIndex)..<\(dimsIndex + rank) outside the pool of \(dimCount)")
        }
        var shapeDims: [Int] = []
        var pool = ByteReader(dims.bytes, at: dims.position + 8 * dimsIndex)
        for _ in 0..<rank {
            guard let dim = pool.read(UInt64.self).flatMap({ Int(exactly: $0) }) else {
                throw .invalidShape(tensor: name, reason: "a dimension is 2^63 or more")
            }
            shapeDims.append(dim)
        }
        let shape = Shape(shapeDims)
        if let problem = WeightPackLayout.encodingProblem(encoding, dtype: dtype, shape: shape) {
            throw .encodingMismatch(tensor: name, reason: problem)
        }
        guard let payloadBytes = encoding.payloadBytes(shape: shape, dtype: dtype) else {
            throw .invalidShape(tensor: name, reason: "shape \(shape) of \(dtype.name) overflows 64 bits or does not fill whole bytes")
        }
        guard let expectedParam = WeightPackLayout.param(encoding: encoding, shape: shape) else {
            throw .invalidShape(tensor: name, reason: "int8-per-row scales offset of shape \(shape) does not fit the 32-bit param")
        }
        guard param == expectedParam else {
            throw .encodingMismatch(tensor: name, reason: "param is \(param), expected \(expectedParam) for \(encoding.rawValue)")
        }
        guard offset == expectedOffset else { throw .invalidOffset(tensor: name, expected: expectedOffset, actual: offset) }
        if compression == 0 && stored != UInt64(payloadBytes) {
            throw .invalidSize(tensor: name, expected: UInt64(payloadBytes), actual: stored)
        }
        // Deflate cannot shrink data more than about 1032:1; a larger claim would make a
        // reader allocate memory the file cannot justify.
        let (inflatable, overflow) = stored.multipliedReportingOverflow(by: 1032)
        if compression != 0 && !overflow && UInt64(payloadBytes) > inflatable + 64 {
            throw .invalidSize(tensor: name, expected: UInt64(payloadBytes / 1032), actual: stored)
        }
        guard stored <= fileBytes, offset <= fileBytes - stored else {
            throw .truncated(declared: offset.addingReportingOverflow(stored).partialValue, actual: Int(fileBytes))
        }
        let info = TensorInfo(name: name, dtype: dtype, shape: shape, encoding: encoding, offset: Int(offset), byteCount: payloadBytes)
        return Record(info: info, compression: compression, storedBytes: Int(stored), crc32: crc)
    }

    private static func parseNames(_ block: UnsafeRawBufferPointer, count: Int) throws(WeightPackError) -> [String] {
        var reader = ByteReader(block)
        var previous: [UInt8] = []
        var names: [String] = []
        names.reserveCapacity(count)
        for index in 0..<count {
            guard let shared = reader.readVarint(), let suffixLength = reader.readVarint(), let suffix = reader.readBytes(suffixLength) else {
                throw .invalidNames(reason: "entry \(index) runs past the end of the block")
            }
            guard shared <= previous.count else { throw .invalidNames(reason: "entry \(index) shares \(shared) bytes with a \(previous.count)-byte name") }
            let bytes = Array(previous[0..<shared]) + Array(suffix)
            guard let name = String(validating: bytes, as: UTF8.self) else { throw .invalidNames(reason: "entry \(index) is not valid UTF-8") }
            if index > 0 && !previous.lexicographicallyPrecedes(bytes) {
                throw .invalidNames(reason: "\"\(name)\" is not after \"\(String(decoding: previous, as: UTF8.self))\" (names must be sorted and unique)")
            }
            names.append(name)
            previous = bytes
        }
        guard reader.remaining == 0 else { throw .invalidNames(reason: "\(reader.remaining) unused bytes at the end") }
        return names
    }

    private static func parseMetadata(_ block: UnsafeRawBufferPointer) throws(WeightPackError) -> Metadata {
        var reader = ByteReader(block)
        guard let count = reader.readVarint(), count <= block.count else { throw .invalidMetadata(reason: "bad entry count") }
        var entries: [Metadata.Entry] = []
        var keys = Set<ExactName>()
        for index in 0..<count {
            guard let keyLength = reader.readVarint(), let key = reader.readString(keyLength),
                  let valueLength = reader.readVarint(), let value = reader.readString(valueLength) else {
                throw .invalidMetadata(reason: "entry \(index) is cut short or not valid UTF-8")
            }
            guard keys.insert(key.exact).inserted else { throw .invalidMetadata(reason: "key \"\(key)\" appears twice") }
            entries.append(Metadata.Entry(key: key, value: value))
        }
        guard reader.remaining == 0 else { throw .invalidMetadata(reason: "\(reader.remaining) unused bytes at the end") }
        return Metadata(uniqueEntries: entries)
    }
}
