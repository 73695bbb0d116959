import Foundation
import Testing
@testable import WeightsKit

/// The CLI on torch.save checkpoints (Scripts/gen_pytorch_vectors.py): everything that works
/// on safetensors works on them.
@Suite("weights on PyTorch checkpoints")
struct PyTorchCLITests {
    static let root = CLI.path("Formats/vectors/pytorch")

    @Test("inspect names the format pytorch, for a file and for a sharded folder")
    func inspect() throws {
        let file = try CLI.run(["inspect", Self.root + "/valid/views.pt"])
        #expect(file.status == 0, "\(file.stderr)")
        #expect(file.stdout.contains("format      pytorch\n"))
        #expect(file.stdout.contains("tensors     9\n"))
        let sharded = try CLI.run(["inspect", Self.root + "/sharded"])
        #expect(sharded.stdout.contains("format      pytorch (2 shards)\n"), "\(sharded.stderr)")
    }

    @Test("convert .pt/.bin → .safetensors is byte-identical to safetensors.torch.save_file of torch.load's tensors",
          arguments: ["views.pt", "legacy.bin", "dtypes.pt", "shared.pt"])
    func convert(_ name: String) throws {
        let directory = TemporaryDirectory()
        let stem = String(name[..<(name.lastIndex(of: ".") ?? name.endIndex)])
        let result = try CLI.run(["convert", Self.root + "/valid/" + name, directory.file("out.safetensors")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(readBytes(directory.file("out.safetensors")) == readBytes(Self.root + "/valid/\(stem).expected.safetensors"))
    }

    @Test("convert sharded .bin → .wpk → .safetensors gives the expected file; --dtype works on .bin")
    func throughWeightPack() throws {
        let directory = TemporaryDirectory()
        #expect(try CLI.run(["convert", Self.root + "/sharded", directory.file("m.wpk")]).status == 0)
        #expect(try CLI.run(["convert", directory.file("m.wpk"), directory.file("m.safetensors")]).status == 0)
        #expect(readBytes(directory.file("m.safetensors")) == readBytes(Self.root + "/sharded.expected.safetensors"))
        let half = try CLI.run(["convert", Self.root + "/bert", directory.file("half.safetensors"), "--dtype", "f16", "--quiet"])
        #expect(half.status == 0, "\(half.stderr)")
        let converted = try SafetensorsFile(path: directory.file("half.safetensors"))
        #expect(converted.tensors.count == 39)
        #expect(converted.tensors.first { $0.name == "embeddings.word_embeddings.weight" }?.dtype == .f16)
    }

    @Test("convert refuses to write over a shard or the index of its PyTorch input")
    func inputCollision() throws {
        let directory = TemporaryDirectory()
        for name in ["pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin", "pytorch_model.bin.index.json"] {
            writeBytes(readBytes(Self.root + "/sharded/" + name), to: directory.file(name))
        }
        for target in ["pytorch_model-00002-of-00002.bin", "pytorch_model.bin.index.json"] {
            let before = readBytes(directory.file(target))
            let result = try CLI.run(["convert", directory.path, directory.file(target), "--to", "safetensors", "--force"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("refusing to overwrite the input file"), "\(result.stderr)")
            #expect(readBytes(directory.file(target)) == before)
        }
    }

    @Test("diff of a .pt and its expected safetensors finds them identical")
    func diff() throws {
        let result = try CLI.run(["diff", Self.root + "/valid/views.pt", Self.root + "/valid/views.expected.safetensors"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    struct Expected: Decodable {
        let ids: [Int]
        let shape: [Int]
        // swiftlint:disable:next identifier_name
        let last_hidden_state: [Float]
    }

    @Test("a BERT folder with only pytorch_model.bin validates, and embed --ids equals transformers within 1e-4")
    func bertFolder() throws {
        let folder = Self.root + "/bert"
        let validate = try CLI.run(["validate", folder])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        let expected = FixtureFiles.decode(Expected.self, from: folder + "/expected.json")
        let directory = TemporaryDirectory()
        let ids = expected.ids.map(String.init).joined(separator: ",")
        let embed = try CLI.run(["embed", folder, "--ids", ids, "--output", directory.file("out.safetensors")])
        #expect(embed.status == 0, "\(embed.stderr)")
        let written = try SafetensorsFile(path: directory.file("out.safetensors"))
        let view = try #require(written.view("last_hidden_state"))
        #expect(view.shape == Shape(expected.shape))
        let actual = try #require(view.floats())
        #expect(actual.count == expected.last_hidden_state.count)
        #expect(zip(actual, expected.last_hidden_state).map { abs($0 - $1) }.max() ?? 1 < 1e-4)
    }

    @Test("a hostile pickle is refused in one line with its code, and runs nothing")
    func hostile() throws {
        let directory = TemporaryDirectory()
        let result = try CLI.run(["inspect", Self.root + "/hostile/os-system.pt"], currentDirectory: directory.path)
        #expect(result.status == 1)
        #expect(result.stderr.hasSuffix("pickle imports \"os.system\", which a state dict never needs [pickle-forbidden-global]\n"), "\(result.stderr)")
        #expect(directory.contents.isEmpty)
    }
}
