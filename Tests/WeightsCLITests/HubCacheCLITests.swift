import Foundation
import Testing
import WeightsKit

/// `ORG/NAME[@REVISION]` model arguments resolved offline in a Hugging Face cache built as
/// huggingface_hub lays it out (file_download.py: blobs/<hash>, snapshots/<commit>/<file>
/// as relative symlinks into ../../blobs, refs/<revision> holding the commit, no newline),
/// from the real all-MiniLM-L6-v2 folder.
@Suite("weights on Hugging Face cache names", .serialized)
struct HubCacheCLITests {
    static let minilm = QuantizeCLITests.minilm
    static let commit = "c9745ed1d9f207416be6d2e6f8de32d1f16199bf"
    static let repo = "sentence-transformers/all-MiniLM-L6-v2"

    /// A cache in `directory`/hub holding MiniLM at `commit`, refs main and v1.
    static func makeCache(_ directory: TemporaryDirectory) throws -> String {
        try #require(FileManager.default.fileExists(atPath: minilm + "/model.safetensors"), "run `make minilm` first")
        let manager = FileManager.default
        let root = directory.file("hub")
        let folder = root + "/models--sentence-transformers--all-MiniLM-L6-v2"
        try manager.createDirectory(atPath: folder + "/blobs", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: folder + "/refs", withIntermediateDirectories: true)
        let files = try manager.subpathsOfDirectory(atPath: minilm).filter { path in
            var isDirectory: ObjCBool = false
            return manager.fileExists(atPath: minilm + "/" + path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        for (index, name) in files.sorted().enumerated() {
            let blob = String(format: "%040x", index + 1)
            do { try manager.linkItem(atPath: minilm + "/" + name, toPath: folder + "/blobs/" + blob) } catch {
                try manager.copyItem(atPath: minilm + "/" + name, toPath: folder + "/blobs/" + blob)
            }
            let link = folder + "/snapshots/\(commit)/" + name
            try manager.createDirectory(atPath: (link as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let depth = name.split(separator: "/").count + 1
            try manager.createSymbolicLink(atPath: link, withDestinationPath: String(repeating: "../", count: depth) + "blobs/" + blob)
        }
        for ref in ["main", "v1"] { try Data(commit.utf8).write(to: URL(fileURLWithPath: folder + "/refs/" + ref)) }
        return root
    }

    static func run(_ arguments: [String], environment: String, currentDirectory: String? = nil) throws -> CLI.Result {
        try CLI.run(arguments, shellPrefix: "unset HF_HUB_CACHE HUGGINGFACE_HUB_CACHE HF_HOME XDG_CACHE_HOME; export \(environment)", currentDirectory: currentDirectory)
    }

    /// The output without the line that names the path, and without verify's timing.
    static func withoutPath(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { !$0.hasPrefix("path ") }.map { line in
            line.hasPrefix("ok: ") ? line.prefix(while: { $0 != "(" }).split(separator: " in ").first ?? line : line
        }
    }

    @Test("inspect, validate, verify, tokenize and embed take ORG/NAME from HF_HUB_CACHE and print what they print for the folder")
    func commandsResolve() throws {
        let directory = TemporaryDirectory()
        let cache = try Self.makeCache(directory)
        for arguments in [["inspect"], ["validate"], ["verify"], ["tokenize", "@", "Hello world"], ["embed", "@", "--text", "Hello world"]] {
            let viaCache = arguments.count == 1 ? arguments + [Self.repo] : arguments.map { $0 == "@" ? Self.repo : $0 }
            let direct = arguments.count == 1 ? arguments + [Self.minilm] : arguments.map { $0 == "@" ? Self.minilm : $0 }
            let cached = try Self.run(viaCache, environment: "HF_HUB_CACHE='\(cache)'")
            let reference = try CLI.run(direct)
            #expect(cached.status == 0 && reference.status == 0, "\(arguments): \(cached.stderr)")
            #expect(Self.withoutPath(cached.stdout) == Self.withoutPath(reference.stdout), "\(arguments)")
            #expect(!cached.stdout.isEmpty)
        }
        let inspect = try Self.run(["inspect", Self.repo], environment: "HF_HUB_CACHE='\(cache)'")
        #expect(inspect.stdout.contains("snapshots/\(Self.commit)"))
        #expect(inspect.stdout.contains("tensors     104\nparameters  22,713,728\n"), "\(inspect.stdout)")
    }

    @Test("embed through the cache gives the sentence-transformers reference embedding")
    func embedMatchesReference() throws {
        let directory = TemporaryDirectory()
        let cache = try Self.makeCache(directory)
        let text = EmbedSentenceTransformersCLITests.texts[0]
        let result = try Self.run(["embed", Self.repo + "@v1", "--text", text, "--json"], environment: "HF_HUB_CACHE='\(cache)'")
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(EmbedSentenceTransformersCLITests.Report.self, from: Data(result.stdout.utf8))
        let error = EmbedSentenceTransformersCLITests.maxError(try #require(report.sentence_embedding.first), try EmbedSentenceTransformersCLITests.expected("default", row: 0))
        #expect(error < 1e-4, "max abs error \(error)")
    }

    @Test("HF_HOME/hub, XDG_CACHE_HOME/huggingface/hub and ~/.cache/huggingface/hub are used in that order when HF_HUB_CACHE is unset")
    func fallbacks() throws {
        let directory = TemporaryDirectory()
        let cache = try Self.makeCache(directory)
        let home = directory.file("home")
        try FileManager.default.createDirectory(atPath: home + "/.cache/huggingface", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: home + "/.cache/huggingface/hub", withDestinationPath: cache)
        let hfHome = try Self.run(["inspect", Self.repo], environment: "HF_HOME='\(directory.path)'")
        #expect(hfHome.status == 0, "\(hfHome.stderr)")
        let xdg = try Self.run(["inspect", Self.repo], environment: "XDG_CACHE_HOME='\(home)/.cache'")
        #expect(xdg.status == 0, "\(xdg.stderr)")
        let defaultCache = try Self.run(["inspect", Self.repo], environment: "HOME='\(home)'")
        #expect(defaultCache.status == 0, "\(defaultCache.stderr)")
        // HF_HUB_CACHE wins over HF_HOME: an empty cache there is not found, though HF_HOME has it.
        let wins = try Self.run(["inspect", Self.repo], environment: "HF_HUB_CACHE='\(directory.file("empty"))' HF_HOME='\(directory.path)'")
        #expect(wins.status == 1)
        #expect(wins.stderr.contains(directory.file("empty") + "/models--sentence-transformers--all-MiniLM-L6-v2"), "\(wins.stderr)")
    }

    @Test("a missing model fails in one line naming where it looked; nothing is downloaded")
    func missing() throws {
        let directory = TemporaryDirectory()
        let cache = try Self.makeCache(directory)
        let result = try Self.run(["inspect", "acme/no-such-model"], environment: "HF_HUB_CACHE='\(cache)'")
        #expect(result.status == 1)
        #expect(result.stderr == "weights: error: acme/no-such-model: no such file or directory, and not in the Hugging Face cache \(cache) (HF_HUB_CACHE); looked for \(cache)/models--acme--no-such-model; nothing is downloaded [hub-model-not-found]\n")
        let revision = try Self.run(["embed", Self.repo + "@v7", "--text", "x"], environment: "HF_HUB_CACHE='\(cache)'")
        #expect(revision.status == 1)
        #expect(revision.stderr.contains("refs/v7") && revision.stderr.contains("[hub-model-not-found]"), "\(revision.stderr)")
        #expect(revision.stderr.split(separator: "\n").count == 1)
        // diff and convert take the same names.
        let diff = try Self.run(["diff", Self.repo, "acme/other"], environment: "HF_HUB_CACHE='\(cache)'")
        #expect(diff.status == 1 && diff.stderr.contains("models--acme--other"), "\(diff.stderr)")
        let convert = try Self.run(["convert", "acme/other", directory.file("out.safetensors")], environment: "HF_HUB_CACHE='\(cache)'")
        #expect(convert.status == 1 && convert.stderr.contains("models--acme--other"), "\(convert.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.file("out.safetensors")))
    }

    @Test("convert reads a cached model and writes where it is told")
    func convertFromCache() throws {
        let directory = TemporaryDirectory()
        let cache = try Self.makeCache(directory)
        let output = directory.file("out.safetensors")
        let result = try Self.run(["convert", Self.repo + "@" + Self.commit, output], environment: "HF_HUB_CACHE='\(cache)'")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.contentsEqual(atPath: output, andPath: Self.minilm + "/model.safetensors"))
    }

    @Test("convert ORG/NAME OUT/ carries the snapshot's files (symlinks into blobs/, in module folders too) as plain copies")
    func convertCacheToFolder() throws {
        let directory = TemporaryDirectory()
        let cache = try Self.makeCache(directory)
        let out = directory.file("out") + "/"
        let result = try Self.run(["convert", Self.repo + "@" + Self.commit, out, "--dtype", "f16", "--quiet"], environment: "HF_HUB_CACHE='\(cache)'")
        #expect(result.status == 0, "\(result.stderr)")
        let written = ModelFolderCLITests.files(under: out)
        #expect(written == ModelFolderCLITests.files(under: Self.minilm).filter { !$0.hasPrefix(".") }, "\(written)")
        for name in written where !["config.json", "model.safetensors"].contains(name) {
            #expect(readBytes(out + name) == readBytes(Self.minilm + "/" + name), "\(name)")
            let type = try FileManager.default.attributesOfItem(atPath: out + name)[.type] as? FileAttributeType
            #expect(type == .typeRegular, "\(name)")
        }
        #expect(try CLI.run(["embed", out, "--text", "Hello world"]).status == 0)
    }

    @Test("hostile revisions and ref contents are refused before any file is opened")
    func hostile() throws {
        let directory = TemporaryDirectory()
        let cache = try Self.makeCache(directory)
        for revision in ["../../../etc", "/etc/passwd", "main/../../x"] {
            let result = try Self.run(["inspect", Self.repo + "@" + revision], environment: "HF_HUB_CACHE='\(cache)'")
            #expect(result.status == 1)
            #expect(result.stderr.hasSuffix("[hub-revision-invalid]\n"), "\(result.stderr)")
        }
        let refs = cache + "/models--sentence-transformers--all-MiniLM-L6-v2/refs/main"
        try Data("../../../../../../etc".utf8).write(to: URL(fileURLWithPath: refs))
        let result = try Self.run(["inspect", Self.repo], environment: "HF_HUB_CACHE='\(cache)'")
        #expect(result.status == 1)
        #expect(result.stderr == "weights: error: \(Self.repo): \(refs) does not hold a commit hash (40 lowercase hex digits, as huggingface_hub writes refs) [hub-ref-invalid]\n")
    }

    @Test("an existing local path always wins over the cache")
    func localPathWins() throws {
        let directory = TemporaryDirectory()
        let cache = try Self.makeCache(directory)
        let local = directory.file("work/sentence-transformers/all-MiniLM-L6-v2")
        try FileManager.default.createDirectory(atPath: local, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLI.path("Formats/vectors/fp8/fp8-weights.safetensors"), toPath: local + "/model.safetensors")
        let result = try Self.run(["inspect", Self.repo], environment: "HF_HUB_CACHE='\(cache)'", currentDirectory: directory.file("work"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("path        \(Self.repo)\n") && result.stdout.contains("tensors     5\n"), "\(result.stdout)")
    }
}
