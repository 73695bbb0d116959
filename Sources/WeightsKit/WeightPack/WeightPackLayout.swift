/// Constants and codes of the WeightPack format (Formats/WeightPack.md).
enum WeightPackLayout {
    static let magic: [UInt8] = [0x57, 0x50, 0x41, 0x43, 0x4B, 0x00, 0x0D, 0x0A]  // "WPACK\0\r\n"
    static let version: UInt16 = 1
    static let headerSize = 64
    static let recordSize = 32
    static let alignment = 64
    static let maximumRank = 8
    static let crcFieldOffset = 48

    struct Flags: OptionSet {
        let rawValue: UInt16
        static let metadata = Flags(rawValue: 1)
        static let config = Flags(rawValue: 2)
        static let known: Flags = [.metadata, .config]
    }

    enum Compression: UInt8, Sendable {
        case none = 0
        case shuffleDeflate = 1
    }

    static func dtypeCode(_ dtype: DType) -> UInt8 { UInt8(dtype.referenceRank) }

    static func dtype(code: UInt8) -> DType? {
        Int(code) < DType.allCases.count ? DType.allCases[Int(code)] : nil
    }

    static func encodingCode(_ encoding: TensorEncoding) -> UInt8 {
        switch encoding {
        case .plain: 0
        case .int8PerRow: 1
        case .q8_0: 2
        }
    }

    static func encoding(code: UInt8) -> TensorEncoding? {
        switch code {
        case 0: .plain
        case 1: .int8PerRow
        case 2: .q8_0
        default: nil
        }
    }

    /// The `param` field a record must carry for `encoding` and `shape`; nil when it would
    /// not fit its 32 bits (a writer refuses such a tensor, a reader rejects its record).
    static func param(encoding: TensorEncoding, shape: Shape) -> UInt32? {
        switch encoding {
        case .plain: return 0
        case .q8_0: return UInt32(TensorEncoding.q8BlockLength)
        case .int8PerRow:
            guard let (rows, columns) = TensorEncoding.rowsAndColumns(shape),
                  let offset = TensorEncoding.int8ScalesOffset(rows: rows, columns: columns) else { return 0 }
            return UInt32(exactly: offset / 64)
        }
    }

    /// Why `encoding` cannot hold a `dtype` tensor of `shape`, or nil if it can.
    static func encodingProblem(_ encoding: TensorEncoding, dtype: DType, shape: Shape) -> String? {
        if encoding == .plain { return nil }
        // The spec's list: F16, BF16, F32, F64 and the F8 types; not the sub-byte floats.
        guard dtype.isFloatingPoint && dtype.bitWidth >= 8 else {
            return "\(encoding.rawValue) needs a floating-point dtype of 8 bits or more (F8, F16, BF16, F32, F64), not \(dtype.name)"
        }
        if encoding == .q8_0 && (shape.rank == 0 || (shape.dims.last ?? 0) % TensorEncoding.q8BlockLength != 0) {
            return "q8_0 needs rows whose length is a multiple of 32, shape is \(shape)"
        }
        return nil
    }

    /// Bytes per element for the byte-plane shuffle.
    static func shuffleWidth(encoding: TensorEncoding, dtype: DType) -> Int {
        encoding == .plain && dtype.bitWidth % 8 == 0 ? dtype.bitWidth / 8 : 1
    }
}
