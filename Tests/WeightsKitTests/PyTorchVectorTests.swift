import Foundation
import Testing
@testable import WeightsKit

/// The checkpoints Scripts/gen_pytorch_vectors.py wrote with torch.save, read without torch
/// and compared byte for byte with what torch.load returned (saved by safetensors.torch).
@Suite("PyTorch vectors")
struct PyTorchVectorTests {
    static let root = Fixtures.path("Formats/vectors/pytorch")
    static let valid = root + "/valid"
    static let files = FixtureFiles.names(in: valid, suffix: ".pt") + FixtureFiles.names(in: valid, suffix: ".bin")
    static let hostile = FixtureFiles.decode([String: String].self, from: root + "/hostile/manifest.json")

    @Test("every valid vector is there: both layouts, pickle protocols 2, 4 and 5")
    func complete() {
        #expect(Self.files.count == 12)
        #expect(Self.hostile.count == 38)
        #expect(FixtureFiles.names(in: Self.root + "/hostile", suffix: "").count == Self.hostile.count + 1)
    }

    /// Asserts `source` holds exactly the tensors of the safetensors file at `expectedPath`.
    static func expectSame(_ source: any TensorSource, as expectedPath: String) throws {
        let expected = try SafetensorsFile(path: expectedPath)
        #expect(Set(source.tensors.map { ExactName($0.name) }) == Set(expected.tensors.map { ExactName($0.name) }))
        #expect(expected.tensors.count > 0)
        for info in expected.tensors {
            let view = try #require(try source.view(info.name), "\(info.name)")
            #expect(view.dtype == info.dtype, "\(info.name)")
            #expect(view.shape == info.shape, "\(info.name)")
            #expect(view.bytes == expected.view(info.name)?.bytes, "\(info.name)")
        }
    }

    @Test("each torch.save file reads as the tensors torch.load returns, byte for byte", arguments: files)
    func readsLikeTorch(_ file: String) throws {
        let source = try ModelLoader.open(Self.valid + "/" + file)
        #expect(source.format == "pytorch")
        let stem = String(file[..<(file.lastIndex(of: ".") ?? file.endIndex)])
        try Self.expectSame(source, as: Self.valid + "/" + stem + ".expected.safetensors")
    }

    @Test("each hostile file is refused with its code, naming the file", arguments: hostile.keys.sorted())
    func refused(_ file: String) throws {
        let path = Self.root + "/hostile/" + file
        do {
            _ = try ModelLoader.open(path)
            Issue.record("\(file) opened")
        } catch {
            guard case let .pytorch(reason) = error.reason else { Issue.record("\(file): \(error)"); return }
            #expect(reason.code == Self.hostile[file])
            #expect(error.description.hasPrefix(path + ": "))
            #expect(error.description.hasSuffix("[\(reason.code)]"))
        }
    }

    @Test("contiguous views point into the file at their storage offset, strided ones are gathered")
    func zeroCopyOffsets() throws {
        let path = Self.valid + "/views.pt"
        let source = try PyTorchCheckpoint(path: path)
        let file = readBytes(path)
        let expected = try SafetensorsFile(path: Self.valid + "/views.expected.safetensors")
        // row_offset = matrix[2:] starts 12 elements into its storage; its bytes lie there in the file.
        for name in ["row_offset", "element", "narrow_middle", "transposed"] {
            let info = try #require(source.tensors.first { $0.name == name })
            let inFile = Array(file[info.offset..<(info.offset + info.byteCount)])
            let contiguous = name == "row_offset" || name == "element"
            #expect((inFile == expected.view(name)?.bytes) == contiguous, "\(name)")
        }
    }

    @Test("tied weights: two names, one storage, equal bytes")
    func tiedWeights() throws {
        let source = try PyTorchCheckpoint(path: Self.valid + "/shared.pt")
        let embed = try #require(source.tensors.first { $0.name == "embed.weight" })
        let head = try #require(source.tensors.first { $0.name == "lm_head.weight" })
        #expect(embed.offset == head.offset && embed.byteCount == head.byteCount)
        #expect(try source.view("embed.weight")?.bytes == (try source.view("lm_head.weight")?.bytes))
    }

    @Test("sharded pytorch_model-0000N-of-00002.bin with their index, opened by folder or index")
    func sharded() throws {
        let folder = Self.root + "/sharded"
        for path in [folder, folder + "/pytorch_model.bin.index.json"] {
            let source = try ModelLoader.open(path)
            #expect(source.format == "pytorch")
            #expect(source.paths.count == 2)
            #expect(Set(source.inputFiles.map(Paths.lastComponent)) == [
                "pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin", "pytorch_model.bin.index.json",
            ])
            #expect(source.warnings.isEmpty)
            try Self.expectSame(source, as: Self.root + "/sharded.expected.safetensors")
        }
    }

    @Test("a .bin index naming a shard that is not a torch.save file (safetensors, text, the index itself) says so, naming the shard")
    func shardNotCheckpoint() throws {
        let folder = TemporaryDirectory()
        writeBytes(readBytes(Self.root + "/sharded/pytorch_model-00001-of-00002.bin"), to: folder.file("pytorch_model-00001-of-00002.bin"))
        let index = String(decoding: readBytes(Self.root + "/sharded/pytorch_model.bin.index.json"), as: UTF8.self)
        writeBytes(readBytes(Self.valid + "/dtypes.expected.safetensors"), to: folder.file("weights.safetensors"))
        writeBytes(Array("hello\n".utf8), to: folder.file("notes.txt"))
        for shard in ["weights.safetensors", "notes.txt", "pytorch_model.bin.index.json"] {
            let text = index.replacingOccurrences(of: "pytorch_model-00002-of-00002.bin", with: shard)
            writeBytes(Array(text.utf8), to: folder.file("pytorch_model.bin.index.json"))
            do {
                _ = try ModelLoader.open(folder.file("pytorch_model.bin.index.json"))
                Issue.record("\(shard) opened")
            } catch {
                guard case let .pytorch(reason) = error.reason else { Issue.record("\(shard): \(error)"); continue }
                #expect(reason.code == "pytorch-not-checkpoint", "\(shard): \(error)")
                #expect(error.description.hasPrefix(folder.file(shard) + ": not a torch.save checkpoint"))
            }
        }
    }

    @Test("a folder with pytorch_model.bin opens it; safetensors wins when both are there")
    func folders() throws {
        let folder = TemporaryDirectory()
        writeBytes(readBytes(Self.valid + "/views.pt"), to: folder.file("pytorch_model.bin"))
        #expect(try ModelLoader.open(folder.path).format == "pytorch")
        writeBytes(readBytes(Self.valid + "/dtypes.expected.safetensors"), to: folder.file("model.safetensors"))
        let source = try ModelLoader.open(folder.path)
        #expect(source.format == "safetensors")
        #expect(source.paths == [folder.file("model.safetensors")])
    }

    @Test("a folder whose one torch.save file has another name opens it")
    func otherName() throws {
        let folder = TemporaryDirectory()
        writeBytes(readBytes(Self.valid + "/legacy.bin"), to: folder.file("weights.pth"))
        #expect(try ModelLoader.open(folder.path).paths == [folder.file("weights.pth")])
    }
}
