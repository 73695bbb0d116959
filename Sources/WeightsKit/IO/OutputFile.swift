#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CKernels

/// An output file that gets its name only when complete.
///
/// What appears when:
/// - While bytes are written, the file has no name: on Linux it is an unnamed `O_TMPFILE`
///   file in the destination's directory, which the kernel frees if the process dies
///   (even by `kill -9`). Where `O_TMPFILE` is unsupported, it is a short hidden name
///   (`.wt-XXXXXX`) in that directory, which a SIGINT/TERM/HUP handler removes (see
///   `SignalCleanup`); only `kill -9` or a power loss can leave that one behind.
/// - `commit()` gives the complete file its name. Without `overwrite` this is no-clobber
///   (`linkat`, or `renameat2(RENAME_NOREPLACE)`): if anything, even a dangling symlink,
///   took the name meanwhile, the commit fails with "file exists" and the other file is
///   untouched, so of two writers racing for one name exactly one wins. With `overwrite`
///   the file replaces the destination in one `rename`.
/// - If the object goes away uncommitted, or any step fails, nothing remains.
///
/// Several files that must appear together (shards and their index): `PublishedSet`.
public final class OutputFile: ByteSink {
    public let destination: String
    /// Bytes handed to `write` so far.
    private(set) var bytesWritten = 0
    /// Whether `commit` fsyncs the data before naming the file, and the directory after.
    /// Without it the file is still complete when it appears, but a power loss right
    /// after may leave it empty on some filesystems; `cp` makes the same trade.
    public var durable = true

    private let overwriteExisting: Bool
    private var descriptor: Int32
    /// The named temporary (when `O_TMPFILE` is unavailable) and its cleanup slot.
    private var temporary: (path: String, slot: Int32)?
    /// Bytes go to the current buffer, and full buffers to a writer thread.
    private let pipeline: WritePipeline
    private var current: UnsafeMutableRawBufferPointer?
    private var used = 0
    private var state = State.writing

    private enum State { case writing, written, published, discarded }
    /// Set `WEIGHTS_NO_O_TMPFILE=1` to use the named-temporary fallback (for tests).
    private static let unnamedFilesDisabled = getenv("WEIGHTS_NO_O_TMPFILE").map { String(cString: $0) == "1" } ?? false

    /// Starts an output for `destination`. Fails at once if `destination` exists (as
    /// anything, including a dangling symlink) and `overwrite` is false; the commit
    /// checks again without a race.
    public init(destination: String, overwrite: Bool) throws(FileError) {
        self.destination = destination
        self.overwriteExisting = overwrite
        if let mode = Paths.entryMode(destination) {
            guard overwrite else { throw FileError.exists(destination) }
            // Replacing means renaming over a file (or a symlink, which is replaced itself, not
            // its target); a device, FIFO, socket or directory is never replaced.
            let type = mode & S_IFMT
            guard type == S_IFREG || type == S_IFLNK else {
                throw FileError(path: destination, operation: "replace", message: "not a regular file (\(MappedFile.kind(of: mode)))")
            }
        }
        let directory = Paths.directory(of: destination)
        var fd: Int32 = -1
        if !OutputFile.unnamedFilesDisabled {
            fd = wk_open_unnamed(directory)
            if fd < 0 && ![EOPNOTSUPP, EISDIR, EINVAL, ENOTSUP].contains(errno) {
                throw FileError(path: destination, operation: "create", errno: errno)
            }
        }
        if fd < 0 {
            let created = try TemporaryName.create(in: directory, for: destination)
            fd = created.descriptor
            temporary = (created.path, created.slot)
        }
        descriptor = fd
        pipeline = WritePipeline(descriptor: fd)
        fchmod(fd, 0o644)
    }

