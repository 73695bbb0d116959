/// The `general.*` keys llama.cpp's converter derives for a model folder (gguf-py's
/// `Metadata.load` heuristics): the model card's YAML front matter (README.md: license,
/// tags, pipeline_tag, language, datasets, base_model, and llama.cpp's own name / author /
/// version / organization / description), then config.json's `_name_or_path` ("org/name"),
/// then the folder's name, each filling only what is still unset; `size_label` from the
/// parameter count when no name gives one.
///
/// The front matter is read for the plain forms model cards use (`key: scalar`, and
/// `key:` followed by `- item` lines); other YAML (nested maps, flow lists) is skipped,
/// where the converter would have read it with a YAML parser.
public struct GGUFGeneralMetadata: Sendable, Equatable {
    public var name: String?
    public var author: String?
    public var version: String?
    public var organization: String?
    public var finetune: String?
    public var basename: String?
    public var description: String?
    public var sizeLabel: String?
    public var license: String?
    public var licenseName: String?
    public var licenseLink: String?
    public var baseModels: [[(String, String)]]?
    public var datasets: [[(String, String)]]?
    public var tags: [String]?
    public var languages: [String]?

    public static func == (a: Self, b: Self) -> Bool { a.entries.elementsEqual(b.entries) }

    /// Reads the folder `directory` (the path as given: its last component is the fallback name).
    public init(directory: String, totalParameters: Int) {
        let card = ModelCard(path: Paths.join(directory, "README.md"))
        func scalar(_ key: String) -> String? { card.scalars[key] ?? card.lists[key].map { $0.joined(separator: ",") } }
        name = card.scalars["name"]
        author = card.scalars["author"]
        version = card.scalars["version"]
        organization = card.scalars["organization"]
        description = card.scalars["description"]
        if let models = card.values("base_model") { baseModels = models.map { Self.reference($0, totalParameters) } }
        if let sets = card.values("datasets") ?? card.values("dataset") ?? card.values("dataset_sources") {
            datasets = sets.map { Self.reference($0, totalParameters) }
        }
        license = scalar("license")
        licenseName = card.scalars["license_name"]
        licenseLink = card.scalars["license_link"]
        for key in ["tags", "pipeline_tag"] { if let values = card.values(key) { tags = (tags ?? []) + values } }
        for key in ["languages", "language"] { if let values = card.values(key) { languages = (languages ?? []) + values } }

        var ids: [String] = []
        if let config = try? JSONFile.read(Paths.join(directory, "config.json")),
           let nameOrPath = config.member("_name_or_path")?.string, nameOrPath.filter({ $0 == "/" }).count <= 1 {
            ids.append(nameOrPath)
        }
        ids.append(Paths.lastComponent(directory))
        for id in ids {
            let parts = ModelID(id, totalParameters: totalParameters)
            if name == nil, let full = parts.fullName { name = Self.title(full) }
            if organization == nil, let org = parts.organization { organization = Self.title(org) }
            basename = basename ?? parts.basename
            finetune = finetune ?? parts.finetune
            version = version ?? parts.version
            sizeLabel = sizeLabel ?? parts.sizeLabel
        }
        if name == nil { name = Paths.lastComponent(directory) }
        if sizeLabel == nil && totalParameters > 0 { sizeLabel = Self.sizeLabel(totalParameters) }
    }

