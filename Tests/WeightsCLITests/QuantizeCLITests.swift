import Foundation
import Testing

/// `convert --dtype` and `diff` on the sample model and on the real all-MiniLM-L6-v2
/// (fetched by `make test` into .build/cache; WEIGHTS_MINILM_DIR points at it).
@Suite("weights convert --dtype and weights diff")
struct QuantizeCLITests {
    static let sample = CLI.path("SampleModels/tiny-deberta")
    static let minilm = Repository.minilm

    struct DiffJSON: Decodable {
        struct Tensor: Decodable {
            struct Error: Decodable { let cosine: Double?; let max_abs: Double?; let differing: Int }
            let name: String
            let equal: Bool
            let b: String
            let error: Error?
        }
        let identical: Bool
        let tensors: [Tensor]
    }

    func diff(_ a: String, _ b: String) throws -> (status: Int32, report: DiffJSON) {
        let result = try CLI.run(["diff", a, b, "--json"])
        return (result.status, try JSONDecoder().decode(DiffJSON.self, from: Data(result.stdout.utf8)))
    }

    /// Honest bounds, measured on all-MiniLM-L6-v2 (lowest per-tensor cosine seen:
    /// F16 1.0000000, BF16 0.9999985, Q8_0 0.9999791, Int8 per row 0.9997757).
    static let bounds: [(dtype: String, ext: String, cosine: Double)] = [
        ("f16", "safetensors", 0.99999), ("bf16", "safetensors", 0.99999), ("int8", "safetensors", 0.9997),
        ("int8", "wpk", 0.9997), ("q8_0", "wpk", 0.99995),
    ]

