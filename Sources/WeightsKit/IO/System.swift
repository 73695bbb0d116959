#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The operating-system queries whose spelling differs between Glibc and Darwin, in one
/// place, so that the rest of the package asks `System` rather than importing libc.
package enum System {
    /// Cores online now (at least 1).
    package static var activeProcessorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// The virtual-memory page size in bytes.
    package static var pageSize: Int {
        Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The C library's words for `errno` value `code`.
    package static func errorMessage(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

/// Hands a pointer or closure to `concurrentPerform` workers that touch disjoint parts of
/// what it points at.
package struct UncheckedSendable<T>: @unchecked Sendable {
    package let value: T
    package init(_ value: T) { self.value = value }
}

extension FileError {
    /// A failed system call on `path`, worded by the C library ("No such file or directory").
    public init(path: String, operation: String, errno code: Int32) {
        self.init(path: path, operation: operation, message: System.errorMessage(code))
    }
}
