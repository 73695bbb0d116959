import Foundation
import Testing
import WeightsKit

/// README's "Library" section is `Examples/ReadmeExample/main.swift` (target `readme-example`,
/// which this test target depends on, so it is built with the tests): the block must be that
/// file byte for byte, and the program must run as written and do what its comments say.
@Suite("README library example")
struct ReadmeExampleTests {
    static let source = CLI.path("Examples/ReadmeExample/main.swift")
    static let binary = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().appendingPathComponent("readme-example").path
    static let sample = CLI.path("SampleModels/tiny-deberta")

    /// The first ```swift block after the "## Library" heading, with its final newline.
    static func librarySection(of readme: String) -> String? {
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false)
        guard let heading = lines.firstIndex(of: "## Library"),
              let open = lines[heading...].firstIndex(of: "```swift"),
              let close = lines[(open + 1)...].firstIndex(of: "```") else { return nil }
        return lines[(open + 1)..<close].map { $0 + "\n" }.joined()
    }

    @Test("README's Library block is Examples/ReadmeExample/main.swift, byte for byte")
    func readmeIsTheExample() throws {
        let readme = try String(contentsOfFile: CLI.path("README.md"), encoding: .utf8)
        let example = try String(contentsOfFile: Self.source, encoding: .utf8)
        let block = try #require(Self.librarySection(of: readme), "README has no ```swift block under ## Library")
        #expect(!example.isEmpty)
        #expect(block == example)
    }

    @Test("the example runs as written: a byte-identical copy, an Int8 WeightPack with its config, the encoder on it")
    func exampleRuns() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build it first: swift build --product readme-example")
        // The example uses paths relative to the repository root and writes into the current
        // directory: run it in a fresh one that sees the samples through a link, and nothing
        // else (no config.json beside model-int8.wpk, so the encoder needs the embedded one).
        let directory = TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: directory.file("SampleModels"), withDestinationPath: CLI.path("SampleModels"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr)")

        // tiny-deberta (SampleModels/tiny-deberta/README.md): 38 F32 tensors, 50,240 parameters,
        // vocabulary 1,000 × hidden 32; one sequence of 4 ids gives last_hidden_state [1, 4, 32].
        let lines = stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            "safetensors 38 tensors, 50240 parameters",
            "embeddings.word_embeddings.weight F32 [1000, 32] plain 32000 values, 128000 bytes",
            "last_hidden_state [1, 4, 32]",
        ])
        #expect(directory.contents == ["SampleModels", "copy.safetensors", "model-int8.wpk"])

        // "a copy as safetensors (byte-identical to the original)"
        #expect(readBytes(directory.file("copy.safetensors")) == readBytes(Self.sample + "/model.safetensors"))

        // "Int8 per row (default policy) into WeightPack, with config.json embedded"
        let pack = try WeightPackFile(path: directory.file("model-int8.wpk"))
        #expect(pack.config.map { Array($0.utf8) } == readBytes(Self.sample + "/config.json"))
        let int8 = pack.tensors.filter { $0.encoding == .int8PerRow }.map(\.name)
        #expect(int8.contains("embeddings.word_embeddings.weight"))
        #expect(int8.contains("encoder.layer.0.attention.self.query_proj.weight"))
        #expect(!int8.contains { $0.contains("LayerNorm") } && !int8.contains("encoder.rel_embeddings.weight"))
        #expect(pack.tensors.count == 38)
    }
}
