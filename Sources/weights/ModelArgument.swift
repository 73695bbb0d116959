import WeightsKit

/// Every command's model argument: a path, or `ORG/NAME[@REVISION]` found offline in the
/// Hugging Face cache (`HubCache.resolve`; an existing path always wins).
enum ModelArgument {
    static func resolve(_ argument: String) throws -> String {
        try reportingFailures { () throws in try HubCache.resolve(argument) }
    }
}
