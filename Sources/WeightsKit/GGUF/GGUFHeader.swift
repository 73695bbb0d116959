/// A GGUF file's header, parsed and checked (see `GGUF` for the layout): version,
/// metadata, alignment, each tensor's name, type, shape and place in the data section.
///
/// The checks are gguf.cpp's, in its order: magic; version (2 or 3, a byte-swapped one
/// named big-endian); counts no larger than the rest of the file could hold; keys
/// non-empty, UTF-8 and distinct; `general.alignment` a u32 power of two; tensor names
/// under 64 bytes and distinct; at most 4 dimensions, each a non-negative int64, the
/// element count and byte size without overflow; a ggml type that exists, rows of whole
/// blocks; each offset aligned and exactly where the previous tensor ends (padded); and
/// every tensor's bytes inside the file.
package struct GGUFHeader: Sendable {
    /// One tensor as the header describes it.
    package struct Tensor: Sendable {
        /// Name, row-major shape (ne reversed), the project's dtype and encoding, absolute offset, bytes.
        package let info: TensorInfo
        package let type: GGMLType
        /// ne as stored, fastest dimension first.
        package let dimensions: [Int]
    }

    package let version: UInt32
    package let metadata: [GGUFMetadataEntry]
    package let alignment: Int
    /// Absolute offset of the data section (0 bytes of data when there are no tensors).
    package let dataOffset: Int
    package let tensors: [Tensor]

    /// Smallest tensor info: name length (8), one name byte, n_dims (4), type (4), offset (8).
    static let smallestTensorInfo = 8 + 1 + 4 + 4 + 8
    /// ggml's GGML_MAX_NAME: names are at most 63 bytes.
    static let maxNameLength = 63

    package static func parse(_ bytes: UnsafeRawBufferPointer) throws(GGUFError) -> GGUFHeader {
        var reader = ByteReader(bytes)
        guard let magic = reader.readBytes(4) else { throw .truncated(section: "the magic") }
        guard magic.elementsEqual(GGUF.magicBytes) else { throw .badMagic }
        guard let version = reader.read(UInt32.self) else { throw .truncated(section: "the header") }
        if version & 0xFFFF == 0 && version != 0 { throw .bigEndian(version: version) }
        guard GGUF.readableVersions.contains(version) else { throw .unsupportedVersion(version) }
        guard let tensorCount = reader.read(UInt64.self), let keyCount = reader.read(UInt64.self) else {
            throw .truncated(section: "the header")
        }
        let tensorLimit = reader.remaining / smallestTensorInfo
        guard tensorCount <= UInt64(tensorLimit) else { throw .countTooLarge(what: "tensor", count: tensorCount, limit: tensorLimit) }

        var metadataParser = GGUFMetadataParser(reader: reader)
        let metadata = try metadataParser.entries(count: keyCount)
        reader = metadataParser.reader
        let alignment = try alignment(of: metadata)

        var infos: [(name: String, type: GGMLType, dimensions: [Int], offset: UInt64, bytes: Int)] = []
        infos.reserveCapacity(Int(tensorCount))
        var names = Set<ExactName>()
        var nameParser = GGUFMetadataParser(reader: reader)
        for index in 0..<Int(tensorCount) {
            let section = "tensor info \(index)"
            let raw = try nameParser.string(section: section)
            guard let name = String(validating: raw, as: UTF8.self) else { throw .invalidUTF8(section: "the name of \(section)") }
            guard raw.count <= maxNameLength else { throw .nameTooLong(tensor: name, length: raw.count) }
            guard names.insert(name.exact).inserted else { throw .duplicateTensor(tensor: name) }
            let (type, dimensions, bytes) = try shapeAndType(of: name, reader: &nameParser.reader)
            guard let offset = nameParser.reader.read(UInt64.self) else { throw .truncated(section: "the info of tensor \"\(name)\"") }
            infos.append((name, type, dimensions, offset, bytes))
        }
        reader = nameParser.reader

        // The data section starts at the next multiple of the alignment (only when there are tensors).
        var dataOffset = reader.position
        if !infos.isEmpty {
            guard let start = alignUp(reader.position, to: alignment), start <= bytes.count else {
                throw .truncated(section: "the padding before the data section")
            }
            dataOffset = start
        }
        var expected = 0
        var tensors: [Tensor] = []
        tensors.reserveCapacity(infos.count)
        for info in infos {
            guard info.offset % UInt64(alignment) == 0 else {
                throw .offsetMisaligned(tensor: info.name, offset: info.offset, alignment: alignment)
            }
            guard info.offset <= UInt64(expected) else { throw .offsetUnexpected(tensor: info.name, offset: info.offset, expected: expected) }
            guard info.offset == UInt64(expected) else { throw .tensorOverlap(tensor: info.name, offset: info.offset, expected: expected) }
            let (end, overflow) = (dataOffset + expected).addingReportingOverflow(info.bytes)
            guard !overflow, end <= bytes.count else {
                let wide = UInt64(dataOffset) &+ info.offset &+ UInt64(info.bytes)
                throw .dataOutOfRange(tensor: info.name, end: wide, fileSize: bytes.count)
            }
            let (dtype, encoding) = info.type.tensorModel
            let shape = Shape(info.dimensions.reversed())
            tensors.append(Tensor(info: TensorInfo(name: info.name, dtype: dtype, shape: shape, encoding: encoding,
                                                   offset: dataOffset + expected, byteCount: info.bytes),
                                  type: info.type, dimensions: info.dimensions))
            guard let next = alignUp(expected + info.bytes, to: alignment) else { throw .shapeOverflow(tensor: info.name) }
            expected = next
        }
        return GGUFHeader(version: version, metadata: metadata, alignment: alignment, dataOffset: dataOffset, tensors: tensors)
    }

    /// `general.alignment`, or the default 32.
    private static func alignment(of metadata: [GGUFMetadataEntry]) throws(GGUFError) -> Int {
        guard let entry = metadata.first(where: { $0.key.isByteEqual(to: GGUF.alignmentKey) }) else { return GGUF.defaultAlignment }
        guard case let .uint32(value) = entry.value else { throw .badAlignment(reason: "must be a u32, not \(entry.value.type.name)") }
        guard value != 0, value & (value - 1) == 0 else { throw .badAlignment(reason: "\(value) is not a power of two") }
        return Int(value)
    }

    /// n_dims, ne and the type of one tensor, checked; with its byte size.
    private static func shapeAndType(of name: String, reader: inout ByteReader) throws(GGUFError) -> (GGMLType, [Int], Int) {
        let section = "the info of tensor \"\(name)\""
        guard let rank = reader.read(UInt32.self) else { throw .truncated(section: section) }
        guard rank <= UInt32(GGUF.maxDimensions) else { throw .tooManyDimensions(tensor: name, count: rank) }
        var dimensions: [Int] = []
        var count = 1
        for index in 0..<Int(rank) {
            guard let value = reader.read(UInt64.self) else { throw .truncated(section: section) }
            guard let dimension = Int(exactly: value), value <= UInt64(Int64.max) else {
                throw .badDimension(tensor: name, index: index, value: value)
            }
            dimensions.append(dimension)
        }
        for dimension in dimensions {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw .shapeOverflow(tensor: name) }
            count = product
        }
        guard let tag = reader.read(UInt32.self) else { throw .truncated(section: section) }
        guard let type = GGMLType(rawValue: tag) else { throw .badTensorType(tensor: name, type: tag) }
        let columns = dimensions.first ?? 1
        guard columns % type.blockLength == 0 else {
            throw .rowNotWholeBlocks(tensor: name, type: type.name, columns: columns, block: type.blockLength)
        }
        guard let bytes = type.byteCount(elements: count) else { throw .shapeOverflow(tensor: name) }
        return (type, dimensions, bytes)
    }
}

extension GGMLType {
    /// How the project's tensor model carries this type: plain types as their dtype;
    /// quantized ones as F32 values (what they decode to) in their block encoding.
    var tensorModel: (DType, TensorEncoding) {
        if let dtype = plainDType { return (dtype, .plain) }
        return switch self {
        case .q8_0: (.f32, .q8_0)
        case .q4_0: (.f32, .q4_0)
        case .q4_1: (.f32, .q4_1)
        case .q5_0: (.f32, .q5_0)
        case .q5_1: (.f32, .q5_1)
        default: (.f32, .ggml)
        }
    }
}
