import Foundation
import Testing
@testable import WeightsKit

/// A cache laid out as huggingface_hub writes it (file_download.py): blobs named by hash,
/// snapshot files as relative symlinks into ../../blobs (one level deeper for files in
/// subfolders), refs/<revision> holding the 40-hex commit without a newline.
struct FakeHubCache {
    let root: String
    static let commit = "c9745ed1d9f207416be6d2e6f8de32d1f16199bf"
    static let other = "0123456789abcdef0123456789abcdef01234567"

    init(_ directory: TemporaryDirectory) {
        root = directory.file("hub")
    }

    var folder: String { root + "/models--acme--tiny-model" }

    /// Adds `files` (relative name → bytes) as snapshot `commit`, pointed at by `refs`.
    func add(commit: String = FakeHubCache.commit, refs: [String] = ["main"], files: [String: [UInt8]]) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder + "/blobs", withIntermediateDirectories: true)
        for (name, bytes) in files {
            let blob = String(format: "%016llx", UInt64(bitPattern: Int64(bytes.hashValue))) + String(bytes.count)
            writeBytes(bytes, to: folder + "/blobs/" + blob)
            let link = folder + "/snapshots/\(commit)/" + name
            try manager.createDirectory(atPath: (link as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let depth = name.split(separator: "/").count + 1
            try manager.createSymbolicLink(atPath: link, withDestinationPath: String(repeating: "../", count: depth) + "blobs/" + blob)
        }
        for ref in refs {
            let path = folder + "/refs/" + ref
            try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(commit.utf8).write(to: URL(fileURLWithPath: path))
        }
    }
}

@Suite("Hugging Face cache")
struct HubCacheTests {
    @Test("the cache directory follows huggingface_hub's precedence of variables")
    func precedence() {
        func cache(_ variables: [String: String]) -> HubCache { HubCache(environment: { variables[$0] }) }
        let all = ["HF_HUB_CACHE": "/a", "HUGGINGFACE_HUB_CACHE": "/b", "HF_HOME": "/c", "XDG_CACHE_HOME": "/d", "HOME": "/home/u"]
        #expect(cache(all).directory == "/a")
        #expect(cache(all.filter { $0.key != "HF_HUB_CACHE" }).directory == "/b")
        #expect(cache(["HF_HOME": "/c", "XDG_CACHE_HOME": "/d", "HOME": "/home/u"]).directory == "/c/hub")
        #expect(cache(["XDG_CACHE_HOME": "/d", "HOME": "/home/u"]).directory == "/d/huggingface/hub")
        #expect(cache(["HOME": "/home/u"]).directory == "/home/u/.cache/huggingface/hub")
        #expect(cache(["HF_HOME": "~/hf", "HOME": "/home/u"]).directory == "/home/u/hf/hub")
        #expect(cache(["HF_HUB_CACHE": "", "HF_HOME": "/c"]).directory == "/c/hub")
    }

    @Test("ORG/NAME[@REVISION] parses; other spellings are paths; hostile revisions are refused")
    func parsing() throws {
        #expect(try HubReference.parse("sentence-transformers/all-MiniLM-L6-v2") == HubReference(organization: "sentence-transformers", name: "all-MiniLM-L6-v2", revision: nil))
        #expect(try HubReference.parse("org/name@v1.0")?.revision == "v1.0")
        #expect(try HubReference.parse("org/name@refs/pr/1")?.revision == "refs/pr/1")
        #expect(try HubReference.parse("org/name")?.folderName == "models--org--name")
        for path in ["model", "a/b/c", "./org/name", "/org/name", "org/", "/name", "org/na--me", "org/..", "org/.name", "org/name-", "org/na me", "../name"] {
            #expect(try HubReference.parse(path) == nil, "\(path)")
        }
        for revision in ["", "/etc/passwd", "../../x", "a/../../b", "a//b", "x/..", ".", "a\u{0}b", "a\\b", "a\nb"] {
            #expect(throws: HubCacheError.unsafeRevision(repo: "org/name", revision: revision)) { try HubReference.parse("org/name@" + revision) }
        }
    }

