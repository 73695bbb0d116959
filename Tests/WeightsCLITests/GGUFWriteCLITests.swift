import Foundation
import Testing

/// `weights convert M out.gguf`: what it refuses before writing anything, and the real
/// all-MiniLM-L6-v2 written at the size of the reference converter's file.
@Suite("weights convert to GGUF")
struct GGUFWriteCLITests {
    static let deberta = CLI.path("SampleModels/tiny-deberta")

    @Test("a DeBERTa model is refused (BERT only) and nothing is written")
    func refusesOtherArchitectures() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["convert", Self.deberta, directory.file("out.gguf"), "--dtype", "f16"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("[not-bert]"))
        #expect(directory.contents.isEmpty)
    }

    @Test("--dtype int8 and --keep are usage errors for GGUF output", arguments: [["--dtype", "int8"], ["--dtype", "f16", "--keep", "x"]])
    func usageErrors(options: [String]) throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["convert", Self.deberta, directory.file("out.gguf")] + options)
        #expect(result.status == 64)
        #expect(directory.contents.isEmpty)
    }

    @Test("all-MiniLM-L6-v2 at q8_0 has the size of convert_hf_to_gguf.py's file; without --dtype, its f16")
    func miniLM() throws {
        let minilm = Repository.minilm
        try #require(FileManager.default.fileExists(atPath: minilm + "/model.safetensors"), "run `make minilm` first")
        let directory = TemporaryDirectory()
        for (options, manifest) in [(["--dtype", "q8_0"], "minilm-q8_0"), ([], "minilm-f16")] {
            let output = directory.file("\(manifest).gguf")
            let result = try CLI.run(["convert", minilm, output, "--quiet", "--no-sync"] + options)
            #expect(result.status == 0, "\(result.stderr)")
            let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: CLI.path("Formats/vectors/gguf-write/\(manifest).json")))) as? [String: Any]
            let bytes = (expected?["file"] as? [String: Any])?["bytes"] as? Int
            let size = (try FileManager.default.attributesOfItem(atPath: output)[.size] as? NSNumber)?.intValue
            #expect(size == bytes)
            #expect(readBytes(output).prefix(4) == [0x47, 0x47, 0x55, 0x46])
        }
    }
}
