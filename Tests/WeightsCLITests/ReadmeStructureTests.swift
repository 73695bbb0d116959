import Foundation
import Testing

/// The README is a front door that says each thing once, and the reference pages in docs/ are
/// reached through links that work: these tests read the committed README.md and docs/*.md.
@Suite("README and docs structure")
struct ReadmeStructureTests {
    static let readme = CLI.path("README.md")
    static let docs = CLI.path("docs")

    /// The Markdown pages under docs/, sorted; reading the folder must find some.
    static func docPages() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: docs).filter { $0.hasSuffix(".md") }.sorted()
            .map { docs + "/" + $0 }
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    /// The lines of `text`, without the empty piece after a final newline.
    static func lines(_ text: String) -> [Substring] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The lines outside fenced code blocks: a fence opens with ``` or ~~~ (up to three spaces
    /// of indent, an info string allowed) and closes with a line of at least as many of the
    /// same character and nothing else.
    static func prose(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var fence: (character: Character, count: Int)?
        for line in lines(text) {
            let indent = line.prefix { $0 == " " }.count
            let body = line.dropFirst(indent)
            let marker = body.first.flatMap { $0 == "`" || $0 == "~" ? $0 : nil }
            let run = marker.map { character in body.prefix { $0 == character }.count } ?? 0
            if indent <= 3, let marker, run >= 3 {
                if let open = fence {
                    if marker == open.character, run >= open.count,
                       body.dropFirst(run).allSatisfy({ $0 == " " || $0 == "\t" }) {
                        fence = nil
                    }
                } else {
                    fence = (marker, run)
                }
                continue
            }
            if fence == nil { result.append(line) }
        }
        return result
    }

    /// Heading lines (starting with #) outside code blocks, trailing spaces dropped.
    static func headings(_ text: String) -> [String] {
        prose(text).filter { $0.hasPrefix("#") }.map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    /// The names that occur more than once in `names`.
    static func repeated(_ names: [String]) -> [String] {
        Dictionary(grouping: names, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
    }

    /// The anchor GitHub gives a heading: lowercased, punctuation other than - and _ removed,
    /// spaces turned into hyphens.
    static func anchor(_ heading: String) -> String {
        let title = heading.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
        return String(title.compactMap { character -> Character? in
            if character == " " { return "-" }
            if character == "-" || character == "_" || character.isLetter || character.isNumber { return character }
            return nil
        })
    }

    /// Inline link targets `[text](target)` in the prose of `text`, code spans left out.
    static func linkTargets(_ text: String) -> [String] {
        var targets: [String] = []
        for line in prose(text) {
            let withoutCode = line.replacing(#/`[^`]*`/#, with: "")
            for match in withoutCode.matches(of: #/\]\(([^()\s]+)(?:\s+"[^"]*")?\)/#) {
                targets.append(String(match.output.1))
            }
        }
        return targets
    }

    /// Why `target`, linked from the file at `page`, does not resolve (nil when it does):
    /// http(s) and mailto links are not followed; a relative path must name an existing file
    /// or folder, and an #anchor into a Markdown page must be one of its headings.
    static func brokenLink(_ target: String, from page: String) throws -> String? {
        if target.hasPrefix("http://") || target.hasPrefix("https://") || target.hasPrefix("mailto:") { return nil }
        let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts[0]), fragment = parts.count > 1 ? String(parts[1]) : ""
        let directory = URL(fileURLWithPath: page).deletingLastPathComponent()
        let file = path.isEmpty ? page : directory.appendingPathComponent(path).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: file) else { return "no file \(file)" }
        guard !fragment.isEmpty, file.hasSuffix(".md") else { return nil }
        let anchors = headings(try text(file)).map(anchor)
        return anchors.contains(fragment) ? nil : "no heading #\(fragment) in \(file)"
    }

    @Test("no heading line appears twice in README.md (code blocks aside)")
    func readmeHeadingsAreUnique() throws {
        let headings = Self.headings(try Self.text(Self.readme))
        #expect(headings.count >= 10, "found only \(headings.count) headings")
        #expect(headings.contains("## Library"))
        #expect(Self.repeated(headings) == [])
    }

    @Test("no heading line appears twice within a docs page")
    func docsHeadingsAreUnique() throws {
        let pages = try Self.docPages()
        #expect(pages.count >= 10, "found only \(pages.count) pages in docs/")
        for page in pages {
            let headings = Self.headings(try Self.text(page))
            #expect(!headings.isEmpty, "\(page) has no heading")
            #expect(Self.repeated(headings) == [], "\(page)")
        }
    }

    @Test("the fence-aware heading scan skips lines in code blocks and sees repeats")
    func headingScan() {
        let sample = "# a\n```\n# not a heading\n```\n## b\n~~~~ text\n```\n# c\n~~~~\n## b\n"
        #expect(Self.headings(sample) == ["# a", "## b", "## b"])
        #expect(Self.repeated(Self.headings(sample)) == ["## b"])
        #expect(Self.anchor("#### GGUF output for llama.cpp (BERT)") == "gguf-output-for-llamacpp-bert")
        #expect(Self.linkTargets("[a](docs/x.md#y) `[b](c)` [d](https://e) ![f](g.png \"t\")\n```\n[h](i)\n```")
                == ["docs/x.md#y", "https://e", "g.png"])
    }

    @Test("README.md has at most 600 lines")
    func readmeIsShort() throws {
        let count = Self.lines(try Self.text(Self.readme)).count
        #expect(count > 100, "README.md has only \(count) lines: is it the real one?")
        #expect(count <= 600, "README.md has \(count) lines; move reference material into docs/")
    }

    @Test("every relative link in README.md and docs/*.md points at a file that exists")
    func relativeLinksResolve() throws {
        let readmeTargets = Self.linkTargets(try Self.text(Self.readme))
        #expect(readmeTargets.filter { $0.hasPrefix("docs/") }.count >= 10, "README links to few docs pages: \(readmeTargets)")
        var checked = 0
        for page in [Self.readme] + (try Self.docPages()) {
            for target in Self.linkTargets(try Self.text(page)) {
                checked += 1
                let problem = try Self.brokenLink(target, from: page)
                #expect(problem == nil, "\(page): [\u{2026}](\(target)): \(problem ?? "")")
            }
        }
        #expect(checked >= 30, "checked only \(checked) links")
    }

    @Test("every docs page is linked from the README")
    func docsAreReachable() throws {
        let targets = Set(Self.linkTargets(try Self.text(Self.readme)).map { $0.split(separator: "#").first.map(String.init) ?? $0 })
        let pages = try Self.docPages().map { "docs/" + URL(fileURLWithPath: $0).lastPathComponent }
        #expect(!pages.isEmpty)
        #expect(pages.filter { !targets.contains($0) } == [], "pages in docs/ that README.md does not link to")
    }
}
