// Resident memory of an embedding lookup table stored as F32 and as Int8 per row
// (128,000 × 384, the DeBERTa-v3 vocabulary), after 2,000 random lookups: the table stays
// mapped and only the rows looked up are decoded. Usage: table-bench DIRECTORY
import EmbeddingCore
import WeightsKit
#if canImport(Glibc)
import Glibc
#endif

func residentMB() -> Double {
    guard let file = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(file) }
    var size = 0, resident = 0
    _ = withUnsafeMutablePointer(to: &size) { s in withUnsafeMutablePointer(to: &resident) { r in vfscanf_shim(file, s, r) } }
    return Double(resident) * Double(sysconf(Int32(_SC_PAGESIZE))) / 1e6
}

func vfscanf_shim(_ file: UnsafeMutablePointer<FILE>, _ size: UnsafeMutablePointer<Int>, _ resident: UnsafeMutablePointer<Int>) -> Int32 {
    var buffer = [CChar](repeating: 0, count: 256)
    guard fgets(&buffer, 256, file) != nil else { return 0 }
    let fields = String(cString: buffer).split(separator: " ").compactMap { Int($0) }
    if fields.count >= 2 { size.pointee = fields[0]; resident.pointee = fields[1] }
    return 2
}

let directory = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "/tmp"
let (rows, columns) = (128_000, 384)
let f32Path = directory + "/table-f32.safetensors"
let int8Path = directory + "/table-int8.wpk"
var state: UInt64 = 7
let payload = TensorPayload(name: "embeddings.word_embeddings.weight", dtype: .f32, shape: Shape([rows, columns])) { sink in
    var row = [Float](repeating: 0, count: columns)
    for _ in 0..<rows {
        for j in 0..<columns { state = state &* 6364136223846793005 &+ 1442695040888963407; row[j] = Float(Int64(bitPattern: state >> 11) % 2000) / 10000 }
        try row.withUnsafeBytes { try sink.write($0) }
    }
}
try SafetensorsWriter.write([payload], metadata: nil, to: f32Path, overwrite: true)
let source = try ModelLoader.open(f32Path)
let plan = try ModelConversion(source: source, policy: try ConversionPolicy(target: .int8), format: .weightPack)
try WeightPackWriter.write(try plan.payloads(), metadata: plan.outputMetadata, config: nil, to: int8Path, overwrite: true)

for path in [f32Path, int8Path] {
    let before = residentMB()
    let table = try EmbeddingTable(try require(ModelLoader.open(path).view("embeddings.word_embeddings.weight")))
    var checksum: Float = 0
    for index in 0..<2000 { checksum += try table.vector((index * 7919) % rows)[0] }
    print("\(path.split(separator: "/").last!): file \(Double(table.view.info.byteCount) / 1e6) MB, resident after 2,000 lookups +\(residentMB() - before) MB (checksum \(checksum))")
}

func require<T>(_ value: T?) throws -> T {
    guard let value else { throw EncoderError.badInput("missing table") }
    return value
}
