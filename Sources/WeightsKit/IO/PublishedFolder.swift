#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CKernels

/// A directory of outputs (a converted model folder) that appears whole or not at all.
///
/// What appears when:
/// - A new directory (`destination` does not exist) is assembled under a short hidden
///   name beside it (`.wt-XXXXXX`): every member is a `PublishedSet` member there, and
///   `commit()` names the members, then renames the whole directory to `destination` in
///   one no-clobber rename. Until then `destination` does not exist; on any failure, or
///   SIGINT/TERM/HUP, the hidden directory and everything in it is removed (the signal
///   handler unlinks its registered files, then removes the emptied directories). Only
///   `kill -9` or a power loss can leave the hidden directory behind.
/// - An existing directory is written into only with `overwrite` (`--force`): each
///   member replaces the file of the same name (`PublishedSet(overwrite: true)`, named
///   together at commit; a failure while naming removes the members already named, and
///   a file they replaced does not come back). Files of the directory that are not
///   members are never touched: this never deletes what it did not write.
/// A symlink, or anything but a directory, at `destination` is refused. Members are written
/// one after another, and a folder of thousands of them holds a bounded number of
/// descriptors and buffers (see `PublishedSet`).
public final class PublishedFolder {
    public let destination: String
    /// Where members are written: the hidden staging directory, or `destination` itself.
    private let root: String
    private let staging: Bool
    private let durable: Bool
    private let set: PublishedSet
    /// Directories this folder created (the staging root first), and their cleanup slots.
    private var createdDirectories: [(path: String, slot: Int32)] = []
    /// Cleanup slots of members' staging paths, until the rename.
    private var memberSlots: [Int32] = []
    private var relativePaths: Set<String> = []
    private var committed = false

    /// Starts a folder at `destination`; fails at once if it exists and `overwrite` is
    /// false, or if it exists as anything but a directory.
    public init(destination: String, overwrite: Bool, durable: Bool = true) throws(FileError) {
        var cleaned = destination
        while cleaned.count > 1 && cleaned.hasSuffix("/") { cleaned.removeLast() }
        self.destination = cleaned
        self.durable = durable
        if let mode = Paths.entryMode(cleaned) {
            guard mode & S_IFMT == S_IFDIR else {
                throw FileError(path: cleaned, operation: "write a model folder to", message: "not a directory (\(MappedFile.kind(of: mode)))")
            }
            guard overwrite else { throw FileError.exists(cleaned) }
            root = cleaned
            staging = false
            set = PublishedSet(overwrite: true, durable: durable)
        } else {
            let parent = Paths.directory(of: cleaned)
            guard Paths.isDirectory(parent) else {
                throw FileError(path: cleaned, operation: "create", message: "its directory \(parent) does not exist")
            }
            let created = try PublishedFolder.makeStagingDirectory(in: parent, for: cleaned)
            root = created.path
            staging = true
            set = PublishedSet(overwrite: false, durable: durable)
            createdDirectories.append(created)
        }
    }

    deinit {
        if !committed { discard() }
    }

    /// The final path of member `relative` (a path inside the folder, `/`-separated).
    public func finalPath(_ relative: String) -> String { Paths.join(destination, relative) }

    /// Starts member `relative`, creating its subdirectories. Each member once.
    public func add(_ relative: String) throws(FileError) -> OutputFile {
        let components = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !components.isEmpty, components.allSatisfy(Paths.isPlainName), relativePaths.insert(relative).inserted else {
            throw FileError(path: finalPath(relative), operation: "write", message: "not a new path inside the folder")
        }
        var directory = root
        for component in components.dropLast() {
            directory = Paths.join(directory, component)
            try makeDirectory(directory)
        }
        let path = Paths.join(root, relative)
        let file = try set.add(path)
        if staging { memberSlots.append(wk_cleanup_register(path)) }
        return file
    }

    /// Adds member `relative` with the bytes of `input`, copied in small chunks (no write
    /// buffer: a side file of a few bytes costs a few bytes).
    package func addCopy(of input: ReadableFile, as relative: String) throws(FileError) {
        let file = try add(relative)
        try input.forEachChunk { chunk throws(FileError) in try file.writeUnbuffered(chunk) }
    }

    /// Names every member, then (for a new folder) the folder; on failure nothing remains.
    public func commit() throws(FileError) {
        do throws(FileError) {
            try set.commit()
            if staging {
                guard wk_rename_noreplace(root, destination) == 0 else {
                    let code = errno
                    throw code == EEXIST || code == ENOTEMPTY ? FileError.exists(destination)
                        : FileError(path: destination, operation: "create", errno: code)
                }
                if durable { Paths.syncDirectory(of: destination) }
            }
        } catch {
            if staging { removeStagedMembers() }
            discard()
            throw error
        }
        committed = true
        forgetCleanup()
    }

    /// Discards unnamed members and removes the directories this folder created.
    private func discard() {
        set.discard()
        for (path, _) in createdDirectories.reversed() { rmdir(path) }
        forgetCleanup()
    }

    /// Members already named inside the staging directory (a failed rename).
    private func removeStagedMembers() {
        for file in set.files { unlink(file.destination) }
    }

    private func forgetCleanup() {
        for slot in memberSlots { wk_cleanup_unregister(slot) }
        for (_, slot) in createdDirectories { wk_cleanup_unregister(slot) }
        memberSlots = []
        createdDirectories = []
    }

    private func makeDirectory(_ path: String) throws(FileError) {
        if let mode = Paths.entryMode(path) {
            guard mode & S_IFMT == S_IFDIR else {
                throw FileError(path: path, operation: "create", message: "exists and is not a directory (\(MappedFile.kind(of: mode)))")
            }
            return
        }
        let slot = wk_cleanup_register(path)
        guard mkdir(path, 0o755) == 0 else {
            let code = errno
            wk_cleanup_unregister(slot)
            throw FileError(path: path, operation: "create", errno: code)
        }
        createdDirectories.append((path, slot))
    }

    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)

    /// A new hidden directory in `parent`, registered for removal on a signal before it exists.
    private static func makeStagingDirectory(in parent: String, for destination: String) throws(FileError) -> (path: String, slot: Int32) {
        for _ in 0..<100 {
            let path = Paths.join(parent, ".wt-" + String(decoding: (0..<6).map { _ in alphabet.randomElement()! }, as: UTF8.self))
            let slot = wk_cleanup_register(path)
            if mkdir(path, 0o755) == 0 { return (path, slot) }
            let code = errno
            wk_cleanup_unregister(slot)
            if code != EEXIST { throw FileError(path: destination, operation: "create a temporary directory for", errno: code) }
        }
        throw FileError(path: destination, operation: "create a temporary directory for", errno: EEXIST)
    }
}