    @Test("refs/main, a named ref and a commit hash lead to the snapshot; files are followed through the blob symlinks")
    func resolves() throws {
        let directory = TemporaryDirectory()
        let fake = FakeHubCache(directory)
        try fake.add(files: ["config.json": Array("{}".utf8), "1_Pooling/config.json": [1, 2]])
        try fake.add(commit: FakeHubCache.other, refs: ["v2", "refs/pr/7"], files: ["config.json": Array("{\"v\":2}".utf8)])
        let cache = HubCache(directory: fake.root, chosenBy: "HF_HUB_CACHE")
        let main = try HubCache.resolve("acme/tiny-model", cache: cache)
        #expect(main == fake.folder + "/snapshots/" + FakeHubCache.commit)
        #expect(readBytes(main + "/config.json") == Array("{}".utf8))
        #expect(readBytes(main + "/1_Pooling/config.json") == [1, 2])
        #expect(try HubCache.resolve("acme/tiny-model@v2", cache: cache) == fake.folder + "/snapshots/" + FakeHubCache.other)
        #expect(try HubCache.resolve("acme/tiny-model@refs/pr/7", cache: cache) == fake.folder + "/snapshots/" + FakeHubCache.other)
        #expect(try HubCache.resolve("acme/tiny-model@" + FakeHubCache.other, cache: cache) == fake.folder + "/snapshots/" + FakeHubCache.other)
    }

    @Test("a non-Hub spelling passes through for the loader to report")
    func passesThrough() throws {
        let cache = HubCache(directory: "/nonexistent", chosenBy: "HF_HUB_CACHE")
        #expect(try HubCache.resolve("missing.safetensors", cache: cache) == "missing.safetensors")
        #expect(try HubCache.resolve("a/b/c.safetensors", cache: cache) == "a/b/c.safetensors")
        #expect(try HubCache.resolve(Fixtures.path("Formats/vectors/fp8"), cache: cache) == Fixtures.path("Formats/vectors/fp8"))
    }

    @Test("what is missing is named with where it was looked for")
    func missing() throws {
        let directory = TemporaryDirectory()
        let fake = FakeHubCache(directory)
        let cache = HubCache(directory: fake.root, chosenBy: "HF_HUB_CACHE")
        #expect(throws: HubCacheError.notFound(argument: "acme/tiny-model", cache: fake.root, chosenBy: "HF_HUB_CACHE", lookedFor: [fake.folder])) {
            try HubCache.resolve("acme/tiny-model", cache: cache)
        }
        try fake.add(files: ["config.json": [0]])
        #expect(throws: HubCacheError.notFound(argument: "acme/tiny-model@v9", cache: fake.root, chosenBy: "HF_HUB_CACHE", lookedFor: [fake.folder + "/refs/v9"])) {
            try HubCache.resolve("acme/tiny-model@v9", cache: cache)
        }
        let absent = "ffffffffffffffffffffffffffffffffffffffff"
        #expect(throws: HubCacheError.notFound(argument: "acme/tiny-model@\(absent)", cache: fake.root, chosenBy: "HF_HUB_CACHE", lookedFor: [fake.folder + "/snapshots/" + absent])) {
            try HubCache.resolve("acme/tiny-model@" + absent, cache: cache)
        }
        let error = HubCacheError.notFound(argument: "acme/tiny-model", cache: fake.root, chosenBy: "HF_HUB_CACHE", lookedFor: [fake.folder])
        #expect(error.description.contains(fake.folder) && error.description.hasSuffix("[hub-model-not-found]"))
    }

    @Test("ref contents are not trusted: anything but a 40-hex commit is refused, never followed")
    func hostileRef() throws {
        let directory = TemporaryDirectory()
        let fake = FakeHubCache(directory)
        try fake.add(files: ["config.json": [0]])
        let cache = HubCache(directory: fake.root, chosenBy: "HF_HUB_CACHE")
        for contents in ["../../../../etc", "/etc", FakeHubCache.commit + "\n", FakeHubCache.commit.uppercased(), "", String(repeating: "a", count: 4096)] {
            try Data(contents.utf8).write(to: URL(fileURLWithPath: fake.folder + "/refs/main"))
            #expect(throws: HubCacheError.invalidRef(argument: "acme/tiny-model", path: fake.folder + "/refs/main")) {
                try HubCache.resolve("acme/tiny-model", cache: cache)
            }
        }
    }
}
