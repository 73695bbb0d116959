/// Why a Hub model name (`ORG/NAME[@REVISION]`) did not resolve in the local Hugging Face
/// cache. Nothing is ever downloaded: the message says where the model was looked for.
public enum HubCacheError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model folder, the ref file or the snapshot it names is not there.
    case notFound(argument: String, cache: String, chosenBy: String, lookedFor: [String])
    /// The revision could name a file outside refs/ (absolute, `..`, control characters).
    case unsafeRevision(repo: String, revision: String)
    /// A ref file does not hold a 40-hex commit hash, as huggingface_hub writes them.
    case invalidRef(argument: String, path: String)

    public var code: String {
        switch self {
        case .notFound: "hub-model-not-found"
        case .unsafeRevision: "hub-revision-invalid"
        case .invalidRef: "hub-ref-invalid"
        }
    }

    public var description: String {
        switch self {
        case let .notFound(argument, cache, chosenBy, lookedFor):
            "\(argument): no such file or directory, and not in the Hugging Face cache \(cache) (\(chosenBy)); looked for \(lookedFor.joined(separator: ", then ")); nothing is downloaded [\(code)]"
        case let .unsafeRevision(repo, revision):
            "\(repo)@\(revision): the revision must name a branch, tag or commit inside the cache's refs/ (not absolute, no empty, \".\" or \"..\" component, no control character or backslash) [\(code)]"
        case let .invalidRef(argument, path):
            "\(argument): \(path) does not hold a commit hash (40 lowercase hex digits, as huggingface_hub writes refs) [\(code)]"
        }
    }
}
