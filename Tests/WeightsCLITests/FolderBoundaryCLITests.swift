import Foundation
import Testing

/// `convert DIR OUT/` copies a side file only as it was when the folder was walked: a side
/// file swapped for a symlink (or another file) while convert runs is refused.
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
}
