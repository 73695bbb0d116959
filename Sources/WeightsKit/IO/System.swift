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

    /// write(2): writes up to `count` bytes to `descriptor`; the bytes written, or -1.
    package static func write(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #elseif canImport(Darwin)
        Darwin.write(descriptor, bytes, count)
        #endif
    }

    /// close(2): releases `descriptor`; 0, or -1.
    @discardableResult
    package static func close(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(descriptor)
        #elseif canImport(Darwin)
        Darwin.close(descriptor)
        #endif
    }

    /// exit(3): ends the process with `status`.
    package static func exit(_ status: Int32) -> Never {
        #if canImport(Glibc)
        Glibc.exit(status)
        #elseif canImport(Darwin)
        Darwin.exit(status)
        #endif
    }

    /// True when the process runs under AddressSanitizer (its runtime is loaded), whose
    /// leak check at exit wants every object freed first.
    package static let isAddressSanitized: Bool = {
        #if canImport(Darwin)
        return dlsym(UnsafeMutableRawPointer(bitPattern: -2), "__asan_init") != nil  // RTLD_DEFAULT
        #else
        return dlsym(nil, "__asan_init") != nil  // RTLD_DEFAULT is 0 on glibc
        #endif
    }()

    /// True when `descriptor` is a terminal (isatty(3)).
    package static func isTerminal(_ descriptor: Int32) -> Bool {
        isatty(descriptor) != 0
    }

    /// Stops the whole process (SIGSTOP, as ^Z does) until something sends it SIGCONT;
    /// signals sent meanwhile are delivered on resuming, SIGKILL at once.
    package static func stopUntilContinued() {
        _ = kill(getpid(), SIGSTOP)
    }

    /// Ignores SIGXFSZ, so that a write past `ulimit -f` fails with EFBIG instead of
    /// killing the process.
    package static func ignoreFileSizeLimitSignal() {
        _ = signal(SIGXFSZ, SIG_IGN)
    }

    /// Raises the soft open-file limit to the hard one (as Go and Rust runtimes do at
    /// start). No longer needed by `convert DIR OUT/`, whose sets keep a bounded number
    /// of members open (`PublishedSet`); kept as cheap headroom.
    package static func raiseOpenFileLimit() {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        // Darwin refuses more than OPEN_MAX for an unlimited hard limit; 1 << 20 is plenty.
        limit.rlim_cur = min(limit.rlim_max, 1 << 20)
        _ = setrlimit(resource, &limit)
    }

    /// memcmp(3) == 0: whether the `count` bytes at `a` and `b` are equal.
    @inlinable
    package static func bytesEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        memcmp(a, b, count) == 0
    }

    /// expf(3).
    @inlinable
    package static func exp(_ x: Float) -> Float { expf(x) }

    /// logf(3).
    @inlinable
    package static func log(_ x: Float) -> Float { logf(x) }

    /// ceilf(3).
    @inlinable
    package static func ceil(_ x: Float) -> Float { ceilf(x) }
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
