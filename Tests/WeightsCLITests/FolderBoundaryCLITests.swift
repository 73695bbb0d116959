import Foundation
import Testing

/// `convert DIR OUT/` never writes inside DIR, and copies a side file only as it was when
/// the folder was walked: a side file swapped for a symlink while convert runs, an OUT
/// that holds DIR.
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
}
