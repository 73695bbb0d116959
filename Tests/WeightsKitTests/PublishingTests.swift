import Foundation
import Testing
@testable import WeightsKit

@Suite("publishing outputs")
struct PublishingTests {
    /// Entries in `directory` seen by the kernel (hidden ones included).
    func entries(_ directory: TemporaryDirectory) -> [String] { directory.contents }

    @Test("no name exists while an output is being written; it appears on commit")
    func unnamedUntilCommit() throws {
        let directory = TemporaryDirectory()
        let file = try OutputFile(destination: directory.file("out.bin"), overwrite: false)
        try file.write([1, 2, 3])
        #expect(entries(directory).isEmpty)
        try file.commit()
        #expect(entries(directory) == ["out.bin"])
        #expect(readBytes(directory.file("out.bin")) == [1, 2, 3])
    }

    @Test("a name taken after the early check makes the commit fail and keeps the other file")
    func noClobberAtCommit() throws {
        let directory = TemporaryDirectory()
        let file = try OutputFile(destination: directory.file("out.bin"), overwrite: false)
        try file.write([1, 2, 3])
        writeBytes([9], to: directory.file("out.bin"))
        #expect(throws: FileError.self) { try file.commit() }
        #expect(readBytes(directory.file("out.bin")) == [9])
        #expect(entries(directory) == ["out.bin"])
    }

    @Test("overwrite replaces the destination and leaves no temporary name")
    func overwriteReplaces() throws {
        let directory = TemporaryDirectory()
        writeBytes([9], to: directory.file("out.bin"))
        let file = try OutputFile(destination: directory.file("out.bin"), overwrite: true)
        try file.write([1, 2])
        try file.commit()
        #expect(readBytes(directory.file("out.bin")) == [1, 2])
        #expect(entries(directory) == ["out.bin"])
    }

    @Test("a set whose third member cannot be named removes the two already named")
    func setRollsBack() throws {
        let directory = TemporaryDirectory()
        let set = PublishedSet(overwrite: false, durable: false)
        for name in ["a", "b", "c"] { try set.add(directory.file(name)).write(Array(name.utf8)) }
        writeBytes([9], to: directory.file("c"))
        #expect(throws: FileError.self) { try set.commit() }
        #expect(entries(directory) == ["c"])
        #expect(readBytes(directory.file("c")) == [9])
    }

    @Test("a set appears whole on commit")
    func setCommits() throws {
        let directory = TemporaryDirectory()
        let set = PublishedSet(overwrite: false, durable: false)
        for name in ["a", "b", "c"] { try set.add(directory.file(name)).write(Array(name.utf8)) }
        #expect(entries(directory).isEmpty)
        try set.commit()
        #expect(entries(directory) == ["a", "b", "c"])
        #expect(readBytes(directory.file("b")) == Array("b".utf8))
    }

    /// Descriptors this process holds on files in `directory` (unnamed ones included).
    func descriptors(in directory: TemporaryDirectory) -> Int {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.filter { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + fd))?.hasPrefix(directory.path + "/") == true
        }.count
    }

    @Test("a set of 300 members holds at most 16 open (and 8 being synced) at once and names all of them on commit",
          arguments: [(false, false), (true, false), (false, true)])
    func setBoundsDescriptors(_ durable: Bool, _ overwrite: Bool) throws {
        let directory = TemporaryDirectory()
        if overwrite { writeBytes([9], to: directory.file("m150")) }
        let set = PublishedSet(overwrite: overwrite, durable: durable)
        var most = 0
        for index in 0..<300 {
            try set.add(directory.file("m\(index)")).write(Array("\(index)".utf8))
            most = max(most, descriptors(in: directory))
        }
        #expect(most >= PublishedSet.maximumOpenMembers && most <= PublishedSet.maximumOpenMembers + BackgroundSync.width, "\(most)")
        // Parked members wait under hidden names: nothing has its own name yet.
        #expect(entries(directory).filter { !$0.hasPrefix(".wt-") } == (overwrite ? ["m150"] : []))
        try set.commit()
        #expect(entries(directory) == (0..<300).map { "m\($0)" }.sorted())
        #expect((0..<300).allSatisfy { readBytes(directory.file("m\($0)")) == Array("\($0)".utf8) })
        #expect(descriptors(in: directory) == 0)
    }

    @Test("a set discarded after parking members leaves nothing, not even their hidden names")
    func parkedDiscarded() throws {
        let directory = TemporaryDirectory()
        let set = PublishedSet(overwrite: false, durable: true)
        for index in 0..<40 { try set.add(directory.file("m\(index)")).write([UInt8(index)]) }
        #expect(entries(directory).count == 40 - PublishedSet.maximumOpenMembers)
        set.discard()
        #expect(entries(directory).isEmpty)
    }

    @Test("refersToSame sees hard links, symlinks, other spellings and names not yet created")
    func sameEntry() throws {
        let directory = TemporaryDirectory()
        writeBytes([1], to: directory.file("a"))
        try FileManager.default.linkItem(atPath: directory.file("a"), toPath: directory.file("hard"))
        try FileManager.default.createSymbolicLink(atPath: directory.file("soft"), withDestinationPath: "a")
        try FileManager.default.createDirectory(atPath: directory.file("sub"), withIntermediateDirectories: false)
        #expect(Paths.refersToSame(directory.file("a"), directory.file("hard")))
        #expect(Paths.refersToSame(directory.file("soft"), directory.file("a")))
        #expect(Paths.refersToSame(directory.file("new"), directory.file("sub/../new")))
        #expect(!Paths.refersToSame(directory.file("new"), directory.file("other")))
        #expect(!Paths.refersToSame(directory.file("a"), directory.file("sub/a")))
        // Canonically equivalent but different bytes: different names.
        #expect(!Paths.refersToSame(directory.file("\u{E9}"), directory.file("e\u{301}")))
    }

    @Test("EntryIndex matches exactly what refersToSame does, for many paths at once")
    func entryIndex() throws {
        let directory = TemporaryDirectory()
        writeBytes([1], to: directory.file("a"))
        try FileManager.default.linkItem(atPath: directory.file("a"), toPath: directory.file("hard"))
        try FileManager.default.createSymbolicLink(atPath: directory.file("soft"), withDestinationPath: "a")
        try FileManager.default.createDirectory(atPath: directory.file("sub"), withIntermediateDirectories: false)
        let index = Paths.EntryIndex([directory.file("a"), directory.file("new"), directory.file("\u{E9}")])
        #expect(index.match(directory.file("hard")) == directory.file("a"))
        #expect(index.match(directory.file("soft")) == directory.file("a"))
        #expect(index.match(directory.file("sub/../new")) == directory.file("new"))
        #expect(index.match(directory.file("other")) == nil)
        #expect(index.match(directory.file("sub/a")) == nil)
        #expect(index.match(directory.file("e\u{301}")) == nil)
        #expect(Paths.EntryIndex([]).match(directory.file("a")) == nil)
    }
}
