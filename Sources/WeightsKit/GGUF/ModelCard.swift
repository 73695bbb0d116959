/// The YAML front matter of a model card (README.md between a first line "---" and the
/// next "---"), for its plain forms only: `key: scalar` and `key:` followed by `- item`
/// lines. Quotes around a scalar are removed; anything else is skipped.
struct ModelCard {
    private(set) var scalars: [String: String] = [:]
    private(set) var lists: [String: [String]] = [:]

    init(path: String) {
        guard Paths.exists(path), let size = Paths.size(path), size <= 16 << 20,
              let file = try? MappedFile(path: path) else { return }
        let text = file.withBytes { String(decoding: $0, as: UTF8.self) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard lines.first == "---" else { return }
        var currentList: String?
        for line in lines.dropFirst() {
            if line == "---" { break }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("- "), let key = currentList {
                lists[key, default: []].append(Self.unquoted(trimmed.dropFirst(2)))
                continue
            }
            currentList = nil
            guard line.first.map({ $0 != " " && $0 != "\t" && $0 != "#" }) == true, let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            if value.isEmpty {
                currentList = key
            } else if !value.hasPrefix("[") && !value.hasPrefix("{") && !value.hasPrefix("|") && !value.hasPrefix(">") {
                scalars[key] = Self.unquoted(value)
            }
        }
    }

    /// A key's value as a list: the list, or the scalar alone.
    func values(_ key: String) -> [String]? {
        lists[key] ?? scalars[key].map { [$0] }
    }

    private static func unquoted(_ text: Substring) -> String {
        var text = text
        while text.last == " " { text = text.dropLast() }
        if text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" {
            return String(text.dropFirst().dropLast())
        }
        return String(text)
    }
}

/// gguf-py's `get_model_id_components`: a Hugging Face id "org/name-parts" split into the
/// full name, organization, and the basename / size label / finetune / version the name's
/// dash-separated parts look like.
struct ModelID {
    var fullName: String?
    var organization: String?
    var basename: String?
    var finetune: String?
    var version: String?
    var sizeLabel: String?

    init(_ id: String, totalParameters: Int) {
        if id.contains(" ") {
            fullName = id
            return
        }
        let full: String
        if let slash = id.firstIndex(of: "/") {
            let org = String(id[..<slash])
            organization = org.first == "." ? nil : org
            full = String(id[id.index(after: slash)...])
        } else {
            full = id
        }
        fullName = full
        var parts = full.split(separator: "-").map(String.init)
        var kinds = [Set<String>](repeating: [], count: parts.count)
        for (i, part) in parts.enumerated() {
            if Self.matches(part, #"(v|iter)?\d+([.]\d+)*"#) {
                kinds[i].insert("version")
            } else if Self.matches(part, #"i?q\d(_\w)*|b?fp?(16|32)"#) {
                kinds[i].insert("type")
                parts[i] = part.uppercased()
            } else if i > 0, Self.matches(part, #"(([A]|\d+[x])?\d+([._]\d+)?[KMBT][\d]?|small|mini|medium|large|x?xl)"#) {
                var label = part.replacingUnderscores()
                if let last = label.last, last.isNumber, label.count >= 2 {
                    let chars = Array(label)
                    label = String(chars.dropLast(2)) + "." + String(chars[chars.count - 1]) + String(chars[chars.count - 2])
                }
                let chars = Array(label)
                if chars.count > 1, chars[chars.count - 2].isNumber, "kmbt".contains(chars[chars.count - 1]) {
                    label = String(chars.dropLast()) + chars[chars.count - 1].uppercased()
                }
                if totalParameters != 0, let last = label.last, let number = Double(label.dropLast()),
                   let power = " KMBT".firstIndex(of: last).map({ " KMBT".distance(from: " KMBT".startIndex, to: $0) }), power >= 0 {
                    var labelParams = number
                    for _ in 0..<power { labelParams *= 1000 }
                    let total = Double(totalParameters)
                    if (totalParameters < 0 && labelParams < Double(abs(totalParameters) / 8))
                        || (totalParameters > 0 && abs(labelParams - total) > Double(7 * totalParameters / 8)) {
                        kinds[i].insert("finetune")
                        label = String(label.dropLast()) + String(last).lowercased()
                    }
                }
                if kinds[i].isEmpty { kinds[i].insert("size_label") }
                parts[i] = label
            } else if i > 0, Self.matches(part, "chat|instruct|vision|lora") {
                kinds[i].insert(totalParameters < 0 && part.lowercased() == "lora" ? "type" : "finetune")
            }
        }
        if zip(parts, kinds).contains(where: { $0.1.contains("size_label") && $0.0.contains { $0.isNumber } }) {
            for i in parts.indices where kinds[i].contains("size_label") && parts[i].allSatisfy({ $0.isLetter }) {
                kinds[i].remove("size_label")
            }
        }
        var atStart = true
        for i in parts.indices {
            if atStart && ((kinds[i].isEmpty && parts[i].first?.isLetter == true) || kinds[i].contains("version")) {
                kinds[i].insert("basename")
            } else {
                atStart = false
                if kinds[i].isEmpty { kinds[i].insert("finetune") }
            }
        }
        for i in parts.indices.reversed() {
            guard kinds[i].contains("basename"), kinds[i].count > 1 else { break }
            kinds[i].remove("basename")
        }
        func joined(_ kind: String, excluding: String? = nil) -> String? {
            var seen: [String] = []
            for (part, kind2) in zip(parts, kinds) where kind2.contains(kind) && !(excluding.map { kind2.contains($0) } ?? false) {
                if kind != "size_label" || !seen.contains(part) { seen.append(part) }
            }
            return seen.isEmpty ? nil : seen.joined(separator: "-")
        }
        basename = joined("basename")
        sizeLabel = joined("size_label")
        finetune = joined("finetune")
        version = joined("version", excluding: "basename")
        if sizeLabel == nil && finetune == nil && version == nil { basename = nil }
    }

    private static func matches(_ text: String, _ pattern: String) -> Bool {
        guard let regex = try? Regex(pattern).ignoresCase() else { return false }
        return (try? regex.wholeMatch(in: text)) != nil
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(map { $0 == "_" ? "." : $0 }) }
}
