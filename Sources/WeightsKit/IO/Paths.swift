#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small path helpers on plain strings, so the libraries need no Foundation for paths
/// (loading Foundation and its ICU data costs every command ~7 ms at start-up).
package enum Paths {
    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    package static func lastComponent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    package static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// A file name with no directory part, so an index cannot point outside its folder, and
    /// no NUL (the C call that opens it would end the name there and open another file).
    package static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && !name.utf8.contains(0) && !name.contains("/") && name != "." && name != ".."
    }

    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    package static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The `st_mode` of the entry `path` names itself (`lstat`: a symlink is not followed),
    /// or nil when there is none.
    package static func entryMode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode : nil
    }

    /// fsyncs `path`'s directory, so a name just created there survives a power loss.
    package static func syncDirectory(of path: String) {
        let fd = open(directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// Names of the entries in `directory`, sorted; empty if it cannot be read.
    package static func contents(of directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        return entryNames(closing: handle)
    }

    /// The entry names of an open directory stream (without "." and ".."), sorted by their
    /// bytes; closes the stream.
    package static func entryNames(closing handle: OpaquePointer) -> [String] {
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.bytePrecedes($1) }
    }

    /// Device and inode, to tell whether two paths are the same file.
    package static func identity(_ path: String) -> (UInt64, UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// True when both paths exist and name the same file (through links or other spellings).
    package static func sameFile(_ a: String, _ b: String) -> Bool {
        guard let first = identity(a), let second = identity(b) else { return false }
        return first == second
    }

    /// True when writing `a` could change what `b` reads, or the other way round: both
    /// reach the same file (device and inode, through symlinks and hard links), or both
    /// name the same entry (same directory by identity, same name byte for byte), which
    /// also covers files that do not exist yet and dangling symlinks.
    package static func refersToSame(_ a: String, _ b: String) -> Bool {
        if sameFile(a, b) { return true }
        guard let first = identity(directory(of: a)), let second = identity(directory(of: b)) else { return false }
        return first == second && Array(lastComponent(a).utf8) == Array(lastComponent(b).utf8)
    }

    /// The paths in `candidates` indexed by what `refersToSame` compares (file identity;
    /// directory identity and name), so that many paths are checked against them in
    /// linear time: `convert DIR OUT/` checks every output of a folder of thousands of
    /// files against every input, which pairwise took minutes (millions of stat calls).
    package struct EntryIndex {
        private struct Identity: Hashable { let device: UInt64, inode: UInt64 }
        private struct Entry: Hashable { let directory: Identity, name: [UInt8] }
        private var files: [Identity: String] = [:]
        private var entries: [Entry: String] = [:]

        package init(_ candidates: [String]) {
            for path in candidates {
                if let key = EntryIndex.identity(path), files[key] == nil { files[key] = path }
                if let key = EntryIndex.entry(path), entries[key] == nil { entries[key] = path }
            }
        }

        /// An indexed path that `refersToSame(path, it)`, or nil.
        package func match(_ path: String) -> String? {
            if let key = EntryIndex.identity(path), let found = files[key] { return found }
            if let key = EntryIndex.entry(path), let found = entries[key] { return found }
            return nil
        }

        private static func identity(_ path: String) -> Identity? {
            Paths.identity(path).map { Identity(device: $0.0, inode: $0.1) }
        }

        private static func entry(_ path: String) -> Entry? {
            identity(Paths.directory(of: path)).map { Entry(directory: $0, name: Array(Paths.lastComponent(path).utf8)) }
        }
    }

    /// The file's size in bytes, or nil when it cannot be read.
    package static func size(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }
}
