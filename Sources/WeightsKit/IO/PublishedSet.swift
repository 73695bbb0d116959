internal import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Outputs that appear together or not at all, such as the shards of a model and
/// their index.
///
/// What appears when: every member is written unnamed first (see `OutputFile`); if any
/// write fails, nothing is ever named. `commit()` then names the members one by one, in
/// the order they were added (add the index last, so a reader that sees the index sees
/// all its shards); if naming the k-th fails, or SIGINT/TERM/HUP arrives meanwhile, the
/// members already named are removed again. With `overwrite`, a member that replaced an
/// existing file is removed too; the replaced file does not come back.
///
/// Members are written one after another: starting a member ends the writing of the one
/// before, whose write buffers are freed. At most `maximumOpenMembers` stay open and
/// unnamed; older ones are parked under short hidden names beside their destinations
/// (`OutputFile.park`), so a set of thousands of members (a model folder's side files,
/// many shards) holds a bounded number of descriptors and buffers.
public final class PublishedSet {
    public private(set) var files: [OutputFile] = []
    private let overwrite: Bool
    private let durable: Bool
    /// `files[..<parked]` are parked: written, named under a temporary, handed to `background`.
    private var parked = 0
    /// Syncs and closes parked members.
    private lazy var background = BackgroundSync()

    /// The most members kept open at once.
    static let maximumOpenMembers = 16

    public init(overwrite: Bool, durable: Bool = true) {
        self.overwrite = overwrite
        self.durable = durable
    }

    /// Starts a member; fails at once if `destination` exists and `overwrite` is false.
    public func add(_ destination: String) throws(FileError) -> OutputFile {
        try files.last?.finishBuffering()
        while files.count - parked >= PublishedSet.maximumOpenMembers {
            try files[parked].park(syncingWith: background)
            parked += 1
        }
        let file = try OutputFile(destination: destination, overwrite: overwrite)
        file.durable = durable
        files.append(file)
        return file
    }

    /// Finishes every member, then names them all; on failure nothing remains.
    public func commit() throws(FileError) {
        var named: [(file: OutputFile, slot: Int32)] = []
        do throws(FileError) {
            if parked > 0, let failure = background.wait() { throw failure }
            for file in files { try file.finishWriting() }
            for file in files {
                try file.publish()
                named.append((file, wk_cleanup_register(file.destination)))
            }
        } catch {
            for (file, slot) in named {
                unlink(file.destination)
                wk_cleanup_unregister(slot)
            }
            discard()
            throw error
        }
        for (file, slot) in named {
            wk_cleanup_unregister(slot)
            file.close()
        }
        if durable, let first = files.first { Paths.syncDirectory(of: first.destination) }
    }

    /// Discards every member not yet named.
    func discard() {
        if parked > 0 { _ = background.wait() }
        for file in files { file.discard() }
    }
}