    deinit {
        if state != .published { discard() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        bytesWritten += bytes.count
        if bytes.count >= WritePipeline.bufferBytes {
            // Large spans (a tensor copied from a mapped input) go straight to the kernel,
            // once the buffers before them are written.
            try flushBuffer()
            try drainPipeline()
            try writeAll(bytes)
            return
        }
        var done = 0
        while done < bytes.count {
            let space = try currentBuffer()
            let count = min(bytes.count - done, space.count - used)
            (space.baseAddress! + used).copyMemory(from: bytes.baseAddress! + done, byteCount: count)
            used += count
            done += count
            if used == space.count { try flushBuffer() }
        }
    }

    /// Writes `bytes` at once, without the write buffers: a small file copied in chunks
    /// (a model folder's side file) costs no 4 MiB buffer.
    public func writeUnbuffered(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        bytesWritten += bytes.count
        try flushBuffer()
        try drainPipeline()
        try writeAll(bytes)
    }

    /// Lends the current buffer's free space (or a fresh buffer's), so a converted chunk is
    /// written in place and handed to the writer thread without a copy.
    public func fill(upTo limit: Int, granule: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Void) throws -> Int {
        precondition(granule > 0 && limit >= granule)
        guard granule <= WritePipeline.bufferBytes else {
            let size = granule
            let space = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
            defer { space.deallocate() }
            try body(space)
            try write(UnsafeRawBufferPointer(space))
            return size
        }
        if let current, current.count - used < granule { try flushBuffer() }
        let space = try currentBuffer()
        let size = min(limit, (space.count - used) / granule * granule)
        try body(UnsafeMutableRawBufferPointer(rebasing: space[used..<(used + size)]))
        used += size
        bytesWritten += size
        if used == space.count { try flushBuffer() }
        return size
    }

    /// Replaces already-written bytes at `offset` (a header planned before its payloads
    /// were checksummed). Does not change `bytesWritten`.
    public func overwrite(_ bytes: [UInt8], at offset: Int) throws(FileError) {
        try flushBuffer()
        try drainPipeline()
        var done = 0
        while done < bytes.count {
            let result = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress! + done, $0.count - done, off_t(offset + done)) }
            if result < 0 {
                if errno == EINTR { continue }
                throw FileError(path: destination, operation: "write", errno: errno)
            }
            done += result
        }
    }

    /// Flushes and (when `durable`) syncs, then gives the file its name. On failure the
    /// output is discarded and the destination left as it was.
    public func commit() throws(FileError) {
        do throws(FileError) {
            try finishWriting()
            try publish()
            close()
            if durable { Paths.syncDirectory(of: destination) }
        } catch {
            discard()
            throw error
        }
    }

    /// Removes the unnamed or temporary file; the destination is left as it was.
    func discard() {
        close()
        if let temporary {
            unlink(temporary.path)
            wk_cleanup_unregister(temporary.slot)
        }
        temporary = nil
        state = .discarded
    }

    // MARK: steps, also used by PublishedSet

    /// Writes out the buffer and frees the write buffers; more may be written after.
    func finishBuffering() throws(FileError) {
        guard state == .writing else { return }
        try flushBuffer()
        try drainPipeline()
        pipeline.releaseBuffers()
    }

    /// Writes out the buffer and syncs; the file stays unnamed.
    func finishWriting() throws(FileError) {
        guard state == .writing else { return }
        try finishBuffering()
        if durable {
            guard fsync(descriptor) == 0 else { throw FileError(path: destination, operation: "sync", errno: errno) }
        }
        state = .written
    }

    /// Finishes writing, gives the file a short hidden name beside its destination (when it
    /// has none: an `O_TMPFILE` file) and hands its descriptor to `background` to be synced
    /// (when `durable`) and closed, so that a set of thousands of members does not hold a
    /// descriptor for each until it is named. `publish` renames it; wait for `background`
    /// first. Unlike an unnamed file, the hidden name outlives a `kill -9` (a handled
    /// signal removes it).
    func park(syncingWith background: BackgroundSync) throws(FileError) {
        guard state == .writing else { return }
        try finishBuffering()
        if temporary == nil {
            let named = try TemporaryName.link(descriptor, in: Paths.directory(of: destination), for: destination)
            temporary = (named.path, named.slot)
        }
        let handed = descriptor
        descriptor = -1
        state = .written
        close()
        background.finish(handed, path: destination, sync: durable)
    }

    /// Gives the written file its name (no-clobber unless `overwrite`).
    func publish() throws(FileError) {
        precondition(state == .written, "publish follows finishWriting")
        if let temporary {
            let result = overwriteExisting ? rename(temporary.path, destination) : wk_rename_noreplace(temporary.path, destination)
            guard result == 0 else { throw publishError(errno) }
            wk_cleanup_unregister(temporary.slot)
            self.temporary = nil
        } else if overwriteExisting {
            // link under a short temporary name, then rename over the destination.
            let named = try TemporaryName.link(descriptor, in: Paths.directory(of: destination), for: destination)
            guard rename(named.path, destination) == 0 else {
                let code = errno
                unlink(named.path)
                wk_cleanup_unregister(named.slot)
                throw publishError(code)
            }
            wk_cleanup_unregister(named.slot)
        } else {
            guard wk_link_unnamed(descriptor, destination) == 0 else { throw publishError(errno) }
        }
        state = .published
    }

    func close() {
        if let current { pipeline.giveBack(current) }
        current = nil
        used = 0
        // The writer thread may still hold the descriptor.
        _ = pipeline.drain()
        pipeline.releaseBuffers()
        if descriptor >= 0 { System.close(descriptor) }
        descriptor = -1
    }

    private func publishError(_ code: Int32) -> FileError {
        code == EEXIST ? FileError.exists(destination) : FileError(path: destination, operation: "create", errno: code)
    }

    /// The buffer bytes go to; a fresh one (waiting for the writer thread if all are in
    /// flight) when there is none. Reports a write that failed meanwhile.
    private func currentBuffer() throws(FileError) -> UnsafeMutableRawBufferPointer {
        if let current { return current }
        try checkPipeline()
        let buffer = pipeline.take()
        current = buffer
        used = 0
        return buffer
    }

    /// Hands the current buffer, if it holds anything, to the writer thread.
    private func flushBuffer() throws(FileError) {
        guard let current else { return }
        self.current = nil
        if used == 0 {
            pipeline.giveBack(current)
        } else {
            pipeline.submit(current, count: used)
        }
        used = 0
        try checkPipeline()
    }

    /// Waits until every buffer handed over is written.
    private func drainPipeline() throws(FileError) {
        let code = pipeline.drain()
        if code != 0 { throw FileError(path: destination, operation: "write", errno: code) }
    }

    private func checkPipeline() throws(FileError) {
        let code = pipeline.failure
        if code != 0 { throw FileError(path: destination, operation: "write", errno: code) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        var done = 0
        while done < bytes.count {
            let result = System.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if result < 0 {
                if errno == EINTR { continue }
                // The kernel could not read the source bytes: a mapped input shrank under us.
                if errno == EFAULT, let input = MappedFile.path(containing: bytes.baseAddress! + done) {
                    throw FileError.inputShrank(input)
                }
                throw FileError(path: destination, operation: "write", errno: errno)
            }
            done += result
        }
    }
}

