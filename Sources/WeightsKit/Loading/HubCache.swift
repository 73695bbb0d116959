#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The local Hugging Face Hub cache, read offline, laid out as huggingface_hub writes it
/// (constants.py, file_download.py):
///
/// ```
/// <cache>/models--ORG--NAME/
///     blobs/<hash>                    file contents
///     refs/main                       the commit hash `main` was at (no newline)
///     snapshots/<commit>/config.json  -> ../../blobs/<hash>  (symlinks, followed)
/// ```
///
/// The cache directory is huggingface_hub's: `$HF_HUB_CACHE`, else (legacy)
/// `$HUGGINGFACE_HUB_CACHE`, else `$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`,
/// else `~/.cache/huggingface/hub` (a leading `~` is expanded; empty variables count as unset).
///
/// `HubCache.resolve(argument)` is the one place a model argument becomes a path: an
/// existing path always wins; `ORG/NAME[@REVISION]` is looked up here; anything else is
/// returned unchanged, for the loader to report.
public struct HubCache: Sendable, Equatable {
    /// The cache directory (the folder holding `models--ORG--NAME`).
    public let directory: String
    /// Where `directory` came from: the variable that set it, or the default.
    public let chosenBy: String

    public init(directory: String, chosenBy: String) {
        self.directory = directory
        self.chosenBy = chosenBy
    }

    /// The cache huggingface_hub would use with these environment variables.
    public init(environment: (String) -> String?) {
        func value(_ name: String) -> String? { environment(name).flatMap { $0.isEmpty ? nil : $0 } }
        func home() -> String {
            if let home = value("HOME") { return home }
            if let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir { return String(cString: directory) }
            return "/"
        }
        func expand(_ path: String) -> String {
            if path == "~" { return home() }
            if path.hasPrefix("~/") { return Paths.join(home(), String(path.dropFirst(2))) }
            return path
        }
        if let cache = value("HF_HUB_CACHE") {
            self.init(directory: expand(cache), chosenBy: "HF_HUB_CACHE")
        } else if let cache = value("HUGGINGFACE_HUB_CACHE") {
            self.init(directory: expand(cache), chosenBy: "HUGGINGFACE_HUB_CACHE")
        } else if let hfHome = value("HF_HOME") {
            self.init(directory: Paths.join(expand(hfHome), "hub"), chosenBy: "HF_HOME/hub")
        } else if let xdg = value("XDG_CACHE_HOME") {
            self.init(directory: Paths.join(expand(xdg), "huggingface/hub"), chosenBy: "XDG_CACHE_HOME/huggingface/hub")
        } else {
            self.init(directory: Paths.join(home(), ".cache/huggingface/hub"), chosenBy: "the default, ~/.cache/huggingface/hub")
        }
    }

    /// The cache this process's environment names.
    public static func fromEnvironment() -> HubCache {
        HubCache(environment: { name in getenv(name).map { String(cString: $0) } })
    }

    /// The path a model argument stands for: the argument itself when it exists (a path
    /// always wins) or is not of the `ORG/NAME[@REVISION]` form; else the snapshot
    /// directory it names in `cache`.
    public static func resolve(_ argument: String, cache: @autoclosure () -> HubCache = .fromEnvironment()) throws(HubCacheError) -> String {
        if Paths.entryMode(argument) != nil { return argument }
        guard let reference = try HubReference.parse(argument) else { return argument }
        return try cache().snapshot(of: reference, argument: argument)
    }

    /// The snapshot directory of `reference`: `refs/<revision>` read for its commit (a
    /// 40-hex revision names the snapshot directly), then `snapshots/<commit>`.
    public func snapshot(of reference: HubReference, argument: String? = nil) throws(HubCacheError) -> String {
        let argument = argument ?? reference.repoID
        let folder = Paths.join(directory, reference.folderName)
        let missing = { (path: String) in HubCacheError.notFound(argument: argument, cache: directory, chosenBy: chosenBy, lookedFor: [path]) }
        guard Paths.isDirectory(folder) else { throw missing(folder) }
        let commit: String
        if HubReference.isCommitHash(reference.effectiveRevision) {
            commit = reference.effectiveRevision
        } else {
            let refFile = Paths.join(folder, "refs/" + reference.effectiveRevision)
            guard let file = try? MappedFile(path: refFile) else { throw missing(refFile) }
            // Never more than a hash is read or shown: the contents are not trusted.
            guard file.size == 40, let text = file.withBytes({ String(validating: $0, as: UTF8.self) }), HubReference.isCommitHash(text) else {
                throw .invalidRef(argument: argument, path: refFile)
            }
            commit = text
        }
        let snapshot = Paths.join(folder, "snapshots/" + commit)
        guard Paths.isDirectory(snapshot) else {
            throw .notFound(argument: argument, cache: directory, chosenBy: chosenBy,
                            lookedFor: reference.revision.map { HubReference.isCommitHash($0) } == true ? [snapshot] : ["refs/\(reference.effectiveRevision) → \(snapshot)"])
        }
        return snapshot
    }
}
