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

    /// The record's `compression` byte (Formats/WeightPack.md, "Compression").
    enum Compression: UInt8, Sendable, CaseIterable {
        case none = 0
        case shuffleDeflate = 1
    }

    /// The record's `dtype` byte: the table "dtype codes" in Formats/WeightPack.md. Written out
    /// here rather than taken from `DType`'s declaration order, so reordering or extending the
    /// enum cannot change the file format (WeightPackCodeTableTests compares both with the spec).
    static func dtypeCode(_ dtype: DType) -> UInt8 {
        switch dtype {
        case .bool: 0
        case .f4: 1
        case .f6E2M3: 2
        case .f6E3M2: 3
        case .u8: 4
        case .i8: 5
        case .f8E5M2: 6
        case .f8E4M3: 7
        case .f8E8M0: 8
        case .f8E4M3FNUZ: 9
        case .f8E5M2FNUZ: 10
        case .i16: 11
        case .u16: 12
        case .f16: 13
        case .bf16: 14
        case .i32: 15
        case .u32: 16
        case .f32: 17
        case .c64: 18
        case .f64: 19
        case .i64: 20
        case .u64: 21
        }
    }

    /// The `DType` a record's `dtype` byte names, or nil for a code the format does not define.
    static func dtype(code: UInt8) -> DType? {
        switch code {
        case 0: .bool
        case 1: .f4
        case 2: .f6E2M3
        case 3: .f6E3M2
        case 4: .u8
        case 5: .i8
        case 6: .f8E5M2
        case 7: .f8E4M3
        case 8: .f8E8M0
        case 9: .f8E4M3FNUZ
        case 10: .f8E5M2FNUZ
        case 11: .i16
        case 12: .u16
        case 13: .f16
        case 14: .bf16
        case 15: .i32
        case 16: .u32
        case 17: .f32
        case 18: .c64
        case 19: .f64
        case 20: .i64
        case 21: .u64
        default: nil
        }
    }

    /// The record's `encoding` byte (Formats/WeightPack.md, "Encodings").
    static func encodingCode(_ encoding: TensorEncoding) -> UInt8 {
        switch encoding {
        case .plain: 0
        case .int8PerRow: 1
        case .q8_0: 2
        // Refused by `encodingProblem` before any record is written.
        case .q4_0, .q4_1, .q5_0, .q5_1, .ggml: 0xFF
        }
    }

    /// The encoding a record's `encoding` byte names, or nil for an undefined code.
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
        case .q4_0, .q4_1, .q5_0, .q5_1, .ggml: return nil
        }
    }

    /// Why `encoding` cannot hold a `dtype` tensor of `shape`, or nil if it can.
    static func encodingProblem(_ encoding: TensorEncoding, dtype: DType, shape: Shape) -> String? {
        if encoding == .plain { return nil }
        if WeightPackLayout.encoding(code: encodingCode(encoding)) != encoding {
            return "WeightPack has no \(encoding.rawValue) encoding (GGUF's block types are read, never written); convert to f32 or q8_0"
        }
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
