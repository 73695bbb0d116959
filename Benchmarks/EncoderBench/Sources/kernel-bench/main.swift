// The conversion kernels alone, one thread, on 64 MB of F32 input already in memory:
// input gigabytes per second for each conversion, F16C/AVX2 path and portable path.
import WeightsKit
#if canImport(Glibc)
import Glibc
#endif

let count = 16 << 20
var generator = SystemRandomNumberGenerator()
let input = (0..<count).map { _ in Float.random(in: -4...4, using: &generator) }
var halves = [UInt16](repeating: 0, count: count)
var blocks = [UInt8](repeating: 0, count: count / 32 * 34)
var int8 = [UInt8](repeating: 0, count: count)
let clock = ContinuousClock()

func measure(_ name: String, _ body: () -> Void) {
    body()
    let runs = 5
    let start = clock.now
    for _ in 0..<runs { body() }
    let elapsed = clock.now - start
    let seconds = (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18) / Double(runs)
    print(name + String(repeating: " ", count: max(1, 34 - name.count)) + "\(Double(count * 4) / seconds / 1e9) GB/s")
}

for portable in [false, true] {
    FloatConversion.forcePortable(portable)
    let path = portable ? "portable" : (FloatConversion.isAccelerated ? "F16C/AVX2" : "portable")
    input.withUnsafeBytes { source in
        halves.withUnsafeMutableBytes { out in
            measure("F32→F16 \(path)") { FloatConversion.convert(source, from: .f32, to: .f16, count: count, into: out) }
            measure("F32→BF16 \(path)") { FloatConversion.convert(source, from: .f32, to: .bf16, count: count, into: out) }
        }
    }
}
FloatConversion.forcePortable(false)
input.withUnsafeBufferPointer { values in
    blocks.withUnsafeMutableBytes { out in measure("F32→Q8_0") { Quantizers.quantizeQ8_0(values, into: out) } }
    int8.withUnsafeMutableBytes { out in
        measure("F32→Int8 per row (rows of 1024)") {
            for row in 0..<(count / 1024) {
                _ = Quantizers.quantizeInt8Row(UnsafeBufferPointer(rebasing: values[(row * 1024)..<((row + 1) * 1024)]),
                                               into: UnsafeMutableRawBufferPointer(rebasing: out[(row * 1024)..<((row + 1) * 1024)]))
            }
        }
    }
}
