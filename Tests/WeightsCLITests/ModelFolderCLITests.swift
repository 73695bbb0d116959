import Foundation
import Testing
@testable import WeightsKit

/// `weights convert DIR OUTDIR/`: the converted weights plus the folder's other files, as
/// one set; for int8, the compressed-tensors layout and quantization_config that
/// transformers reads (checked against compressed-tensors' own output and classes by
/// Scripts/make_compressed_tensors_reference.py, whose transformers check is recorded in
/// SampleModels/compressed-tensors/transformers-check.json).
@Suite("convert to model folders")
struct ModelFolderCLITests {
    static let root = CLI.path("SampleModels/compressed-tensors")

    struct Layout: Decodable, Equatable {
        let dtype: String
        let shape: [Int]
    }

    struct Expected: Decodable {
        let tensors: [String: Layout]
    }

    static func json(_ path: String) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? NSDictionary)
    }

    static func layout(_ path: String) throws -> [String: Layout] {
        let file = try SafetensorsFile(path: path)
        var layout: [String: Layout] = [:]
        for info in file.tensors { layout[info.name] = Layout(dtype: info.dtype.rawValue, shape: info.shape.dims) }
        return layout
    }

    static func files(under directory: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue { files.append(path) }
        }
        return files.sorted()
    }

    @Test("--dtype int8: quantization_config and tensor layout exactly as compressed-tensors writes them")
    func int8Folder() throws {
        let directory = TemporaryDirectory()
        let out = directory.file("int8") + "/"
        let result = try CLI.run(["convert", Self.root + "/tiny-bert", out, "--dtype", "int8", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.files(under: out) == ["config.json", "model.safetensors", "vocab.txt"])
        let expectedConfig = try Self.json(Self.root + "/tiny-bert-ct/config.json")
        let written = try Self.json(out + "config.json")
        let ours = try #require(written["quantization_config"] as? NSDictionary)
        let theirs = try #require(expectedConfig["quantization_config"] as? NSDictionary)
        // compressed-tensors also writes its version and defaults; every key we write has its value.
        for key in ["quant_method", "format", "quantization_status", "ignore"] {
            #expect(ours[key] as? NSObject == theirs[key] as? NSObject, "\(key)")
        }
        let ourGroup = try #require((ours["config_groups"] as? NSDictionary)?["group_0"] as? NSDictionary)
        let theirGroup = try #require((theirs["config_groups"] as? NSDictionary)?["group_0"] as? NSDictionary)
        for key in ["targets", "format", "input_activations", "output_activations"] {
            #expect(ourGroup[key] as? NSObject == theirGroup[key] as? NSObject, "group_0.\(key)")
        }
        let ourWeights = try #require(ourGroup["weights"] as? NSDictionary)
        let theirWeights = try #require(theirGroup["weights"] as? NSDictionary)
        #expect(Set(ourWeights.allKeys as! [String]) == ["num_bits", "type", "symmetric", "strategy", "dynamic"])
        for key in ourWeights.allKeys as! [String] { #expect(ourWeights[key] as? NSObject == theirWeights[key] as? NSObject, "weights.\(key)") }
        // The rest of config.json is the input's.
        let input = try Self.json(Self.root + "/tiny-bert/config.json").mutableCopy() as! NSMutableDictionary
        let rest = written.mutableCopy() as! NSMutableDictionary
        rest.removeObject(forKey: "quantization_config")
        #expect(rest == input)
        let expected = FixtureFiles.decode(Expected.self, from: Self.root + "/expected.json")
        #expect(try Self.layout(out + "model.safetensors") == expected.tensors)
        #expect(readBytes(out + "vocab.txt") == readBytes(Self.root + "/tiny-bert/vocab.txt"))
        #expect(try CLI.run(["validate", out]).status == 0)
    }

    @Test("the committed quantization_config is what the fixture script validated with compressed-tensors")
    func committedConfig() throws {
        let check = try Self.json(Self.root + "/transformers-check.json")
        #expect(check["tiny_quantization_config_matches"] as? Bool == true)
        #expect(check["tiny_tensor_layout_matches"] as? Bool == true)
        #expect(try #require(check["minilm_max_abs_diff_embeddings"] as? Double) <= 1e-4)
    }

    @Test("an llm-compressor folder validates and embeds; --dtype f32 drops the quantization_config and the marker")
    func fromCompressedTensors() throws {
        let validate = try CLI.run(["validate", Self.root + "/tiny-bert-ct"])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        let embed = try CLI.run(["embed", Self.root + "/tiny-bert-ct", "--ids", "2,7,9,11,3"])
        #expect(embed.status == 0, "\(embed.stderr)")

        let directory = TemporaryDirectory()
        let out = directory.file("f32") + "/"
        let result = try CLI.run(["convert", Self.root + "/tiny-bert-ct", out, "--dtype", "f32", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let config = try Self.json(out + "config.json")
        #expect(config["quantization_config"] == nil)
        #expect(config["dtype"] as? String == "float32")
        let file = try SafetensorsFile(path: out + "model.safetensors")
        #expect(file.tensors.allSatisfy { $0.dtype == .f32 })
        #expect(!file.tensors.contains { $0.name.hasSuffix("_scale") })
        #expect(file.metadata?["weights.int8_per_row"] == nil)

        // Our own int8 single file converted to f32 loses its marker too.
        let int8 = directory.file("m.safetensors")
        #expect(try CLI.run(["convert", Self.root + "/tiny-bert", int8, "--dtype", "int8", "--quiet"]).status == 0)
        #expect(try SafetensorsFile(path: int8).metadata?["weights.int8_per_row"] != nil)
        #expect(try CLI.run(["convert", int8, directory.file("back.safetensors"), "--dtype", "f32", "--quiet"]).status == 0)
        #expect(try SafetensorsFile(path: directory.file("back.safetensors")).metadata?["weights.int8_per_row"] == nil)
    }

    @Test("every other file is copied (subfolders too); weights, hidden entries, outside symlinks and FIFOs are not")
    func carriesFiles() throws {
        let directory = TemporaryDirectory()
        let model = directory.file("model")
        let manager = FileManager.default
        try manager.createDirectory(atPath: model + "/1_Pooling", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: model + "/onnx", withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors", "vocab.txt"] {
            try manager.copyItem(atPath: Self.root + "/tiny-bert/" + name, toPath: model + "/" + name)
        }
        try Data("{\"word_embedding_dimension\": 32, \"pooling_mode_mean_tokens\": true}".utf8).write(to: URL(fileURLWithPath: model + "/1_Pooling/config.json"))
        try Data("# tiny\n".utf8).write(to: URL(fileURLWithPath: model + "/README.md"))
        try Data("old weights".utf8).write(to: URL(fileURLWithPath: model + "/pytorch_model.bin"))
        try Data("onnx".utf8).write(to: URL(fileURLWithPath: model + "/onnx/model.onnx"))
        try Data("*.bin lfs".utf8).write(to: URL(fileURLWithPath: model + "/.gitattributes"))
        try Data("secret".utf8).write(to: URL(fileURLWithPath: directory.file("outside.txt")))
        try manager.createSymbolicLink(atPath: model + "/leak.txt", withDestinationPath: directory.file("outside.txt"))
        try manager.createSymbolicLink(atPath: model + "/notes.md", withDestinationPath: "README.md")
        #expect(mkfifo(model + "/pipe", 0o644) == 0)

        let out = directory.file("out") + "/"
        let result = try CLI.run(["convert", model, out, "--dtype", "f16", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.files(under: out) == ["1_Pooling/config.json", "README.md", "config.json", "model.safetensors", "notes.md", "vocab.txt"])
        #expect(readBytes(out + "notes.md") == Array("# tiny\n".utf8))
        #expect(readBytes(out + "1_Pooling/config.json") == readBytes(model + "/1_Pooling/config.json"))
        let attributes = try manager.attributesOfItem(atPath: out + "notes.md")
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        // transformers 5 wrote "dtype" (no "torch_dtype"): that key is updated, none added.
        let config = try Self.json(out + "config.json")
        #expect(config["dtype"] as? String == "float16")
        #expect(config["torch_dtype"] == nil)
        #expect(try SafetensorsFile(path: out + "model.safetensors").tensors.first { $0.name == "embeddings.word_embeddings.weight" }?.dtype == .f16)
        // Nothing else was left beside the output (no staging directory).
        #expect(directory.contents == ["model", "out", "outside.txt"])

        // Without --dtype: config.json is copied byte for byte; the weights as well.
        let plain = directory.file("plain") + "/"
        #expect(try CLI.run(["convert", model, plain, "--quiet"]).status == 0)
        #expect(readBytes(plain + "config.json") == readBytes(model + "/config.json"))
        #expect(readBytes(plain + "model.safetensors") == readBytes(model + "/model.safetensors"))
    }

    @Test("an existing folder needs --force, which replaces only what it writes and refuses stale weights")
    func existingFolder() throws {
        let directory = TemporaryDirectory()
        let out = directory.file("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: URL(fileURLWithPath: out + "/keep.txt"))
        let refused = try CLI.run(["convert", Self.root + "/tiny-bert", out, "--quiet"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("file exists"), "\(refused.stderr)")
        #expect(directory.contents == ["out"])
        let forced = try CLI.run(["convert", Self.root + "/tiny-bert", out, "--force", "--quiet"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(Self.files(under: out) == ["config.json", "keep.txt", "model.safetensors", "vocab.txt"])
        #expect(readBytes(out + "/keep.txt") == Array("mine".utf8))
        // Shards would sit beside the old model.safetensors: refused, nothing changed.
        let before = readBytes(out + "/model.safetensors")
        let sharded = try CLI.run(["convert", Self.root + "/tiny-bert", out + "/", "--force", "--shard-size", "20KB", "--quiet"])
        #expect(sharded.status == 1)
        #expect(sharded.stderr.contains("model.safetensors"), "\(sharded.stderr)")
        #expect(readBytes(out + "/model.safetensors") == before)
        // A file where the folder should be, and the input folder itself, are refused.
        try Data().write(to: URL(fileURLWithPath: directory.file("file")))
        #expect(try CLI.run(["convert", Self.root + "/tiny-bert", directory.file("file"), "--to", "dir", "--force"]).status == 1)
        #expect(try CLI.run(["convert", out, out + "/inner/", "--quiet"]).status == 1)
    }

    @Test("sharded and WeightPack folders; a sentence-transformers layout keeps its 0_Transformer subfolder")
    func formatsAndSubfolder() throws {
        let directory = TemporaryDirectory()
        let sharded = directory.file("sharded") + "/"
        #expect(try CLI.run(["convert", Self.root + "/tiny-bert", sharded, "--shard-size", "20KB", "--quiet"]).status == 0)
        let files = Self.files(under: sharded)
        #expect(files.contains("model.safetensors.index.json") && files.contains("model-00001-of-00006.safetensors"), "\(files)")
        #expect(try CLI.run(["validate", sharded]).status == 0)
        let pack = directory.file("pack") + "/"
        #expect(try CLI.run(["convert", Self.root + "/tiny-bert-ct", pack, "--to", "wpk", "--quiet"]).status == 0)
        #expect(Self.files(under: pack) == ["config.json", "model.wpk", "vocab.txt"])
        #expect(try Self.json(pack + "config.json")["quantization_config"] == nil)
        #expect(try CLI.run(["validate", pack]).status == 0)

        let model = directory.file("st")
        try FileManager.default.createDirectory(atPath: model + "/0_Transformer", withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors", "vocab.txt"] {
            try FileManager.default.copyItem(atPath: Self.root + "/tiny-bert/" + name, toPath: model + "/0_Transformer/" + name)
        }
        try Data("[{\"idx\": 0, \"name\": \"0\", \"path\": \"0_Transformer\", \"type\": \"sentence_transformers.models.Transformer\"}]".utf8)
            .write(to: URL(fileURLWithPath: model + "/modules.json"))
        let out = directory.file("st-int8") + "/"
        let result = try CLI.run(["convert", model, out, "--dtype", "int8", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Self.files(under: out) == ["0_Transformer/config.json", "0_Transformer/model.safetensors", "0_Transformer/vocab.txt", "modules.json"])
        #expect(try Self.json(out + "0_Transformer/config.json")["quantization_config"] != nil)
    }

    @Test("a write that fails on shard 2 (ulimit -f) leaves no folder and no staging directory")
    func failureLeavesNothing() throws {
        let input = TemporaryDirectory()
        PublishCLITests.makeInput(input.file("in.safetensors"), sizes: [16 << 10, 128 << 10, 16 << 10])
        let directory = TemporaryDirectory()
        let result = try CLI.run(["convert", input.file("in.safetensors"), directory.file("out") + "/", "--shard-size", "20kB"],
                                 shellPrefix: "ulimit -f 64")
        #expect(result.status == 1)
        #expect(result.stderr.contains("File too large"), "\(result.stderr)")
        #expect(directory.contents == [])
    }

    @Test("SIGTERM while the folder is written leaves nothing, with and without O_TMPFILE",
          arguments: [[:], ["WEIGHTS_NO_O_TMPFILE": "1"]])
    func signalLeavesNothing(_ environment: [String: String]) throws {
        let input = TemporaryDirectory()
        PublishCLITests.makeInput(input.file("in.safetensors"), sizes: [16 << 10, 16 << 10])
        try Data("{}".utf8).write(to: URL(fileURLWithPath: input.file("config.json")))
        let directory = TemporaryDirectory()
        // Stopped before its last tensor: the folder is being assembled under a hidden name.
        let (process, _) = try PublishCLITests.startStopped(["convert", input.file("in.safetensors"), directory.file("out") + "/", "--no-sync"],
                                                            environment: environment)
        #expect(PublishCLITests.holdsOutput(process, in: directory.path), "stopped without its output open")
        #expect(directory.contents.count == 1 && directory.contents[0].hasPrefix(".wt-"), "no staging directory: \(directory.contents)")
        PublishCLITests.signalStopped(process, with: SIGTERM)
        #expect(directory.contents == [])
    }
}
