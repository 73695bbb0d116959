/// A model named as on the Hugging Face Hub, `ORG/NAME` or `ORG/NAME@REVISION`, as a user
/// types it in place of a path.
///
/// The names follow the Hub's repo-id rules (huggingface_hub `validate_repo_id`): letters,
/// digits, `-`, `_` and `.`, no `--` or `..`, not starting or ending with `-` or `.`.
/// The revision is a branch, a tag (possibly nested, `refs/pr/1`) or a 40-hex commit; one
/// that is absolute, has an empty, `.` or `..` component, or a control character or
/// backslash is refused: it names a file under refs/.
public struct HubReference: Sendable, Equatable {
    public let organization: String
    public let name: String
    /// nil means `main`.
    public let revision: String?

    /// The branch or commit looked up: the revision, or `main`.
    public var effectiveRevision: String { revision ?? "main" }

    /// The repo id, `ORG/NAME`.
    public var repoID: String { "\(organization)/\(name)" }

    /// The cache folder huggingface_hub gives the model: `models--ORG--NAME`.
    public var folderName: String { "models--\(organization)--\(name)" }

    /// The reference `argument` spells, or nil when it is not of the `ORG/NAME[@REVISION]`
    /// form (then it is just a path that does not exist). A well-formed name with a
    /// revision that could leave refs/ throws.
    public static func parse(_ argument: String) throws(HubCacheError) -> HubReference? {
        let repo: Substring
        var revision: String?
        if let at = argument.firstIndex(of: "@") {
            repo = argument[..<at]
            revision = String(argument[argument.index(after: at)...])
        } else {
            repo = Substring(argument)
        }
        let parts = repo.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy(isRepoNamePart) else { return nil }
        if let revision, !isSafeRevision(revision) { throw .unsafeRevision(repo: String(repo), revision: revision) }
        return HubReference(organization: String(parts[0]), name: String(parts[1]), revision: revision)
    }

    static func isRepoNamePart(_ part: Substring) -> Bool {
        guard !part.isEmpty, part.utf8.count <= 96 else { return false }
        let allowed = part.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
        guard allowed, !part.contains("--"), !part.contains("..") else { return false }
        let edges: Set<Character> = ["-", "."]
        return !edges.contains(part.first!) && !edges.contains(part.last!)
    }

    /// A revision that names a file inside refs/ (or a commit), never one outside it.
    static func isSafeRevision(_ revision: String) -> Bool {
        guard !revision.isEmpty, !revision.hasPrefix("/"), revision.utf8.count <= 255 else { return false }
        guard !revision.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "\\") }) else { return false }
        return revision.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// True for a full commit hash (40 lowercase hex digits), which names a snapshot directly.
    static func isCommitHash<S: StringProtocol>(_ text: S) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f")) }
    }
}
