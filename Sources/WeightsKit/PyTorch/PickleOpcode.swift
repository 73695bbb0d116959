/// The pickle opcodes the restricted unpickler runs (Python's Lib/pickle.py names them).
/// Any other byte, including the text-protocol opcodes and the object-building ones
/// (INST, OBJ, NEWOBJ, NEWOBJ_EX, EXT*), is refused.
enum PickleOpcode {
    static let proto: UInt8 = 0x80
    static let frame: UInt8 = 0x95
    static let stop: UInt8 = 0x2E  // .
    static let emptyDict: UInt8 = 0x7D  // }
    static let emptyList: UInt8 = 0x5D  // ]
    static let emptyTuple: UInt8 = 0x29  // )
    static let mark: UInt8 = 0x28  // (
    static let pop: UInt8 = 0x30  // 0
    static let popMark: UInt8 = 0x31  // 1
    static let dup: UInt8 = 0x32  // 2
    static let none: UInt8 = 0x4E  // N
    static let newTrue: UInt8 = 0x88
    static let newFalse: UInt8 = 0x89
    static let binInt: UInt8 = 0x4A  // J
    static let binInt1: UInt8 = 0x4B  // K
    static let binInt2: UInt8 = 0x4D  // M
    static let long1: UInt8 = 0x8A
    static let long4: UInt8 = 0x8B
    static let binFloat: UInt8 = 0x47  // G
    static let binString: UInt8 = 0x54  // T
    static let shortBinString: UInt8 = 0x55  // U
    static let binUnicode: UInt8 = 0x58  // X
    static let shortBinUnicode: UInt8 = 0x8C
    static let binUnicode8: UInt8 = 0x8D
    static let binBytes: UInt8 = 0x42  // B
    static let shortBinBytes: UInt8 = 0x43  // C
    static let binBytes8: UInt8 = 0x8E
    static let byteArray8: UInt8 = 0x96
    static let tuple: UInt8 = 0x74  // t
    static let tuple1: UInt8 = 0x85
    static let tuple2: UInt8 = 0x86
    static let tuple3: UInt8 = 0x87
    static let binPut: UInt8 = 0x71  // q
    static let longBinPut: UInt8 = 0x72  // r
    static let memoize: UInt8 = 0x94
    static let binGet: UInt8 = 0x68  // h
    static let longBinGet: UInt8 = 0x6A  // j
    static let global: UInt8 = 0x63  // c
    static let stackGlobal: UInt8 = 0x93
    static let reduce: UInt8 = 0x52  // R
    static let build: UInt8 = 0x62  // b
    static let binPersID: UInt8 = 0x51  // Q
    static let setItem: UInt8 = 0x73  // s
    static let setItems: UInt8 = 0x75  // u
    static let append: UInt8 = 0x61  // a
    static let appends: UInt8 = 0x65  // e
}
