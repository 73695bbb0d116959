#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CKernels

/// A whole file mapped read-only into memory.
///
/// The mapping lives as long as this object; `TensorView`s hold a reference, so a
/// view can never outlive the bytes it points at. Empty files get an empty buffer
/// (mmap rejects a zero length), and sizes are `Int`, so files over 4 GiB map whole.
/// Each mapping is registered with its path, so that if another process truncates the
/// file while it is read, the SIGBUS (see `SignalCleanup`) or EFAULT that follows is
/// reported as `FileError.inputShrank` naming the file.
package final class MappedFile: MappedBytes, @unchecked Sendable {
    package let path: String
    package let size: Int
    private let base: UnsafeRawPointer?
    private var registration: Int32 = -1

    package init(path: String) throws(FileError) {
        self.path = path
        // O_NONBLOCK: opening a FIFO for reading would otherwise wait forever for a writer.
        // Only regular files get past the fstat check, and for those the flag changes nothing.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { throw FileError(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError(path: path, operation: "stat", errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileError(path: path, operation: "open", message: "not a regular file (\(MappedFile.kind(of: info.st_mode)))")
        }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 else {
            throw FileError(path: path, operation: "open", errno: errno)
        }
        size = Int(info.st_size)
        if size == 0 {
            base = nil
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw FileError(path: path, operation: "mmap", errno: errno)
        }
        base = UnsafeRawPointer(address)
        registration = wk_mapping_register(address, size, path)
    }

    /// "a FIFO", "a directory", …: what a path that is not a regular file is instead.
    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "a FIFO"
        case S_IFDIR: "a directory"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFREG: "a regular file"
        case S_IFLNK: "a symlink"
        default: "not a file"
        }
    }

    deinit {
        wk_mapping_unregister(registration)
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), size) }
    }

    /// The path of the mapped file that holds `address`, if any.
    static func path(containing address: UnsafeRawPointer) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard wk_mapping_path(address, &buffer, buffer.count) == 0 else { return nil }
        let length = buffer.firstIndex(of: 0) ?? buffer.count
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The mapped bytes; valid only inside `body`.
    package func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base, count: size))
    }

    /// Bytes `range`, which the caller has already checked lies inside the file.
    func withBytes<R, E: Error>(in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        precondition(range.lowerBound >= 0 && range.upperBound <= size, "range checked by the format reader")
        guard let base else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    /// Tells the kernel the pages of `range` will not be needed again soon, so a streaming
    /// pass over a file larger than memory does not keep it all resident.
    package func releasePages(in range: Range<Int>) {
        guard let base, !range.isEmpty else { return }
        let page = System.pageSize
        let start = (range.lowerBound / page) * page
        let end = min(size, range.upperBound)
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}

extension MappedFile {
    /// Maps `path` and parses its header with `parse`, so every format reader opens files
    /// the same way: OS errors and broken rules both come back as a `WeightsFileError`
    /// naming the path (`reason` says which format's rule a parse error broke).
    static func openParsing<Header, Failure: Error>(
        _ path: String, reason: (Failure) -> WeightsFileError.Reason, _ parse: (UnsafeRawBufferPointer) throws(Failure) -> Header
    ) throws(WeightsFileError) -> (MappedFile, Header) {
        let file: MappedFile
        do { file = try MappedFile(path: path) } catch { throw WeightsFileError(path: path, reason: error) }
        do {
            return (file, try file.withBytes(parse))
        } catch {
            throw WeightsFileError(path: path, reason: reason(error))
        }
    }
}
