import Foundation
import Testing

/// `convert DIR OUT/` and `embed DIR` never read outside DIR, never write inside it, and
/// copy a side file only as it was when the folder was walked: a side file swapped for a
/// symlink while convert runs, an OUT that holds DIR, module folders that are symlinks.
@Suite("model folders stay inside their boundaries", .serialized)
struct FolderBoundaryCLITests {
    static let tinyBert = CLI.path("SampleModels/compressed-tensors/tiny-bert")

    /// `directory`/`name` holding tiny-bert's config.json, model.safetensors and vocab.txt.
    static func model(in directory: TemporaryDirectory, _ name: String) throws -> String {
        let folder = directory.file(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for file in ["config.json", "model.safetensors", "vocab.txt"] {
            try FileManager.default.copyItem(atPath: tinyBert + "/" + file, toPath: folder + "/" + file)
        }
        return folder
    }

    static func files(under directory: String) -> [String] { ModelFolderCLITests.files(under: directory) }

    // MARK: side files swapped while convert runs

    /// How a side file is changed while convert is stopped before its last tensor.
    enum Swap: String, CaseIterable, CustomTestStringConvertible {
        /// notes.txt replaced by a symlink to a file outside the folder.
        case fileForSymlink
        /// notes.txt replaced (renamed over) by another regular file.
        case fileForFile
        /// The subfolder sub/ (holding notes.txt) replaced by a symlink to an outside folder.
        case folderForSymlink

        var testDescription: String { rawValue }
    }

    @Test("a side file swapped while convert runs is refused, naming it; nothing is written and the outside bytes go nowhere",
          arguments: Swap.allCases)
    func swappedSideFile(_ swap: Swap) throws {
        let directory = TemporaryDirectory()
        let folder = try Self.model(in: directory, "model")
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: directory.file("outside"), withIntermediateDirectories: true)
        writeBytes(Array("notes\n".utf8), to: folder + "/sub/notes.txt")
        writeBytes(Array("SECRET\n".utf8), to: directory.file("outside/notes.txt"))
        let out = directory.file("out")

        let (process, err) = try PublishCLITests.startStopped(["convert", folder, out + "/", "--dtype", "f16", "--no-sync"])
        switch swap {
        case .fileForSymlink:
            try manager.removeItem(atPath: folder + "/sub/notes.txt")
            try manager.createSymbolicLink(atPath: folder + "/sub/notes.txt", withDestinationPath: directory.file("outside/notes.txt"))
        case .fileForFile:
            writeBytes(Array("other\n".utf8), to: folder + "/sub/new.txt")
            #expect(rename(folder + "/sub/new.txt", folder + "/sub/notes.txt") == 0)
        case .folderForSymlink:
            try manager.moveItem(atPath: folder + "/sub", toPath: directory.file("moved"))
            try manager.createSymbolicLink(atPath: folder + "/sub", withDestinationPath: directory.file("outside"))
        }
        kill(process.processIdentifier, SIGCONT)
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 1, "\(text)")
        #expect(text.hasPrefix("weights: error: \(folder)/sub/notes.txt: changed while the folder was being converted (now: "), "\(text)")
        #expect(text.hasSuffix("); nothing was written\n") && text.split(separator: "\n").count == 1, "\(text)")
        #expect(!manager.fileExists(atPath: out))
        #expect(directory.contents.allSatisfy { !$0.hasPrefix(".wt-") }, "\(directory.contents)")
    }

    @Test("a side file left alone while convert is stopped and continued is carried byte for byte")
    func untouchedSideFile() throws {
        let directory = TemporaryDirectory()
        let folder = try Self.model(in: directory, "model")
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        writeBytes(Array("notes\n".utf8), to: folder + "/sub/notes.txt")
        let out = directory.file("out")
        let (process, err) = try PublishCLITests.startStopped(["convert", folder, out + "/", "--dtype", "f16", "--no-sync"])
        kill(process.processIdentifier, SIGCONT)
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0, "\(text)")
        #expect(readBytes(out + "/sub/notes.txt") == Array("notes\n".utf8))
    }

    // MARK: OUT and DIR

    @Test("OUT may not hold DIR (convert o/a o/ --force would write o/a/x over DIR's x), however OUT is spelled")
    func outputHoldsInput() throws {
        let directory = TemporaryDirectory()
        let outer = directory.file("o")
        let folder = try Self.model(in: directory, "o/a")
        // DIR/a/ mirrors DIR: OUT/a/tokenizer_config.json would be DIR/tokenizer_config.json,
        // a new file written into the input folder (no input is overwritten, so the
        // collision check has nothing to say).
        try FileManager.default.createDirectory(atPath: folder + "/a", withIntermediateDirectories: true)
        writeBytes(Array("{\"inner\": true}".utf8), to: folder + "/a/tokenizer_config.json")
        try FileManager.default.createSymbolicLink(atPath: directory.file("link"), withDestinationPath: outer)
        let before = Self.files(under: outer).map { readBytes(outer + "/" + $0) }

        for spelling in [outer, outer + "/", directory.file("link") + "/", outer + "/a/.."] {
            let result = try CLI.run(["convert", folder, spelling, "--force", "--quiet"])
            #expect(result.status == 1, "\(spelling): \(result.stderr)")
            #expect(result.stderr == "weights: error: \(spelling): the output folder may not hold the input folder \(folder)\n")
        }
        #expect(Self.files(under: outer) == ["a/a/tokenizer_config.json", "a/config.json", "a/model.safetensors", "a/vocab.txt"])
        #expect(Self.files(under: outer).map { readBytes(outer + "/" + $0) } == before)
    }

    @Test("OUT inside DIR is still refused, also when spelled through a symlink to DIR")
    func outputInsideInput() throws {
        let directory = TemporaryDirectory()
        let folder = try Self.model(in: directory, "model")
        try FileManager.default.createSymbolicLink(atPath: directory.file("link"), withDestinationPath: folder)
        for spelling in [folder + "/", directory.file("link") + "/out/", folder + "/../model/deeper/out/"] {
            let result = try CLI.run(["convert", folder, spelling, "--quiet"])
            #expect(result.status == 1, "\(spelling): \(result.stderr)")
            #expect(result.stderr.hasSuffix("the output folder may not be the input folder \(folder) or inside it\n"), "\(result.stderr)")
        }
        #expect(Self.files(under: folder) == ["config.json", "model.safetensors", "vocab.txt"])
    }

    // MARK: sentence-transformers module folders

    /// A sentence-transformers folder whose 0_Transformer (and 1_Pooling) are symlinks to
    /// folders outside it.
    static func linkedModules(in directory: TemporaryDirectory) throws -> String {
        let outside = try model(in: directory, "outside/transformer")
        try FileManager.default.createDirectory(atPath: directory.file("outside/pooling"), withIntermediateDirectories: true)
        writeBytes(Array(#"{"word_embedding_dimension": 32, "pooling_mode_mean_tokens": true}"#.utf8), to: directory.file("outside/pooling/config.json"))
        let folder = directory.file("st")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder + "/0_Transformer", withDestinationPath: outside)
        try FileManager.default.createSymbolicLink(atPath: folder + "/1_Pooling", withDestinationPath: directory.file("outside/pooling"))
        writeBytes(Array(#"[{"path": "0_Transformer", "type": "sentence_transformers.models.Transformer"}, {"path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]"#.utf8),
                   to: folder + "/modules.json")
        return folder
    }

    @Test("module folders that are symlinks out of DIR: embed and convert refuse them naming modules.json; nothing is read or written")
    func symlinkedModuleFolders() throws {
        let directory = TemporaryDirectory()
        let folder = try Self.linkedModules(in: directory)
        let expected = "weights: error: \(folder)/modules.json: module 0: its folder \"0_Transformer\" is a symlink, "
            + "not a folder inside the model folder (symlinks are not followed) [module-folder-not-inside]\n"

        let embed = try CLI.run(["embed", folder, "--ids", "2,5,3"])
        #expect(embed.status == 1)
        #expect(embed.stderr == expected)

        let out = directory.file("out")
        let convert = try CLI.run(["convert", folder, out + "/", "--quiet"])
        #expect(convert.status == 1)
        #expect(convert.stderr == expected)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test("only the Pooling folder a symlink: refused as module 1")
    func symlinkedPoolingFolder() throws {
        let directory = TemporaryDirectory()
        let folder = try Self.linkedModules(in: directory)
        try FileManager.default.removeItem(atPath: folder + "/0_Transformer")
        _ = try Self.model(in: directory, "st/0_Transformer")
        let embed = try CLI.run(["embed", folder, "--ids", "2,5,3"])
        #expect(embed.status == 1)
        #expect(embed.stderr == "weights: error: \(folder)/modules.json: module 1: its folder \"1_Pooling\" is a symlink, "
            + "not a folder inside the model folder (symlinks are not followed) [module-folder-not-inside]\n")
        // Made a real folder, the same files embed and convert.
        try FileManager.default.removeItem(atPath: folder + "/1_Pooling")
        try FileManager.default.createDirectory(atPath: folder + "/1_Pooling", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: directory.file("outside/pooling/config.json"), toPath: folder + "/1_Pooling/config.json")
        #expect(try CLI.run(["embed", folder, "--ids", "2,5,3"]).status == 0)
        let out = directory.file("out") + "/"
        let convert = try CLI.run(["convert", folder, out, "--quiet"])
        #expect(convert.status == 0, "\(convert.stderr)")
        #expect(Self.files(under: out) == ["0_Transformer/config.json", "0_Transformer/model.safetensors", "0_Transformer/vocab.txt",
                                           "1_Pooling/config.json", "modules.json"])
    }
}
