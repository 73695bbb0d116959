import Testing
@testable import WeightsKit

/// Files of other tools are named for what they are (Scripts/gen_foreign_vectors.py writes
/// them with numpy, pickle and zipfile), and no file of ours is mistaken for one.
@Suite("foreign formats")
struct ForeignFormatTests {
    static let directory = Fixtures.path("Formats/vectors/foreign")
    static let files = FixtureFiles.names(in: directory, suffix: "")

    @Test("every format has its vector")
    func complete() {
        #expect(Self.files.count == ForeignFormat.allCases.count)
    }

    @Test("each file is refused as its format, with the unsupported-format code", arguments: files)
    func named(_ file: String) throws {
        let expected = try #require(ForeignFormat(rawValue: String(file.prefix { $0 != "." })))
        let path = Self.directory + "/" + file
        do {
            _ = try ModelLoader.open(path)
            Issue.record("\(file) opened")
        } catch {
            #expect(error.reason == .foreignFormat(ForeignFormatError(format: expected)))
            #expect(error.description == "\(path): this is \(expected.name), which this version cannot read; \(expected.advice) [unsupported-format]")
        }
    }

    @Test("no safetensors or WeightPack vector, valid or damaged, is taken for a foreign format")
    func oursAreOurs() {
        var checked = 0
        for folder in ["safetensors/valid", "safetensors/invalid", "weightpack/valid", "weightpack/invalid"] {
            let path = Fixtures.path("Formats/vectors/" + folder)
            for name in FixtureFiles.names(in: path, suffix: folder.hasPrefix("safetensors") ? ".safetensors" : ".wpk") {
                #expect(ModelLoader.foreignFormat(of: path + "/" + name) == nil, "\(folder)/\(name)")
                checked += 1
            }
        }
        #expect(checked == 31 + 67 + 4 + 26)
    }

    @Test("a folder of another tool's weights names the file, not a missing .safetensors")
    func foreignFolder() throws {
        let folder = TemporaryDirectory()
        writeBytes(readBytes(Self.directory + "/hdf5.h5"), to: folder.file("tf_model.h5"))
        writeBytes(Array("{}".utf8), to: folder.file("config.json"))
        do {
            _ = try ModelLoader.open(folder.path)
            Issue.record("the folder opened")
        } catch {
            #expect(error.path == folder.file("tf_model.h5"))
            #expect(error.reason == .foreignFormat(ForeignFormatError(format: .hdf5)))
        }
    }

    @Test("torch.save checkpoints, valid or hostile, are read as PyTorch, never named foreign")
    func pytorchIsRead() {
        var checked = 0
        for folder in ["pytorch/valid", "pytorch/hostile"] {
            let path = Fixtures.path("Formats/vectors/" + folder)
            for name in FixtureFiles.names(in: path, suffix: "") where !name.hasSuffix(".json") && !name.hasSuffix(".safetensors") {
                #expect(FileKind.of(path + "/" + name) == .pytorch, "\(folder)/\(name)")
                checked += 1
            }
        }
        #expect(checked == 11 + 36)
    }
}
