import Foundation
import Testing

/// `convert DIR OUT/` on folders a hostile (or merely large) user hands it: thousands of
/// side files, a low open-file limit, an OUT that is a file or a symlink.
@Suite("convert: large and odd model folders")
struct LargeFolderCLITests {
    static let model = CLI.path("SampleModels/compressed-tensors/tiny-bert")

    /// A copy of the tiny model folder with `count` extra small text files.
    static func folder(in directory: TemporaryDirectory, extraFiles count: Int) throws -> String {
        let folder = directory.file("model")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors", "vocab.txt"] {
            try FileManager.default.copyItem(atPath: model + "/" + name, toPath: folder + "/" + name)
        }
        for index in 0..<count { writeBytes(Array("\(index)\n".utf8), to: folder + "/extra-\(index).txt") }
        return folder
    }

    @Test("a folder of more files than the soft open-file limit converts (the limit is raised to the hard one)")
    func openFileLimit() throws {
        let directory = TemporaryDirectory()
        let folder = try Self.folder(in: directory, extraFiles: 400)
        let out = directory.file("out") + "/"
        // Soft limit only: the hard limit stays where it was, and the tool may raise to it.
        let result = try CLI.run(["convert", folder, out, "--quiet", "--no-sync"], shellPrefix: "ulimit -Sn 256")
        #expect(result.status == 0, "\(result.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(written.count == 403)
        #expect(readBytes(out + "extra-399.txt") == Array("399\n".utf8))
    }

    @Test("3,000 side files are all carried over (the collision check is an index, not pairwise: speed is for Benchmarks, not asserted here)")
    func manyFiles() throws {
        let directory = TemporaryDirectory()
        let folder = try Self.folder(in: directory, extraFiles: 3000)
        let out = directory.file("out") + "/"
        let result = try CLI.run(["convert", folder, out, "--quiet", "--no-sync"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).count == 3003)
        #expect(readBytes(out + "extra-2999.txt") == Array("2999\n".utf8))
    }

    @Test("1,100 side files convert under a hard open-file limit of 1,024 (members are parked, not each held open until commit)")
    func hardOpenFileLimit() throws {
        let directory = TemporaryDirectory()
        let folder = try Self.folder(in: directory, extraFiles: 1100)
        let out = directory.file("out") + "/"
        // `ulimit -n` sets the hard limit too: the tool cannot raise it.
        let result = try CLI.run(["convert", folder, out, "--quiet", "--no-sync"], shellPrefix: "ulimit -n 1024")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).count == 1103)
        #expect(readBytes(out + "extra-1099.txt") == Array("1099\n".utf8))
        #expect(directory.contents == ["model", "out"])
    }

    @Test("2,000 side files convert durably in 500 MB of address space (a small copy takes no 4 MiB write buffer)",
          .disabled(if: CLI.underAddressSanitizer, "an address-space limit cannot apply to an AddressSanitizer binary"))
    func sideFilesMemory() throws {
        let directory = TemporaryDirectory()
        let folder = try Self.folder(in: directory, extraFiles: 2000)
        let out = directory.file("out") + "/"
        let result = try CLI.run(["convert", folder, out, "--quiet"], shellPrefix: "ulimit -v 500000")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).count == 2003)
        #expect(readBytes(out + "extra-1999.txt") == Array("1999\n".utf8))
    }

    @Test("SIGTERM while 24 shards are written (the oldest parked under hidden names) leaves nothing, into a new or an existing OUT",
          arguments: [false, true])
    func parkedMembersSignal(_ existing: Bool) throws {
        let input = TemporaryDirectory()
        PublishCLITests.makeInput(input.file("in.safetensors"), sizes: Array(repeating: 4096, count: 24))
        let directory = TemporaryDirectory()
        let out = directory.file("out")
        if existing { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) }
        let (process, _) = try PublishCLITests.startStopped(["convert", input.file("in.safetensors"), out + "/", "--shard-size", "4KB", "--no-sync"]
                                                            + (existing ? ["--force"] : []))
        // The 24th shard started (its last tensor not yet streamed): 16 open and unnamed,
        // the 8 oldest parked under hidden names.
        let hidden = existing ? try FileManager.default.contentsOfDirectory(atPath: out)
            : try FileManager.default.contentsOfDirectory(atPath: directory.file(try #require(directory.contents.first)))
        #expect(hidden.count == 8 && hidden.allSatisfy { $0.hasPrefix(".wt-") }, "\(hidden)")
        kill(process.processIdentifier, SIGTERM)
        kill(process.processIdentifier, SIGCONT)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
        #expect(directory.contents == (existing ? ["out"] : []))
        if existing { #expect(try FileManager.default.contentsOfDirectory(atPath: out) == []) }
    }

    @Test("OUT/ that is a regular file or a symlink: the error says which, not \"not a file\"")
    func outputKind() throws {
        let directory = TemporaryDirectory()
        let file = directory.file("taken")
        writeBytes([1], to: file)
        let link = directory.file("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: directory.file("elsewhere"))
        let intoFile = try CLI.run(["convert", Self.model, file + "/", "--quiet"])
        #expect(intoFile.status == 1)
        #expect(intoFile.stderr.contains("not a directory (a regular file)"), "\(intoFile.stderr)")
        let intoLink = try CLI.run(["convert", Self.model, link + "/", "--quiet"])
        #expect(intoLink.status == 1)
        #expect(intoLink.stderr.contains("not a directory (a symlink)"), "\(intoLink.stderr)")
        #expect(readBytes(file) == [1])
        #expect(!FileManager.default.fileExists(atPath: directory.file("elsewhere")))
    }
}
