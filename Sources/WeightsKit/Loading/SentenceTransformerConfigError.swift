/// Why a sentence-transformers folder (modules.json, sentence_bert_config.json,
/// 1_Pooling/config.json) cannot be followed. Each case names the file; `code` is a stable
/// kebab-case name for scripts and tests.
public enum SentenceTransformerConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file exists but cannot be read (permissions, a directory, too large).
    case unreadable(path: String, reason: String)
    /// A file the folder needs is absent (1_Pooling/config.json for a Pooling module).
    case missingFile(path: String, neededBy: String)
    case invalidJSON(path: String, reason: String)
    /// A field of the wrong type or out of range: "max_seq_length: expected an integer of at least 1, found -3".
    case invalidField(path: String, field: String, expected: String, found: String)
    /// A module this tool does not run (Dense, custom code), or modules in an order it does
    /// not follow: the embeddings would differ from sentence-transformers'.
    case unsupportedModule(path: String, index: Int, type: String, reason: String)
    /// A module's folder (`path` in modules.json) that is not a folder of the model folder
    /// itself: a symlink (which could lead anywhere) or a file.
    case moduleFolderNotInside(path: String, index: Int, folder: String, found: String)

    public var code: String {
        switch self {
        case .unreadable: "unreadable"
        case .missingFile: "missing-file"
        case .invalidJSON: "invalid-json"
        case .invalidField: "invalid-field"
        case .unsupportedModule: "unsupported-module"
        case .moduleFolderNotInside: "module-folder-not-inside"
        }
    }

    public var path: String {
        switch self {
        case let .unreadable(path, _), let .missingFile(path, _), let .invalidJSON(path, _),
             let .invalidField(path, _, _, _), let .unsupportedModule(path, _, _, _), let .moduleFolderNotInside(path, _, _, _):
            path
        }
    }

    public var description: String {
        let rule: String
        switch self {
        case let .unreadable(_, reason): rule = "cannot read: \(reason)"
        case let .missingFile(_, neededBy): rule = "no such file (needed by \(neededBy))"
        case let .invalidJSON(_, reason): rule = "not valid JSON: \(reason)"
        case let .invalidField(_, field, expected, found): rule = "\(field): expected \(expected), found \(TerminalText.escaped(found))"
        case let .unsupportedModule(_, index, type, reason): rule = "module \(index) (\(TerminalText.escaped(type))): \(reason)"
        case let .moduleFolderNotInside(_, index, folder, found):
            rule = "module \(index): its folder \"\(TerminalText.escaped(folder))\" is \(found), not a folder inside the model folder (symlinks are not followed)"
        }
        return "\(TerminalText.escaped(path)): \(rule) [\(code)]"
    }
}