    @Test("all-MiniLM-L6-v2 converted to each dtype stays within its cosine bound on every tensor",
          arguments: bounds.indices)
    func minilmBounds(_ index: Int) throws {
        let (dtype, ext, bound) = Self.bounds[index]
        try #require(FileManager.default.fileExists(atPath: Self.minilm + "/model.safetensors"), "run `make minilm` first")
        let directory = TemporaryDirectory()
        let output = directory.file("model.\(ext)")
        let convert = try CLI.run(["convert", Self.minilm, output, "--dtype", dtype, "--report", directory.file("report.json")])
        #expect(convert.status == 0, "\(convert.stderr)")
        #expect(convert.stdout.contains("converted   38 tensors"))
        struct Report: Decodable {
            struct Tensor: Decodable { let name: String; let action: String; let reason: String? }
            let tensors: [Tensor]
        }
        let plan = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: directory.file("report.json"))))
        let converted = Set(plan.tensors.filter { $0.action == "converted" }.map(\.name))
        #expect(converted.count == 38)
        #expect(plan.tensors.contains { $0.reason == "LayerNorm" })
        let (status, report) = try diff(Self.minilm, output)
        #expect(status == 1)
        #expect(Set(report.tensors.map(\.name)).isSuperset(of: converted), "diff left out converted tensors")
        for tensor in report.tensors {
            if converted.contains(tensor.name) {
                let cosine = try #require(tensor.error?.cosine)
                #expect(cosine >= bound, "\(tensor.name): cosine \(cosine)")
            } else {
                // Kept tensors (biases, LayerNorms, position embeddings) are bit-identical.
                #expect(tensor.equal, "\(tensor.name) was kept but differs")
            }
        }
    }

    @Test("int8 safetensors (I8 + _scale pairs) and int8 WeightPack hold the same tensors")
    func int8Formats() throws {
        let directory = TemporaryDirectory()
        #expect(try CLI.run(["convert", Self.sample, directory.file("a.safetensors"), "--dtype", "int8", "--quiet"]).status == 0)
        #expect(try CLI.run(["convert", Self.sample, directory.file("a.wpk"), "--dtype", "int8", "--quiet"]).status == 0)
        let (status, _) = try diff(directory.file("a.safetensors"), directory.file("a.wpk"))
        #expect(status == 0)
        // wpk → safetensors reproduces the pairs byte for byte.
        #expect(try CLI.run(["convert", directory.file("a.wpk"), directory.file("b.safetensors")]).status == 0)
        #expect(FileManager.default.contentsEqual(atPath: directory.file("a.safetensors"), andPath: directory.file("b.safetensors")))
        let inspect = try CLI.run(["inspect", directory.file("a.safetensors")])
        #expect(inspect.stdout.contains("int8-per-row"))
        #expect(inspect.stdout.contains("weights.policy"))
    }

    @Test("--dtype f32 dequantizes everything back; kept tensors never change")
    func widenBack() throws {
        let directory = TemporaryDirectory()
        #expect(try CLI.run(["convert", Self.sample, directory.file("q.wpk"), "--dtype", "q8_0", "--quiet",
                             "--report", directory.file("q.json")]).status == 0)
        struct Plan: Decodable {
            struct Tensor: Decodable { let name: String; let action: String }
            let tensors: [Tensor]
        }
        let plan = try JSONDecoder().decode(Plan.self, from: Data(contentsOf: URL(fileURLWithPath: directory.file("q.json"))))
        let quantized = Set(plan.tensors.filter { $0.action == "converted" }.map(\.name))
        let kept = Set(plan.tensors.filter { $0.action == "kept" }.map(\.name))
        // tiny-deberta: 13 weight matrices become Q8_0; 12 LayerNorms, 12 biases and the
        // relative-position embeddings stay F32.
        #expect(quantized.count == 13 && kept.count == 25)
        let back = try CLI.run(["convert", directory.file("q.wpk"), directory.file("f.safetensors"), "--dtype", "f32"])
        #expect(back.status == 0)
        let (_, report) = try diff(Self.sample, directory.file("f.safetensors"))
        #expect(report.tensors.count == 38)
        #expect(report.tensors.allSatisfy { $0.b.hasPrefix("F32") })
        // Kept tensors never change: bit-identical to the original after both conversions.
        for tensor in report.tensors where kept.contains(tensor.name) {
            #expect(tensor.equal, "\(tensor.name) changed")
        }
        // Everything is dequantized back: each Q8_0 tensor's F32 values are exactly the values
        // the .wpk decodes to (only the storage differs), and differ from the original only by
        // the quantization error.
        let (_, fromPack) = try diff(directory.file("q.wpk"), directory.file("f.safetensors"))
        #expect(fromPack.tensors.filter { quantized.contains($0.name) }.count == 13)
        for tensor in fromPack.tensors where quantized.contains(tensor.name) {
            #expect(tensor.b.hasPrefix("F32"))
            #expect(tensor.error?.differing == 0 && tensor.error?.max_abs == 0, "\(tensor.name) is not its dequantized values")
        }
        for tensor in report.tensors where quantized.contains(tensor.name) {
            #expect(!tensor.equal && (tensor.error?.cosine ?? 0) > 0.9999, "\(tensor.name)")
        }
    }

    @Test("Q8_0 into safetensors is refused with a pointer to .wpk, leaving nothing behind")
    func q8Refused() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["convert", Self.sample, directory.file("x.safetensors"), "--dtype", "q8_0"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(".wpk"))
        #expect(directory.contents.isEmpty)
    }

    @Test("--keep and --only change what is selected; a bad regex is one clear line")
    func policyOptions() throws {
        let directory = TemporaryDirectory()
        let keep = try CLI.run(["convert", Self.sample, directory.file("k.wpk"), "--dtype", "f16", "--keep", "intermediate", "--report", directory.file("k.json")])
        #expect(keep.status == 0)
        #expect(try String(contentsOfFile: directory.file("k.json"), encoding: .utf8).contains("\"reason\": \"--keep intermediate\""))
        let only = try CLI.run(["convert", Self.sample, directory.file("o.wpk"), "--dtype", "f16", "--only", "LayerNorm"])
        #expect(only.status == 0)
        #expect(only.stdout.contains("converted   12 tensors"), "\(only.stdout)")
        let bad = try CLI.run(["convert", Self.sample, directory.file("b.wpk"), "--dtype", "f16", "--keep", "("])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("--keep (: not a valid regular expression"))
        #expect(try CLI.run(["convert", Self.sample, directory.file("c.wpk"), "--keep", "x"]).status == 64)
    }

    @Test("diff: identical files exit 0, a tolerance absorbs small differences but not a dtype change, unreadable input exits 2")
    func diffExitCodes() throws {
        let directory = TemporaryDirectory()
        #expect(try CLI.run(["diff", Self.sample, Self.sample + "/model.safetensors"]).status == 0)
        #expect(try CLI.run(["convert", Self.sample, directory.file("h.safetensors"), "--dtype", "f16", "--only", ".", "--quiet"]).status == 0)
        #expect(try CLI.run(["diff", Self.sample, directory.file("h.safetensors")]).status == 1)
        // A dtype change is a difference whatever the tolerance; the same values widened back
        // to F32 differ only by F16 rounding, which the tolerance absorbs.
        #expect(try CLI.run(["diff", Self.sample, directory.file("h.safetensors"), "--tolerance", "0.01"]).status == 1)
        #expect(try CLI.run(["convert", directory.file("h.safetensors"), directory.file("w.safetensors"), "--dtype", "f32", "--quiet"]).status == 0)
        #expect(try CLI.run(["diff", Self.sample, directory.file("w.safetensors")]).status == 1)
        #expect(try CLI.run(["diff", Self.sample, directory.file("w.safetensors"), "--tolerance", "0.01"]).status == 0)
        #expect(try CLI.run(["diff", Self.sample, directory.file("missing.safetensors")]).status == 2)
    }
}
