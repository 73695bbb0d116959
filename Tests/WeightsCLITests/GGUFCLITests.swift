import Foundation
import Testing
@testable import WeightsKit

/// The CLI on GGUF files (Scripts/gen_gguf_vectors.py, written with gguf-py): inspect, verify,
/// diff and convert, and the tiny BERT GGUF written as llama.cpp's converter writes it.
@Suite("weights on GGUF files")
struct GGUFCLITests {
    static let root = CLI.path("Formats/vectors/gguf")
    static let bert = root + "/bert"

    @Test("inspect names the format, each tensor's GGUF type, and summarises long metadata arrays")
    func inspect() throws {
        let result = try CLI.run(["inspect", Self.bert + "/model.gguf"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("format      gguf\n"))
        #expect(result.stdout.contains("gguf        version 3, alignment 32, data at byte 3,488\n"))
        #expect(result.stdout.contains("  tokenizer.ggml.tokens = [24 × STRING] \"[PAD]\", \"[UNK]\", \"[CLS]\", \"[SEP]\", \"[MASK]\", … (19 more)\n"))
        #expect(result.stdout.contains("  bert.block_count = 2\n"))
        let types = try CLI.run(["inspect", Self.root + "/valid/types-align32.gguf"])
        #expect(types.stdout.contains("q4_k         Q4_K   F32    ggml"), "\(types.stdout)")
    }

    @Test("validate accepts the BERT GGUF, beside its config.json and alone (config from its metadata), under its Hugging Face names")
    func validateBertGGUF() throws {
        let directory = TemporaryDirectory()
        let alone = directory.file("model.gguf")
        try FileManager.default.copyItem(atPath: Self.bert + "/model.gguf", toPath: alone)
        for path in [Self.bert + "/model.gguf", alone] {
            let result = try CLI.run(["validate", path])
            #expect(result.status == 0, "\(path): \(result.stderr)")
            #expect(result.stdout == "valid: bert, 37 tensors, 0 errors, 0 warnings\n", "\(path)")
            #expect(result.stderr.isEmpty, "\(path): \(result.stderr)")
        }
    }

    @Test("inspect --json gives every metadata value exactly, and each tensor's gguf_type")
    func inspectJSON() throws {
        let result = try CLI.run(["inspect", Self.bert + "/model.gguf", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["format"] as? String == "gguf")
        let gguf = try #require(object["gguf"] as? [String: Any])
        let metadata = try #require(gguf["metadata"] as? [[String: Any]])
        let tokens = try #require(metadata.first { $0["key"] as? String == "tokenizer.ggml.tokens" })
        let vocab = try String(contentsOfFile: Self.bert + "/vocab.txt", encoding: .utf8).split(separator: "\n").map(String.init)
        // llama.cpp's phantom-space form: "▁word" for word starts, pieces without "##", specials as they are.
        let phantom = vocab.map { $0.hasPrefix("[") ? $0 : $0.hasPrefix("##") ? String($0.dropFirst(2)) : "\u{2581}" + $0 }
        #expect(tokens["value"] as? [String] == phantom)
        let tensors = try #require(object["tensors"] as? [[String: Any]])
        #expect(tensors.first?["gguf_type"] as? String == "F32")
        #expect(tensors.first?["name"] as? String == "token_embd.weight")
    }

    @Test("--stats works, verify reads every tensor and says GGUF has no checksums")
    func verifyAndStats() throws {
        let stats = try CLI.run(["inspect", Self.root + "/valid/types-align64.gguf", "--stats"])
        #expect(stats.status == 0, "\(stats.stderr)")
        let verify = try CLI.run(["verify", Self.bert + "/model.gguf"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("ok: 37 tensors"))
        #expect(verify.stdout.contains("GGUF stores no checksums"))
        let broken = try CLI.run(["verify", Self.root + "/invalid/data-out-of-range.gguf"])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("[gguf-data-out-of-range]"))
    }

    @Test("convert model.gguf → safetensors gives back the original BERT tensors bit for bit (pooler aside)")
    func bertRoundTrip() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["convert", Self.bert + "/model.gguf", directory.file("out.safetensors")])
        #expect(result.status == 0, "\(result.stderr)")
        let converted = try SafetensorsFile(path: directory.file("out.safetensors"))
        let original = try SafetensorsFile(path: Self.bert + "/model.safetensors")
        let left = Set(original.tensors.map(\.name)).subtracting(converted.tensors.map(\.name))
        #expect(left == ["pooler.dense.weight", "pooler.dense.bias"])
        #expect(converted.tensors.count == 37)
        for info in converted.tensors {
            let wanted = try #require(original.view(info.name), "\(info.name)")
            #expect(info.shape == wanted.shape && info.dtype == wanted.dtype, "\(info.name)")
            #expect(converted.view(info.name)?.bytes == wanted.bytes, "\(info.name)")
        }
        let wpk = try CLI.run(["convert", Self.bert + "/model.gguf", directory.file("out.wpk")])
        #expect(wpk.status == 0, "\(wpk.stderr)")
        let diff = try CLI.run(["diff", directory.file("out.wpk"), Self.bert + "/model.gguf"])
        #expect(diff.status == 0, "\(diff.stdout)\(diff.stderr)")
    }

    @Test("diff GGUF vs the original safetensors compares under Hugging Face names; quantized GGUF compares dequantized")
    func diff() throws {
        let same = try CLI.run(["diff", Self.bert + "/model.gguf", Self.bert + "/model.safetensors"])
        #expect(same.stdout.contains("differ: 0 of 37 common tensors, 0 only in A, 2 only in B"), "\(same.stdout)\(same.stderr)")
        let quantized = try CLI.run(["diff", Self.root + "/valid/types-align32.gguf", Self.root + "/valid/types-align32.expected.safetensors"])
        #expect(quantized.status != 2, "\(quantized.stderr)")
    }

    @Test("convert refuses Q4/Q5 without --dtype and types it cannot decode, with their codes")
    func refusals() throws {
        let directory = TemporaryDirectory()
        let q4 = try CLI.run(["convert", Self.root + "/valid/types-align32.gguf", directory.file("q.wpk")])
        #expect(q4.status == 1)
        #expect(q4.stderr.contains("q4_0 (from GGUF) cannot be stored"), "\(q4.stderr)")
        let k = try CLI.run(["convert", Self.root + "/valid/types-align32.gguf", directory.file("q.safetensors"), "--dtype", "f32"])
        #expect(k.status == 1)
        #expect(k.stderr.contains("[unsupported-gguf-type]"), "\(k.stderr)")
    }
}
