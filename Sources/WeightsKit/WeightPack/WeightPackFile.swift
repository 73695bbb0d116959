/// One WeightPack file, mapped read-only, its header validated (Formats/WeightPack.md).
///
/// Opening checks the header and its CRC only, so it costs the same whatever the amount
/// of tensor data. Uncompressed payloads are viewed in place; compressed ones are
/// inflated when viewed. `verify()` checks every payload CRC and all padding.
public final class WeightPackFile: TensorSource {
    public let path: String
    package let header: WeightPackHeader
    private let file: MappedFile
    private let index: [ExactName: Int]

    public var format: String { "weightpack" }
    public var paths: [String] { [path] }
    public var tensors: [TensorInfo] { header.records.map(\.info) }
    public var metadata: Metadata? { header.metadata }
    /// The model's config.json text, when the file embeds it.
    public var config: String? { header.config }
    public var embeddedConfig: String? { header.config }

    public var storageDescription: StorageDescription? {
        StorageDescription(headerBytes: header.headerBytes, stored: Dictionary(
            header.records.map { ($0.info.name.exact, StorageDescription.Stored(bytes: $0.storedBytes, isCompressed: $0.isCompressed)) },
            uniquingKeysWith: { first, _ in first }))
    }

    public func verifyChecksums() -> [WeightsFileError]? {
        verify().map { WeightsFileError(path: path, reason: .weightPack($0)) }
    }

    public init(path: String) throws(WeightsFileError) {
        self.path = path
        (file, header) = try MappedFile.openParsing(path, reason: WeightsFileError.Reason.weightPack) { bytes throws(WeightPackError) in try WeightPackHeader.parse(bytes) }
        index = nameIndex(header.records.map(\.info.name))
    }

    public func path(of name: String) -> String? {
        index[ExactName(name)] == nil ? nil : path
    }

    package func record(_ name: String) -> WeightPackHeader.Record? {
        index[ExactName(name)].map { header.records[$0] }
    }

    public func view(_ name: String) throws(WeightsFileError) -> TensorView? {
        guard let record = record(name) else { return nil }
        guard record.isCompressed else { return TensorView(info: record.info, file: file) }
        // The declared size was checked against what the stored bytes can inflate to when
        // the file was opened; it must also fit in memory (twice, when unshuffled).
        let width = WeightPackLayout.shuffleWidth(encoding: record.info.encoding, dtype: record.info.dtype)
        do {
            try MemoryBudget.check("inflating tensor \"\(name)\"", bytes: MemoryBudget.product([record.info.byteCount, width > 1 ? 2 : 1]))
        } catch {
            throw WeightsFileError(path: path, reason: error)
        }
        let inflated = file.withBytes(in: record.storedOffset..<(record.storedOffset + record.storedBytes)) { stored in
            Deflate.decompress(stored, expectedCount: record.info.byteCount)
        }
        guard let inflated else { throw WeightsFileError(path: path, reason: WeightPackError.decompression(tensor: name)) }
        return TensorView(info: record.info, bytes: OwnedBytes(ByteShuffle.unshuffle(inflated, width: width)))
    }

    /// Checks every payload's CRC-32, that compressed payloads inflate, and that all
    /// padding is zero. Returns every problem found, in file order.
    package func verify() -> [WeightPackError] {
        var problems: [WeightPackError] = []
        var paddingStart = header.headerBytes
        file.withBytes { bytes in
            for record in header.records {
                let name = record.info.name
                if let nonZero = (paddingStart..<record.storedOffset).first(where: { bytes[$0] != 0 }) {
                    problems.append(.nonZeroPadding(tensor: name, offset: nonZero))
                }
                let stored = UnsafeRawBufferPointer(rebasing: bytes[record.storedOffset..<(record.storedOffset + record.storedBytes)])
                let computed = CRC32.checksum(stored)
                if computed != record.crc32 {
                    problems.append(.payloadChecksum(tensor: name, stored: record.crc32, computed: computed))
                } else if record.isCompressed && !Deflate.inflates(stored, toExactly: record.info.byteCount) {
                    problems.append(.decompression(tensor: name))
                }
                file.releasePages(in: record.storedOffset..<(record.storedOffset + record.storedBytes))
                paddingStart = record.storedOffset + record.storedBytes
            }
        }
        return problems
    }
}
