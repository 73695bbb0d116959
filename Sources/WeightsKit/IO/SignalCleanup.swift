internal import CKernels

/// Signal handlers that keep the output promises when the process is stopped.
///
/// After `install`:
/// - SIGINT, SIGTERM, SIGHUP remove the names an output had started to use (a fallback
///   temporary, a member of a `PublishedSet` being named) and then end the process with
///   the signal's default action. Unnamed `O_TMPFILE` outputs need no help: the kernel
///   frees them on any exit, `kill -9` included.
/// - SIGBUS inside a `MappedFile` (its file was truncated while being read) prints
///   "PREFIXPATH: the file shrank while being read (truncated by another process?)" on
///   stderr, removes the same names and exits with status 1.
///
/// The handlers are C (Sources/CKernels/publish.c), as async-signal-safety requires.
/// Signals ignored when the process started (`nohup`) stay ignored.
package enum SignalCleanup {
    package static func install(errorPrefix: String) {
        wk_install_signal_cleanup(errorPrefix)
    }
}
