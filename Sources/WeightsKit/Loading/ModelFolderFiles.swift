#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The files of a model folder that `convert DIR OUTDIR/` carries over beside the
/// converted weights, and the entries it leaves out, each with the reason.
///
/// Carried: every regular file, in subfolders too (tokenizer files, config.json,
/// sentence-transformers modules such as 1_Pooling/config.json, README.md), and a
/// symlink to a regular file inside the folder (or, for a Hugging Face cache snapshot
/// `…/models--ORG--NAME/snapshots/REV`, inside `models--ORG--NAME`, where the blobs
/// are). Its contents are copied; the output holds no symlinks.
///
/// Left out:
/// - weights: files in a weights format (`.safetensors`, `.bin`, `.pt`, `.pth`,
///   `.ckpt`, `.gguf`, `.onnx`, `.h5`, `.msgpack`, `.wpk`, …) and shard indexes
///   (`*.index.json`): the converted weights replace them, and another format's copy of
///   the unconverted weights would disagree with them;
/// - hidden entries (`.git`, `.cache`, `.gitattributes`, temporaries);
/// - symlinks to directories, symlinks leading outside the folder (a model folder
///   should not copy `/etc/passwd` into what its user publishes), dangling symlinks;
/// - anything but a regular file or a directory (FIFO, socket, device);
/// - entries deeper than `maximumDepth` levels.
///
/// The walk goes by descriptor: each directory is opened relative to its parent
/// (`openat`, never through a symlink) and each entry is classified without following
/// it; a symlink's target is reached the same way from the folder (or cache repository)
/// it must lie in. Each carried file's identity (device and inode) is recorded, and
/// `copy(_:into:)` reopens it along the same path and refuses it unless it is that same
/// file: an entry swapped for a symlink, or for another file, while a conversion runs is
/// never read. Only the folder's descriptors are held, never one per file.
public struct ModelFolderFiles: Sendable {
    public struct Skipped: Sendable, Equatable {
        /// The entry's path relative to the folder.
        public let path: String
        public let reason: String
    }

    /// A file to copy: its path relative to the folder, and where its bytes are read.
    public struct File: Sendable, Equatable {
        public let path: String
        public let source: String
        /// Whether `components` lead from the symlink root (a symlink's target) rather than the folder.
        let viaLink: Bool
        /// The path below the folder (or the symlink root) that reaches it, never through a symlink.
        let components: [String]
        /// The file seen when the folder was walked.
        let identity: FileIdentity
    }

    public let root: String
    public let files: [File]
    public let skipped: [Skipped]
    /// The folder, open.
    private let folder: DirectoryDescriptor?
    /// Where symlinks may lead (see `allowedRoot`), open, and its real path.
    private let linkRoot: (descriptor: DirectoryDescriptor, path: String)?

    static let maximumDepth = 8
    static let maximumEntries = 10_000

    static let weightSuffixes = [".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".gguf", ".onnx", ".onnx_data", ".h5",
                                 ".msgpack", ".wpk", ".ot", ".npz", ".npy", ".pkl", ".index.json"]

    /// True for a file name in a weights format (or a shard index).
    public static func isWeightsName(_ name: String) -> Bool {
        weightSuffixes.contains { name.hasSuffix($0) }
    }

