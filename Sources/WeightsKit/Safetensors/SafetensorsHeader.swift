/// The parsed and fully validated header of a safetensors file.
///
/// Validation follows the Rust reference (safetensors/src/tensor.rs) and is stricter
/// where it is lenient (`__metadata__: null`, trailing bytes). Rules are checked in a
/// fixed order, so each invalid test vector names the first rule it breaks:
/// file size → header length cap → header inside file → UTF-8 → strict JSON → object →
/// `__metadata__` → each entry's fields, dtype, shape and element count → offsets and
/// sizes in offset order → data section size.
package struct SafetensorsHeader: Sendable {
    /// The reference's cap (`MAX_HEADER_SIZE`); larger headers are refused before reading.
    static let maximumLength = 100_000_000

    /// JSON header length in bytes (the u64 at the start of the file).
    package let length: Int
    /// `__metadata__`, or nil when the file has none.
    package let metadata: Metadata?
    /// Tensors in payload order, with absolute offsets.
    package let tensors: [TensorInfo]

    /// Absolute offset of the data section.
    var dataStart: Int { 8 + length }

    /// Parses the header at the start of `file` (the whole file's bytes) and checks every
    /// rule against `file.count`. Reads only the first `8 + length` bytes.
    package static func parse(_ file: UnsafeRawBufferPointer) throws(SafetensorsError) -> SafetensorsHeader {
        guard file.count >= 8 else { throw .fileTooSmall(size: file.count) }
        let declared = UInt64(littleEndian: file.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(maximumLength) else { throw .headerTooLarge(length: declared, limit: maximumLength) }
        let length = Int(declared)
        guard length <= file.count - 8 else { throw .headerExceedsFile(length: declared, available: file.count - 8) }

        let document: StrictJSON
        do throws(StrictJSON.ParseError) {
            document = try StrictJSON.parse(UnsafeRawBufferPointer(rebasing: file[8..<(8 + length)]))
        } catch {
            switch error.kind {
            case .invalidUTF8: throw .invalidUTF8
            case .syntax: throw .invalidJSON(reason: "\(error.reason) at byte \(8 + error.offset) of the file")
            }
        }
        let root = document.root
        guard root.kind == .object else { throw .headerNotObject(found: root.kindName) }

        var metadata: Metadata?
        var entries: [(info: TensorInfo, begin: UInt64, end: UInt64)] = []
        entries.reserveCapacity(root.count)
        for (key, value) in root.members {
            if key.isByteEqual(to: "__metadata__") {
                metadata = try parseMetadata(value)
            } else {
                entries.append(try parseEntry(name: key, value))
            }
        }

        let dataSize = file.count - 8 - length
        let tensors = try checkOffsets(&entries, dataStart: 8 + length)
        let declaredEnd = entries.last?.end ?? 0
        if declaredEnd > UInt64(dataSize) { throw .truncated(expected: declaredEnd, actual: dataSize) }
        if declaredEnd < UInt64(dataSize) { throw .trailingBytes(expected: declaredEnd, actual: dataSize) }
        return SafetensorsHeader(length: length, metadata: metadata, tensors: tensors)
    }

    private static func parseMetadata(_ value: StrictJSON.Value) throws(SafetensorsError) -> Metadata {
        guard value.kind == .object else {
            throw .invalidMetadata(key: nil, reason: "must be an object of strings, found \(value.kindName)")
        }
        var entries: [Metadata.Entry] = []
        entries.reserveCapacity(value.count)
        for (key, entry) in value.members {
            guard let text = entry.string else {
                throw .invalidMetadata(key: key, reason: "value must be a string, found \(entry.kindName)")
            }
            // Keys are unique by bytes: the parser rejects an object that repeats one.
            entries.append(Metadata.Entry(key: key, value: text))
        }
        return Metadata(uniqueEntries: entries)
    }

    private static func parseEntry(name: String, _ value: StrictJSON.Value) throws(SafetensorsError)
        -> (info: TensorInfo, begin: UInt64, end: UInt64)
    {
        guard value.kind == .object else {
            throw .invalidField(tensor: name, field: "entry", reason: "must be an object, found \(value.kindName)")
        }
        guard let dtypeNode = value.member("dtype") else { throw .missingField(tensor: name, field: "dtype") }
        guard let shapeNode = value.member("shape") else { throw .missingField(tensor: name, field: "shape") }
        guard let offsetsNode = value.member("data_offsets") else { throw .missingField(tensor: name, field: "data_offsets") }

        guard let dtypeName = dtypeNode.string else {
            throw .invalidField(tensor: name, field: "dtype", reason: "must be a string, found \(dtypeNode.kindName)")
        }
        guard shapeNode.kind == .array else {
            throw .invalidField(tensor: name, field: "shape", reason: "must be an array, found \(shapeNode.kindName)")
        }
        guard offsetsNode.kind == .array, offsetsNode.count == 2, let offsets = offsetsNode.firstTwoElements else {
            throw .invalidField(tensor: name, field: "data_offsets",
                                reason: "must be an array of 2 integers, found \(offsetsNode.kind == .array ? "\(offsetsNode.count) items" : offsetsNode.kindName)")
        }
        guard let begin = offsets.0.unsignedInteger, let end = offsets.1.unsignedInteger else {
            throw .invalidField(tensor: name, field: "data_offsets", reason: "must hold non-negative integers")
        }
        guard let dtype = DType(rawValue: dtypeName) else { throw .unknownDType(tensor: name, dtype: dtypeName) }

        var dims: [Int] = []
        dims.reserveCapacity(shapeNode.count)
        var overflow = false
        var axis = 0
        try shapeNode.forEachElement { (dimNode) throws(SafetensorsError) in
            defer { axis += 1 }
            if let dim = dimNode.unsignedInteger {
                if let exact = Int(exactly: dim) { dims.append(exact) } else { overflow = true; dims.append(Int.max) }
            } else if dimNode.isUnsignedIntegerBeyond64Bits {
                overflow = true
                dims.append(Int.max)
            } else if dimNode.isNegativeInteger {
                throw .invalidShape(tensor: name, reason: "dimension \(axis) is negative")
            } else {
                throw .invalidShape(tensor: name, reason: "dimension \(axis) is a \(dimNode.kind == .number ? "fractional number" : dimNode.kindName), not a non-negative integer")
            }
        }
        let shape = Shape(dims)
        guard !overflow, let elements = shape.elementCount,
              !elements.multipliedReportingOverflow(by: dtype.bitWidth).overflow
        else {
            throw .shapeOverflow(tensor: name, shape: "[" + shapeNode.elements.map { $0.unsignedInteger.map(String.init) ?? "?" }.joined(separator: ", ") + "]")
        }
        guard let byteCount = shape.byteCount(for: dtype) else {
            throw .misalignedSubByte(tensor: name, dtype: dtype, elements: elements)
        }
        return (TensorInfo(name: name, dtype: dtype, shape: shape, offset: 0, byteCount: byteCount), begin, end)
    }

    /// Sorts entries by offsets and checks they tile the data section from 0 with no gap
    /// or overlap, each spanning exactly its dtype × shape; returns them with absolute offsets.
    private static func checkOffsets(_ entries: inout [(info: TensorInfo, begin: UInt64, end: UInt64)], dataStart: Int)
        throws(SafetensorsError) -> [TensorInfo]
    {
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var expectedBegin: UInt64 = 0
        var tensors: [TensorInfo] = []
        tensors.reserveCapacity(entries.count)
        for entry in entries {
            guard entry.begin == expectedBegin, entry.end >= entry.begin else {
                throw .invalidOffsets(tensor: entry.info.name, expectedBegin: expectedBegin, begin: entry.begin, end: entry.end)
            }
            guard entry.end - entry.begin == UInt64(entry.info.byteCount) else {
                throw .sizeMismatch(tensor: entry.info.name, expected: entry.info.byteCount, actual: entry.end - entry.begin)
            }
            expectedBegin = entry.end
            let info = entry.info
            // Offsets fit in Int here: they are checked against the file size only after
            // this loop, so clamp to keep the (not yet validated) value representable.
            let offset = Int(clamping: entry.begin).addingReportingOverflow(dataStart).partialValue
            tensors.append(TensorInfo(name: info.name, dtype: info.dtype, shape: info.shape, offset: offset, byteCount: info.byteCount))
        }
        return tensors
    }
}
