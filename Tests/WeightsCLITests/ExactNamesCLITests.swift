import Foundation
import Testing

/// Formats/vectors/safetensors/valid/exact-names.safetensors, written by the Python
/// `safetensors` package (Scripts/gen_safetensors_valid.py): "café" spelled precomposed
/// ([7, 8]) and decomposed ([-9, 10]), names and a metadata key with a NUL.
@Suite("weights on names that only bytes tell apart")
struct ExactNamesCLITests {
    static let fixture = InspectCLITests.valid + "/exact-names.safetensors"

    struct Report: Decodable {
        struct Stats: Decodable { let min: Double; let max: Double; let mean: Double }
        struct Tensor: Decodable { let name: String; let stats: Stats? }
        let tensors: [Tensor]
        let metadata: [String: String]?
    }

    func stats(_ path: String) throws -> [[UInt8]: Report.Stats] {
        let result = try CLI.run(["inspect", path, "--stats", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.metadata?["key\u{0}nul"] == "value\u{0}nul")
        var byName: [[UInt8]: Report.Stats] = [:]
        for tensor in report.tensors { byName[Array(tensor.name.utf8)] = tensor.stats }
        #expect(byName.count == 5)
        return byName
    }

    @Test("inspect --stats gives each spelling its own statistics")
    func inspectStats() throws {
        let stats = try stats(Self.fixture)
        let precomposed = try #require(stats[Array("caf\u{e9}".utf8)])
        let decomposed = try #require(stats[Array("cafe\u{301}".utf8)])
        #expect((precomposed.min, precomposed.max, precomposed.mean) == (7, 8, 7.5))
        #expect((decomposed.min, decomposed.max, decomposed.mean) == (-9, 10, 0.5))
        #expect(stats[[0x61, 0, 0x63]]?.mean == 5)  // "a\0c": [4, 5, 6]
    }

    @Test("inspect shows a name with a NUL escaped, on its own row, and no raw NUL byte")
    func inspectTextEscapesNul() throws {
        let result = try CLI.run(["inspect", Self.fixture])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.utf8.contains(0))
        let names = result.stdout.split(separator: "\n").drop { !$0.hasPrefix("NAME") }.dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" }
        // The Python writer's names "a\0b" and "a\0c" (Scripts/gen_safetensors_valid.py).
        #expect(names.contains("a\\u{0}b") && names.contains("a\\u{0}c"), "\(names)")
        #expect(result.stdout.contains("key\\u{0}nul = value\\u{0}nul"))
    }

    @Test("convert to .safetensors and to .wpk and back gives the reference writer's bytes")
    func convertRoundTrip() throws {
        let directory = TemporaryDirectory()
        let copy = directory.file("copy.safetensors"), pack = directory.file("pack.wpk"), back = directory.file("back.safetensors")
        for (input, output) in [(Self.fixture, copy), (Self.fixture, pack), (pack, back)] {
            let result = try CLI.run(["convert", input, output])
            #expect(result.status == 0, "\(result.stderr)")
        }
        #expect(FileManager.default.contentsEqual(atPath: Self.fixture, andPath: copy))
        #expect(FileManager.default.contentsEqual(atPath: Self.fixture, andPath: back))
        #expect(try CLI.run(["verify", pack]).status == 0)
        let packStats = try stats(pack)
        #expect(packStats[Array("cafe\u{301}".utf8)]?.min == -9)
    }
}
