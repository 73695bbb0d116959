#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Paths {
    /// The most `..` steps taken from a directory towards the root (far more than any real
    /// path has; a loop that never reaches the root ends here).
    static let maximumAncestors = 4096

    /// True when the directory `inner` is the directory `outer` or lies anywhere below it,
    /// decided by the device and inode of `inner` and of each of its ancestors in turn
    /// (`..` opened from the one before), never by comparing path strings: no spelling,
    /// symlink, `..`, hard-linked name or second mount path can hide it. False when either
    /// cannot be opened.
    package static func isWithin(_ inner: String, directory outer: String) -> Bool {
        guard let target = identity(outer) else { return false }
        var current = open(inner, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else { return false }
        defer { close(current) }
        var info = stat()
        guard fstat(current, &info) == 0 else { return false }
        for _ in 0..<maximumAncestors {
            if (UInt64(info.st_dev), UInt64(info.st_ino)) == target { return true }
            let parent = openat(current, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard parent >= 0 else { return false }
            var parentInfo = stat()
            guard fstat(parent, &parentInfo) == 0 else {
                close(parent)
                return false
            }
            close(current)
            current = parent
            // The root is its own parent.
            if parentInfo.st_dev == info.st_dev && parentInfo.st_ino == info.st_ino { return false }
            info = parentInfo
        }
        return false
    }
}
