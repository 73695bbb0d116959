#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Device and inode: which file an entry is, whatever its path.
package struct FileIdentity: Hashable, Sendable {
    package let device: UInt64
    package let inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

/// A directory held open, so that what lies below it is reached relative to it (`openat`)
/// and never through a symlink: renaming a path component, or swapping one for a symlink
/// to somewhere else, cannot move a walk out of the directory.
package final class DirectoryDescriptor: Sendable {
    /// The path it was reached by (for messages).
    package let path: String
    private let descriptor: Int32

    /// Opens the directory `path` (following symlinks in `path` itself: the user named it).
    package init(path: String) throws(FileError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: path, operation: "open", errno: errno) }
        self.path = path
        descriptor = fd
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { close(descriptor) }

    /// The subdirectory `name` (a plain name), refused when it is a symlink.
    package func directory(_ name: String) throws(FileError) -> DirectoryDescriptor {
        let path = Paths.join(self.path, name)
        guard Paths.isPlainName(name) else { throw FileError(path: path, operation: "open", message: "not a plain name") }
        let fd = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw refusal(name, errno: errno, expected: "a directory") }
        return DirectoryDescriptor(descriptor: fd, path: path)
    }

    /// The directory `components` below this one, each step refused when it is a symlink.
    package func directory(at components: some Sequence<String>) throws(FileError) -> DirectoryDescriptor {
        var current = self
        for name in components { current = try current.directory(name) }
        return current
    }

    /// The `lstat` of entry `name` (a symlink is not followed), or nil when there is none.
    package func entryStatus(_ name: String) -> stat? {
        var info = stat()
        return fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 ? info : nil
    }

    /// Opens the regular file `name` for reading; a symlink, FIFO, device or directory is refused.
    package func openFile(_ name: String) throws(FileError) -> ReadableFile {
        let path = Paths.join(self.path, name)
        guard Paths.isPlainName(name) else { throw FileError(path: path, operation: "open", message: "not a plain name") }
        // O_NONBLOCK: a FIFO swapped in would otherwise block the open until a writer came.
        let fd = openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw refusal(name, errno: errno, expected: "a regular file") }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw FileError(path: path, operation: "stat", errno: code)
        }
        guard info.st_mode & S_IFMT == S_IFREG, let size = Int(exactly: info.st_size) else {
            close(fd)
            throw FileError(path: path, operation: "open", message: "not a regular file (\(MappedFile.kind(of: info.st_mode)))")
        }
        return ReadableFile(descriptor: fd, path: path, size: size, identity: FileIdentity(info))
    }

    /// The names of the entries, in byte order; empty when it cannot be read.
    package func contents() -> [String] {
        let copy = dup(descriptor)
        guard copy >= 0 else { return [] }
        guard let handle = fdopendir(copy) else {
            close(copy)
            return []
        }
        return Paths.entryNames(closing: handle)
    }

    /// Why `name` could not be opened as `expected`: a symlink says so, rather than ELOOP's
    /// "too many levels of symbolic links".
    private func refusal(_ name: String, errno code: Int32, expected: String) -> FileError {
        let path = Paths.join(self.path, name)
        if let info = entryStatus(name), info.st_mode & S_IFMT == S_IFLNK {
            return FileError(path: path, operation: "open", message: "a symlink, not followed, where \(expected) was expected")
        }
        return FileError(path: path, operation: "open", errno: code)
    }
}

/// A regular file open for reading, closed when this goes away.
package final class ReadableFile {
    package let path: String
    /// The size when it was opened: exactly this many bytes are read.
    package let size: Int
    package let identity: FileIdentity
    private let descriptor: Int32

    fileprivate init(descriptor: Int32, path: String, size: Int, identity: FileIdentity) {
        self.descriptor = descriptor
        self.path = path
        self.size = size
        self.identity = identity
    }

    deinit { close(descriptor) }

    static let chunkBytes = 64 << 10

    /// Hands the file's `size` bytes to `body` in chunks of at most 64 KiB, from the start. A
    /// file that shrank or grew meanwhile is an error (the bytes would be no one version of it).
    package func forEachChunk(_ body: (UnsafeRawBufferPointer) throws(FileError) -> Void) throws(FileError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: ReadableFile.chunkBytes, alignment: 16)
        defer { buffer.deallocate() }
        var offset = 0
        while offset < size {
            let wanted = min(buffer.count, size - offset)
            let count = try read(into: buffer.baseAddress!, count: wanted, at: offset)
            guard count > 0 else { throw FileError.inputShrank(path) }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            offset += count
        }
        guard try read(into: buffer.baseAddress!, count: 1, at: offset) == 0 else {
            throw FileError(path: path, problem: "the file grew while being read (written by another process?)")
        }
    }

    /// The whole file, when it holds at most `limit` bytes; nil when it holds more.
    package func bytes(limit: Int) throws(FileError) -> [UInt8]? {
        guard size <= limit else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        try forEachChunk { chunk in bytes.append(contentsOf: chunk) }
        return bytes
    }

    private func read(into address: UnsafeMutableRawPointer, count: Int, at offset: Int) throws(FileError) -> Int {
        while true {
            let result = pread(descriptor, address, count, off_t(offset))
            if result >= 0 { return result }
            if errno == EINTR { continue }
            throw FileError(path: path, operation: "read", errno: errno)
        }
    }
}
