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
    }

    public let root: String
    public let files: [File]
    public let skipped: [Skipped]

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
        var files: [File] = []
        var skipped: [Skipped] = []
        let allowed = ModelFolderFiles.allowedRoot(for: root)
        var pending: [(relative: String, depth: Int)] = [("", 0)]
        var visited = 0
        while let (relative, depth) = pending.popLast() {
            let directory = relative.isEmpty ? root : Paths.join(root, relative)
            for name in Paths.contents(of: directory).reversed() {
                let path = relative.isEmpty ? name : relative + "/" + name
                visited += 1
                guard visited <= ModelFolderFiles.maximumEntries else {
                    skipped.append(Skipped(path: path, reason: "more than \(ModelFolderFiles.maximumEntries) entries"))
                    continue
                }
                let full = Paths.join(root, path)
                if name.hasPrefix(".") { skipped.append(Skipped(path: path, reason: "hidden")); continue }
                guard let mode = Paths.entryMode(full) else { skipped.append(Skipped(path: path, reason: "cannot be read")); continue }
                switch mode & S_IFMT {
                case S_IFDIR:
                    if depth + 1 >= ModelFolderFiles.maximumDepth {
                        skipped.append(Skipped(path: path, reason: "deeper than \(ModelFolderFiles.maximumDepth) levels"))
                    } else {
                        pending.append((path, depth + 1))
                    }
                case S_IFREG:
                    if ModelFolderFiles.isWeightsName(name) {
                        skipped.append(Skipped(path: path, reason: "weights"))
                    } else {
                        files.append(File(path: path, source: full))
                    }
                case S_IFLNK:
                    if ModelFolderFiles.isWeightsName(name) { skipped.append(Skipped(path: path, reason: "weights")); continue }
                    switch ModelFolderFiles.resolve(full, inside: allowed) {
                    case let .file(target): files.append(File(path: path, source: target))
                    case let .refused(reason): skipped.append(Skipped(path: path, reason: reason))
                    }
                default:
                    skipped.append(Skipped(path: path, reason: "not a regular file (\(MappedFile.kind(of: mode)))"))
                }
            }
        }
        self.files = files.sorted { $0.path.bytePrecedes($1.path) }
        self.skipped = skipped.sorted { $0.path.bytePrecedes($1.path) }
    }

    private enum Resolution { case file(String), refused(String) }

    /// Where symlinks may lead: the folder itself, or for a cache snapshot
    /// (`models--X/snapshots/REV`) the `models--X` directory that holds the blobs.
    private static func allowedRoot(for root: String) -> String? {
        guard let real = realPath(root) else { return nil }
        let snapshots = Paths.directory(of: real)
        let repository = Paths.directory(of: snapshots)
        if Paths.lastComponent(snapshots) == "snapshots" && Paths.lastComponent(repository).hasPrefix("models--") { return repository }
        return real
    }

    private static func resolve(_ link: String, inside allowed: String?) -> Resolution {
        guard let target = realPath(link) else { return .refused("dangling symlink") }
        guard let allowed, target.hasPrefix(allowed.hasSuffix("/") ? allowed : allowed + "/") else {
            return .refused("symlink to a file outside the model folder")
        }
        var info = stat()
        guard stat(target, &info) == 0 else { return .refused("dangling symlink") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file(target)
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