    /// The keys in the order gguf-py's `set_gguf_meta_model` writes them.
    public var entries: [GGUFMetadataEntry] {
        var out: [GGUFMetadataEntry] = []
        func add(_ key: String, _ value: String?) { if let value { out.append(.init(key: "general.\(key)", value: .text(value))) } }
        add("name", name ?? "")
        add("author", author)
        add("version", version)
        add("organization", organization)
        add("finetune", finetune)
        add("basename", basename)
        add("description", description)
        add("size_label", sizeLabel)
        add("license", license)
        add("license.name", licenseName)
        add("license.link", licenseLink)
        for (group, items) in [("base_model", baseModels), ("dataset", datasets)] {
            guard let items else { continue }
            out.append(.init(key: "general.\(group).count", value: .uint32(UInt32(items.count))))
            for (index, item) in items.enumerated() {
                for field in ["name", "author", "version", "organization", "description", "url", "doi", "uuid", "repo_url"] {
                    if let value = item.first(where: { $0.0 == field })?.1 { add("\(group).\(index).\(field)", value) }
                }
            }
        }
        if let tags { out.append(.init(key: "general.tags", value: .array(GGUFArray(strings: tags)))) }
        if let languages { out.append(.init(key: "general.languages", value: .array(GGUFArray(strings: languages)))) }
        return out
    }

    /// A base model or data set named by a Hugging Face id or URL.
    static func reference(_ id: String, _ totalParameters: Int) -> [(String, String)] {
        var fields: [(String, String)] = []
        var modelID = id
        if id.hasPrefix("http://") || id.hasPrefix("https://") || id.hasPrefix("ssh://") {
            fields.append(("repo_url", id))
            let rest = id.split(separator: "/", omittingEmptySubsequences: false)
            guard rest.count == 5, rest[2] == "huggingface.co", !rest[3].isEmpty, !rest[4].isEmpty else { return fields }
            modelID = "\(rest[3])/\(rest[4])"
        }
        let parts = ModelID(modelID, totalParameters: totalParameters)
        if let full = parts.fullName { fields.append(("name", title(full))) }
        if let org = parts.organization { fields.append(("organization", title(org))) }
        if let version = parts.version { fields.append(("version", version)) }
        if modelID == id, let org = parts.organization, let full = parts.fullName {
            fields.append(("repo_url", "https://huggingface.co/\(org)/\(full)"))
        }
        return fields
    }

    /// gguf-py's `id_to_title`: "-" to spaces, all-lowercase words in Python's title case
    /// unless they look like versions or numbers.
    static func title(_ text: String) -> String {
        let words = text.replacingOccurrences(of: "-", with: " ").split(whereSeparator: { $0.isWhitespace })
        return words.map { word -> String in
            let isLower = word.contains { $0.isCased } && word.allSatisfy { !$0.isCased || $0.isLowercase }
            let versionLike = word.first?.isNumber == true || (word.first == "v" && word.dropFirst().first?.isNumber == true
                && word.dropFirst().allSatisfy { $0.isNumber || $0 == "." })
            return isLower && !versionLike ? pythonTitle(String(word)) : String(word)
        }.joined(separator: " ")
    }

    /// Python's `str.title()`: a cased character is upper after an uncased one, else lower.
    static func pythonTitle(_ word: String) -> String {
        var previousCased = false
        var out = ""
        for character in word {
            out += previousCased ? character.lowercased() : character.uppercased()
            previousCased = character.isCased
        }
        return out
    }

    /// gguf-py's `size_label` for a dense model: "23M", "1.3B", "110M".
    static func sizeLabel(_ count: Int) -> String {
        let value = Double(count)
        let (scaled, suffix): (Double, String) = value > 1e12 ? (value * 1e-12, "T") : value > 1e9 ? (value * 1e-9, "B")
            : value > 1e6 ? (value * 1e-6, "M") : (value * 1e-3, "K")
        let integerDigits = String(Int(scaled.rounded(.toNearestOrEven))).drop { $0 == "0" }.count
        let decimals = max(2 - integerDigits, 0)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = Int((scaled * scale).rounded(.toNearestOrEven))
        guard decimals > 0 else { return "\(rounded)\(suffix)" }
        let digits = String(rounded)
        let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
        return "\(padded.dropLast(decimals)).\(padded.suffix(decimals))\(suffix)"
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard let t = target.first, target.count == 1, let r = replacement.first, replacement.count == 1 else { return self }
        return replacingOccurrences(of: t, with: r)
    }
}
