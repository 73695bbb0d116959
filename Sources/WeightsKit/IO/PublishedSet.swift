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
public final class PublishedSet {
    public private(set) var files: [OutputFile] = []
    private let overwrite: Bool
    private let durable: Bool

    public init(overwrite: Bool, durable: Bool = true) {
        self.overwrite = overwrite
        self.durable = durable
    }

    /// Starts a member; fails at once if `destination` exists and `overwrite` is false.
    public func add(_ destination: String) throws(FileError) -> OutputFile {
        let file = try OutputFile(destination: destination, overwrite: overwrite)
        file.durable = durable
        files.append(file)
        return file
    }

    /// Finishes every member, then names them all; on failure nothing remains.
    public func commit() throws(FileError) {
        var named: [(file: OutputFile, slot: Int32)] = []
        do throws(FileError) {
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
        for file in files { file.discard() }
    }
}
