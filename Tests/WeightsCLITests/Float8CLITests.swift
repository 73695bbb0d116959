import Foundation
import Testing
import WeightsKit

/// `convert --dtype` on FP8 tensors (Formats/vectors/fp8/fp8-weights.safetensors: one [32, 32]
/// tensor per 8-bit float type, the 256 patterns four times), against ml_dtypes' `astype`
/// in the per-type vectors (Scripts/gen_fp8_vectors.py).
@Suite("weights convert on FP8 tensors")
struct Float8CLITests {
    static let vectors = CLI.path("Formats/vectors/fp8")
    static let types = ["F8_E4M3", "F8_E5M2", "F8_E4M3FNUZ", "F8_E5M2FNUZ", "F8_E8M0"]

    @Test("--dtype f32, f16 and bf16 convert every FP8 tensor to ml_dtypes' values, bit for bit", arguments: ["f32", "f16", "bf16"])
    func converts(_ target: String) throws {
        let directory = TemporaryDirectory()
        let output = directory.file("out.safetensors")
        let result = try CLI.run(["convert", Self.vectors + "/fp8-weights.safetensors", output, "--dtype", target])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("converted   5 tensors, 5,120 values"), "\(result.stdout)")
        #expect(result.stdout.contains("kept        0 tensors"), "\(result.stdout)")
        let converted = try SafetensorsFile(path: output)
        for type in Self.types {
            let view = try #require(converted.view("\(type.lowercased()).weight"))
            #expect(view.dtype.name == target.uppercased())
            let expected = try #require(try SafetensorsFile(path: Self.vectors + "/\(type.lowercased()).safetensors").view(target)).bytes
            #expect(view.bytes == expected + expected + expected + expected, "\(type) → \(target)")
        }
    }

    @Test("--dtype f8_e4m3 and f8_e5m2 round F32, F64, F16 and BF16 tensors as ml_dtypes does", arguments: ["f8_e4m3", "f8_e5m2"])
    func toFloat8(_ target: String) throws {
        let directory = TemporaryDirectory()
        let output = directory.file("out.safetensors")
        let result = try CLI.run(["convert", Self.vectors + "/to-fp8-input.safetensors", output, "--dtype", target, "--only", "."])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("converted   4 tensors"), "\(result.stdout)")
        let converted = try SafetensorsFile(path: output)
        let expected = try SafetensorsFile(path: Self.vectors + "/to-\(target).safetensors")
        for key in ["f32", "f64", "f16", "bf16"] {
            let view = try #require(converted.view(key))
            #expect(view.dtype.name == target.uppercased())
            #expect(view.bytes == (try #require(expected.view(key))).bytes, "\(key) → \(target)")
        }
    }

    @Test("inspect --stats decodes FP8 values: NaN and Inf counts as ml_dtypes gives them")
    func stats() throws {
        let result = try CLI.run(["inspect", Self.vectors + "/fp8-weights.safetensors", "--stats", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        struct Report: Decodable {
            struct Tensor: Decodable { let name: String; let stats: Stats? }
            struct Stats: Decodable { let nan: Int; let inf: Int; let min: Double?; let max: Double? }
            let tensors: [Tensor]
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        // Four copies of: E4M3 0x7F/0xFF NaN; E5M2 six NaNs, two Infs; FNUZ one NaN; E8M0 one NaN.
        let expected: [String: (Int, Int, Double, Double)] = [
            "f8_e4m3.weight": (8, 0, -448, 448), "f8_e5m2.weight": (24, 8, -57344, 57344),
            "f8_e4m3fnuz.weight": (4, 0, -240, 240), "f8_e5m2fnuz.weight": (4, 0, -57344, 57344),
            "f8_e8m0.weight": (4, 0, 0x1p-127, 0x1p127),
        ]
        #expect(report.tensors.count == 5)
        for tensor in report.tensors {
            let stats = try #require(tensor.stats, "\(tensor.name)")
            let want = try #require(expected[tensor.name])
            let close = { (a: Double?, b: Double) in a.map { abs($0 - b) <= abs(b) * 1e-7 } ?? false }
            #expect(stats.nan == want.0 && stats.inf == want.1 && close(stats.min, want.2) && close(stats.max, want.3), "\(tensor.name): \(stats)")
        }
    }
}