/// A short hidden name (`.wt-XXXXXX`) beside an output, registered for removal on a
/// signal until it is renamed or unlinked. Short, so a destination name near NAME_MAX
/// still has room.
enum TemporaryName {
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)

    private static func candidate(in directory: String) -> String {
        Paths.join(directory, ".wt-" + String(decoding: (0..<6).map { _ in alphabet.randomElement()! }, as: UTF8.self))
    }

    /// Creates and opens a new empty file.
    static func create(in directory: String, for destination: String) throws(FileError) -> (path: String, descriptor: Int32, slot: Int32) {
        for _ in 0..<100 {
            let path = candidate(in: directory)
            let slot = wk_cleanup_register(path)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { return (path, fd, slot) }
            let code = errno
            wk_cleanup_unregister(slot)
            if code != EEXIST { throw FileError(path: destination, operation: "create a temporary file for", errno: code) }
        }
        throw FileError(path: destination, operation: "create a temporary file for", errno: EEXIST)
    }

    /// Links the unnamed file `fd` under a new name.
    static func link(_ fd: Int32, in directory: String, for destination: String) throws(FileError) -> (path: String, slot: Int32) {
        for _ in 0..<100 {
            let path = candidate(in: directory)
            let slot = wk_cleanup_register(path)
            if wk_link_unnamed(fd, path) == 0 { return (path, slot) }
            let code = errno
            wk_cleanup_unregister(slot)
            if code != EEXIST { throw FileError(path: destination, operation: "create", errno: code) }
        }
        throw FileError(path: destination, operation: "create", errno: EEXIST)
    }
}
