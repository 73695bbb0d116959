#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output file that appears only when complete.
///
/// Bytes go to a temporary file in the destination's directory (same filesystem, so the
/// final rename is atomic); `commit()` flushes, fsyncs and renames it into place. If the
/// object goes away uncommitted, or any step fails, the temporary file is removed and
/// the destination is untouched: a failed write never leaves a partial file behind.
public final class AtomicFile: ByteSink {
    public let destination: String
    public let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var finished = false
    /// Bytes handed to `write` so far.
    public private(set) var bytesWritten = 0
    /// Whether `commit` fsyncs the data (and the directory) before and after the rename.
    /// Without it the file is still complete when renamed, but a power loss right after
    /// may leave it empty on some filesystems; `cp` makes the same trade.
    public var durable = true

    private static let bufferLimit = 1 << 20

    /// Creates the temporary file. Fails if `destination` exists and `overwrite` is false.
    public init(destination: String, overwrite: Bool) throws(FileError) {
        self.destination = destination
        if !overwrite && Paths.exists(destination) {
            throw FileError(path: destination, operation: "write", message: "file exists (use --force to replace it)")
        }
        var template = Array((Paths.join(Paths.directory(of: destination), "." + Paths.lastComponent(destination) + ".tmp-XXXXXX")).utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileError(path: destination, operation: "create a temporary file for", errno: errno) }
        descriptor = fd
        temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        fchmod(fd, 0o644)
        buffer.reserveCapacity(AtomicFile.bufferLimit)
    }

    deinit {
        if !finished { discard() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        bytesWritten += bytes.count
        if buffer.count + bytes.count <= AtomicFile.bufferLimit {
            buffer.append(contentsOf: bytes)
            return
        }
        try flushBuffer()
        if bytes.count >= AtomicFile.bufferLimit {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Replaces already-written bytes at `offset` (a header planned before its payloads
    /// were checksummed). Does not change `bytesWritten`.
    public func overwrite(_ bytes: [UInt8], at offset: Int) throws(FileError) {
        try flushBuffer()
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

    /// Flushes, syncs and renames the file into place.
    public func commit() throws(FileError) {
        do throws(FileError) {
            try flushBuffer()
            if durable {
                guard fsync(descriptor) == 0 else { throw FileError(path: destination, operation: "sync", errno: errno) }
            }
            guard close(descriptor) == 0 else { throw FileError(path: destination, operation: "close", errno: errno) }
            descriptor = -1
            guard rename(temporaryPath, destination) == 0 else {
                throw FileError(path: destination, operation: "rename the temporary file to", errno: errno)
            }
            finished = true
            if durable { syncDirectory() }
        } catch {
            discard()
            throw error
        }
    }

    /// Removes the temporary file; the destination is left as it was.
    public func discard() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
        finished = true
    }

    private func flushBuffer() throws(FileError) {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { raw in Result { () throws(FileError) in try writeAll(raw) } }.get()
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        var done = 0
        while done < bytes.count {
            let result = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if result < 0 {
                if errno == EINTR { continue }
                throw FileError(path: destination, operation: "write", errno: errno)
            }
            done += result
        }
    }

    private func syncDirectory() {
        let fd = Glibc.open(Paths.directory(of: destination), O_RDONLY | O_DIRECTORY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