    /// Walks `root` (a directory). Entries are listed in byte order of their paths.
    public init(root: String) {
        self.root = root
        let folder = try? DirectoryDescriptor(path: root)
        let linkRoot = ModelFolderFiles.allowedRoot(for: root).flatMap { path in
            (try? DirectoryDescriptor(path: path)).map { (descriptor: $0, path: path) }
        }
        self.folder = folder
        self.linkRoot = linkRoot
        var files: [File] = []
        var skipped: [Skipped] = []
        var pending: [(relative: [String], depth: Int)] = folder == nil ? [] : [([], 0)]
        var visited = 0
        while let (relative, depth) = pending.popLast() {
            guard let folder, let directory = try? folder.directory(at: relative) else {
                skipped.append(Skipped(path: relative.joined(separator: "/"), reason: "cannot be read"))
                continue
            }
            for name in directory.contents().reversed() {
                let components = relative + [name]
                let path = components.joined(separator: "/")
                visited += 1
                guard visited <= ModelFolderFiles.maximumEntries else {
                    skipped.append(Skipped(path: path, reason: "more than \(ModelFolderFiles.maximumEntries) entries"))
                    continue
                }
                if name.hasPrefix(".") { skipped.append(Skipped(path: path, reason: "hidden")); continue }
                guard let info = directory.entryStatus(name) else { skipped.append(Skipped(path: path, reason: "cannot be read")); continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    if depth + 1 >= ModelFolderFiles.maximumDepth {
                        skipped.append(Skipped(path: path, reason: "deeper than \(ModelFolderFiles.maximumDepth) levels"))
                    } else {
                        pending.append((components, depth + 1))
                    }
                case S_IFREG:
                    if ModelFolderFiles.isWeightsName(name) {
                        skipped.append(Skipped(path: path, reason: "weights"))
                    } else {
                        files.append(File(path: path, source: Paths.join(root, path), viaLink: false, components: components,
                                          identity: FileIdentity(info)))
                    }
                case S_IFLNK:
                    if ModelFolderFiles.isWeightsName(name) { skipped.append(Skipped(path: path, reason: "weights")); continue }
                    switch ModelFolderFiles.resolve(Paths.join(root, path), inside: linkRoot) {
                    case let .file(target, components, identity):
                        files.append(File(path: path, source: target, viaLink: true, components: components, identity: identity))
                    case let .refused(reason): skipped.append(Skipped(path: path, reason: reason))
                    }
                default:
                    skipped.append(Skipped(path: path, reason: "not a regular file (\(MappedFile.kind(of: info.st_mode)))"))
                }
            }
        }
        self.files = files.sorted { $0.path.bytePrecedes($1.path) }
        self.skipped = skipped.sorted { $0.path.bytePrecedes($1.path) }
    }

    /// Opens `file` again the way the walk reached it, never through a symlink, and refuses
    /// it unless it is the very file the walk saw (an entry replaced meanwhile, by a symlink
    /// or by another file, is not read).
    package func open(_ file: File) throws(FileError) -> ReadableFile {
        let entry = Paths.join(root, file.path)
        func changed(_ how: String) -> FileError {
            FileError(path: entry, problem: "changed while the folder was being converted (now: \(how)); nothing was written")
        }
        guard let base = file.viaLink ? linkRoot?.descriptor : folder, let name = file.components.last else { throw changed("gone") }
        let input: ReadableFile
        do {
            input = try base.directory(at: file.components.dropLast()).openFile(name)
        } catch {
            throw changed(error.message)
        }
        guard input.identity == file.identity else { throw changed("another file") }
        return input
    }

    /// Adds `file` to `folder` under its path, copied from the file the walk saw.
    package func copy(_ file: File, into folder: PublishedFolder) throws(FileError) {
        try folder.addCopy(of: try open(file), as: file.path)
    }

    private enum Resolution { case file(String, [String], FileIdentity), refused(String) }

    /// Where symlinks may lead: the folder itself, or for a cache snapshot
    /// (`models--X/snapshots/REV`) the `models--X` directory that holds the blobs.
    private static func allowedRoot(for root: String) -> String? {
        guard let real = realPath(root) else { return nil }
        let snapshots = Paths.directory(of: real)
        let repository = Paths.directory(of: snapshots)
        if Paths.lastComponent(snapshots) == "snapshots" && Paths.lastComponent(repository).hasPrefix("models--") { return repository }
        return real
    }

    /// The symlink `link`'s target, when it is a regular file inside `allowed`: its real
    /// path, the components below `allowed` that reach it, and its identity there.
    private static func resolve(_ link: String, inside allowed: (descriptor: DirectoryDescriptor, path: String)?) -> Resolution {
        guard let target = realPath(link) else { return .refused("dangling symlink") }
        let outside = Resolution.refused("symlink to a file outside the model folder")
        guard let allowed else { return outside }
        // Compared as bytes: String's prefix test would take canonically equivalent names as equal.
        let prefix = allowed.path.hasSuffix("/") ? allowed.path : allowed.path + "/"
        guard target.utf8.starts(with: prefix.utf8) else { return outside }
        let components = target.utf8.dropFirst(prefix.utf8.count).split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
        // The real path has no symlinks: a walk that meets one, or no entry, raced a change.
        guard let name = components.last, let directory = try? allowed.descriptor.directory(at: components.dropLast()),
              let info = directory.entryStatus(name) else {
            return .refused("dangling symlink")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file(target, components, FileIdentity(info))
        case S_IFDIR: return .refused("symlink to a directory")
        default: return .refused("symlink to something that is not a regular file")
        }
    }

    package static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
