import Foundation
import Testing
import TestSupport
import WeightsKit

@Suite("ModelLocation and the questions TensorSource answers")
struct ModelLocationTests {
    private func touch(_ path: String, _ text: String = "") {
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)), "cannot create \(path)")
    }

    @Test("side files are looked up beside the weights, or in the directory given")
    func directory() {
        let directory = TemporaryDirectory()
        touch(directory.file("model.safetensors"))
        let fromFile = ModelLocation(directory.file("model.safetensors"))
        #expect(fromFile.directory == directory.path)
        #expect(fromFile.configFile == directory.file("config.json"))
        #expect(fromFile.sideFile("vocab.txt") == directory.file("vocab.txt"))
        let fromDirectory = ModelLocation(directory.path)
        #expect(fromDirectory.directory == directory.path)
        #expect(fromDirectory.path == directory.path)
    }

    @Test("tokenizer.json is preferred to vocab.txt; a named tokenizer file is taken as it is")
    func tokenizer() {
        let directory = TemporaryDirectory()
        #expect(ModelLocation(directory.path).tokenizer == nil)
        touch(directory.file("vocab.txt"))
        #expect(ModelLocation(directory.path).tokenizer
            == .vocabulary(directory.file("vocab.txt"), configuration: directory.file("tokenizer_config.json")))
        touch(directory.file("tokenizer.json"))
        #expect(ModelLocation(directory.path).tokenizer == .tokenizerJSON(directory.file("tokenizer.json")))
        #expect(ModelLocation(directory.file("model.safetensors")).tokenizer == .tokenizerJSON(directory.file("tokenizer.json")))
        #expect(ModelLocation(directory.file("vocab.txt")).tokenizer
            == .vocabulary(directory.file("vocab.txt"), configuration: directory.file("tokenizer_config.json")))
        // tokenizer_config.json is settings, not a tokenizer: it stands for its directory.
        #expect(ModelLocation(directory.file("tokenizer_config.json")).tokenizer == .tokenizerJSON(directory.file("tokenizer.json")))
    }

    @Test("spm.model (or spiece.model) makes a sentencepiece tokenizer, before a converted tokenizer.json")
    func sentencePiece() {
        let directory = TemporaryDirectory()
        let configuration = directory.file("tokenizer_config.json")
        touch(directory.file("spiece.model"))
        #expect(ModelLocation(directory.path).tokenizer == .sentencePiece(directory.file("spiece.model"), configuration: configuration))
        touch(directory.file("spm.model"))
        touch(directory.file("tokenizer.json"))
        touch(directory.file("vocab.txt"))
        #expect(ModelLocation(directory.path).tokenizer == .sentencePiece(directory.file("spm.model"), configuration: configuration))
        #expect(ModelLocation(directory.file("pytorch_model.bin")).tokenizer == .sentencePiece(directory.file("spm.model"), configuration: configuration))
        #expect(ModelLocation(directory.file("spiece.model")).tokenizer == .sentencePiece(directory.file("spiece.model"), configuration: configuration))
        #expect(ModelLocation(directory.file("tokenizer.json")).tokenizer == .tokenizerJSON(directory.file("tokenizer.json")))
    }

    @Test("a WeightPack file answers for its embedded config, checksums and storage; safetensors has none of them")
    func protocolAnswers() throws {
        let directory = TemporaryDirectory()
        let sample = try ModelLoader.open(ModelFixtures.tinyDeberta)
        #expect(sample.embeddedConfig == nil)
        #expect(sample.verifyChecksums() == nil)
        #expect(sample.storageDescription == nil)

        let config = #"{"model_type": "bert"}"#
        let pack = directory.file("model.wpk")
        try WeightPackWriter.write(sample.views().map(TensorPayload.init(copying:)), metadata: nil, config: config, to: pack, overwrite: false)
        let packed = try ModelLoader.open(pack)
        #expect(packed.embeddedConfig == config)
        #expect(ModelLocation(pack).configText(source: packed) == config)
        #expect(packed.verifyChecksums()?.isEmpty == true)
        let storage = try #require(packed.storageDescription)
        #expect(storage.stored.count == sample.tensors.count)
        #expect(storage.headerBytes > 0 && storage.headerBytes <= packed.tensors.map(\.offset).min() ?? 0)
        #expect(!storage.hasCompressedPayloads)

        // The config beside the safetensors file, read as text.
        let besideText = try String(contentsOfFile: ModelFixtures.tinyDeberta + "/config.json", encoding: .utf8)
        #expect(ModelLocation(ModelFixtures.tinyDeberta).configText(source: sample) == besideText)
    }

    @Test("a damaged payload is reported as a typed WeightPack reason naming the tensor")
    func damagedPayload() throws {
        let directory = TemporaryDirectory()
        let sample = try ModelLoader.open(ModelFixtures.tinyDeberta)
        let pack = directory.file("model.wpk")
        try WeightPackWriter.write(sample.views().map(TensorPayload.init(copying:)), metadata: nil, config: nil, to: pack, overwrite: false)
        let first = try #require(try ModelLoader.open(pack).tensors.first)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: pack)))
        bytes[first.offset] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: pack))
        let problems = try #require(try ModelLoader.open(pack).verifyChecksums())
        #expect(problems.count == 1)
        guard case let .weightPack(.payloadChecksum(tensor, stored, computed))? = problems.first?.reason else {
            Issue.record("expected a payload checksum problem, got \(problems)")
            return
        }
        #expect(tensor == first.name)
        #expect(stored != computed)
        #expect(problems.first?.reason.tensor == first.name)
        #expect(problems.first?.path == pack)
    }
}
