import Foundation
import Testing
import WeightsKit

/// `convert` on NaN and infinities: int8 and q8_0 refuse a row or block holding one unless
/// --allow-nonfinite, which writes what numpy and gguf-py write
/// (Scripts/gen_nonfinite_conversion_vectors.py); the summary shows the damage.
@Suite("convert on NaN and infinities")
struct NonFiniteConversionCLITests {
    static let vectors = CLI.path("Formats/vectors/conversions")

    /// The matrix of the report: a NaN, a +inf and a -inf in three rows, a row of NaN, and a finite row.
    static func damagedMatrix(to path: String) throws {
        var values: [Float] = (0..<(5 * 64)).map { (index: Int) -> Float in Float((index * 37) % 101) / 50 - 1 }
        values[3] = .nan
        values[64 + 5] = .infinity
        values[128 + 7] = -.infinity
        for column in 0..<64 { values[192 + column] = .nan }
        try HostileFiles.safetensors([HostileFiles.f32("w", values, shape: [5, 64])], to: path)
    }

    @Test("--dtype int8 and q8_0 refuse the first row or block holding a NaN or infinity, naming it; nothing is written",
          arguments: [("int8", "out.safetensors", "row 0 (values 0..<64) holds nan, which int8-per-row"),
                      ("q8_0", "out.wpk", "block 0 (values 0..<32) holds nan, which q8_0")])
    func refused(_ dtype: String, _ name: String, _ message: String) throws {
        let directory = TemporaryDirectory()
        let input = directory.file("in.safetensors")
        try Self.damagedMatrix(to: input)
        let result = try CLI.run(["convert", input, directory.file(name), "--dtype", dtype, "--only", "w"])
        #expect(result.status == 1)
        #expect(result.stderr == "weights: error: \(input): tensor \"w\": \(message) cannot represent: quantized, all \(dtype == "int8" ? 64 : 32) of its values "
            + "would read back as NaN [non-finite-quantization] (--allow-nonfinite converts it anyway)\n", "\(result.stderr)")
        #expect(directory.contents == ["in.safetensors"])
    }

    @Test("with --allow-nonfinite the summary counts the values that changed between finite and NaN or infinite")
    func summaryShowsDamage() throws {
        let directory = TemporaryDirectory()
        let input = directory.file("in.safetensors")
        try Self.damagedMatrix(to: input)
        for (dtype, name, changed) in [("int8", "out.safetensors", 191), ("q8_0", "out.wpk", 95)] {
            let report = directory.file("\(dtype).json")
            let result = try CLI.run(["convert", input, directory.file(name), "--dtype", dtype, "--only", "w", "--allow-nonfinite", "--report", report])
            #expect(result.status == 0, "\(result.stderr)")
            // 63 finite values of row 0, 64 of rows 1 and 2 (int8); 31 + 32 + 32 in their blocks (q8_0).
            #expect(result.stdout.contains("non-finite  67 input values are NaN or infinite; \(changed) values changed between finite, NaN and infinite "
                + "(errors, left out of RMSE, SNR and cosine)\n"), "\(result.stdout)")
            #expect(result.stdout.contains("worst       w: \(changed) values changed class, "), "\(result.stdout)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
            let error = try #require(json["error"] as? [String: Any])
            #expect(error["class_changed"] as? Int == changed && error["non_finite_inputs"] as? Int == 67)
        }
    }

    @Test("--allow-nonfinite int8 writes numpy's values and scales; q8_0 gguf-py's blocks (the fixtures)")
    func allowedMatchesReferences() throws {
        let directory = TemporaryDirectory()
        let int8 = directory.file("int8.safetensors")
        let run = try CLI.run(["convert", Self.vectors + "/int8-per-row-nonfinite.safetensors", int8, "--dtype", "int8", "--only", "input", "--allow-nonfinite", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let reference = try SafetensorsFile(path: Self.vectors + "/int8-per-row-nonfinite.safetensors")
        let written = try SafetensorsFile(path: int8)
        #expect(try #require(written.view("input")).bytes == (try #require(reference.view("q")).bytes))
        #expect(try #require(written.view("input_scale")).bytes == (try #require(reference.view("scale")).bytes))

        let q8 = directory.file("q8.wpk")
        let runQ8 = try CLI.run(["convert", Self.vectors + "/q8_0-nonfinite.safetensors", q8, "--dtype", "q8_0", "--only", "input", "--allow-nonfinite", "--quiet"])
        #expect(runQ8.status == 0, "\(runQ8.stderr)")
        let q8Reference = try SafetensorsFile(path: Self.vectors + "/q8_0-nonfinite.safetensors")
        let blocks = try #require(try WeightPackFile(path: q8).view("input"))
        #expect(blocks.encoding == .q8_0)
        #expect(blocks.bytes == (try #require(q8Reference.view("packed")).bytes))
    }

    @Test("an F16 overflow to infinity counts as a changed value: the SNR is not called exact")
    func overflowCounted() throws {
        let directory = TemporaryDirectory()
        let input = directory.file("in.safetensors")
        try HostileFiles.safetensors([HostileFiles.f32("w", [1, 0.5, 1e6, -2], shape: [2, 2])], to: input)
        let result = try CLI.run(["convert", input, directory.file("out.safetensors"), "--dtype", "f16", "--only", "w"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("non-finite  0 input values are NaN or infinite; 1 values changed between finite, NaN and infinite"), "\(result.stdout)")
        #expect(result.stdout.contains("worst       w: 1 values changed class, max abs 0, RMSE 0, SNR inf dB (finite values exact)"), "\(result.stdout)")
    }
}
