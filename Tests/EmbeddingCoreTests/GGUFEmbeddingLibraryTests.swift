import Foundation
import Testing
import TestSupport
@testable import WeightsKit
@testable import EmbeddingCore

/// A BERT GGUF file (Formats/vectors/gguf/bert/model.gguf, laid out as llama.cpp's converter
/// writes one) run through the library from the file alone, against the original model:
/// its config.json, its vocab.txt, and transformers' outputs (Scripts/gen_gguf_embed_vectors.py).
@Suite("BERT GGUF files, through the library")
struct GGUFEmbeddingLibraryTests {
    static let bert = GGUFEmbedFixture.folder

    static let expected = GGUFEmbedFixture.expected

    /// A folder holding only a copy of model.gguf, and the copy's path.
    static func loneCopy() throws -> (TemporaryDirectory, String) {
        let directory = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: bert + "/model.gguf", toPath: directory.file("model.gguf"))
        return (directory, directory.file("model.gguf"))
    }

    @Test("the config rebuilt from bert.* metadata equals the original config.json")
    func config() throws {
        let (directory, path) = try Self.loneCopy()
        let source = try ModelLoader.open(path)
        let derived = try ModelLocation(path).config(source: source)
        #expect(derived == (try ModelConfig(contentsOf: Self.bert + "/config.json")))
        #expect(ModelLocation(directory.path).tokenizer == .gguf(path))
        #expect(try (source as? GGUFFile)?.poolingType() == .mean)
    }

    @Test("the phantom-space token list turns back into the original vocab.txt")
    func vocabulary() throws {
        let file = try GGUFFile(path: Self.bert + "/model.gguf")
        let tokens = try #require(file.value("tokenizer.ggml.tokens")?.elements).map { $0.text ?? "" }
        let types = try #require(file.value("tokenizer.ggml.token_type")?.elements).map { $0.integer ?? -1 }
        let original = try String(contentsOfFile: Self.bert + "/vocab.txt", encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(zip(tokens, types).map { GGUFWordPiece.original($0, type: $1) } == original)
        #expect(GGUFWordPiece.original("[PAD7]", type: GGUFWordPiece.unused) == nil)
        #expect(GGUFWordPiece.original("\u{2581}\u{2581}x", type: 1) == "\u{2581}x")
    }

    @Test("ids as Hugging Face tokenizers gives on vocab.txt; last_hidden_state within 1e-4 of transformers")
    func encoder() throws {
        let (directory, path) = try Self.loneCopy()
        defer { withExtendedLifetime(directory) {} }
        let tokenizer = try TokenizerLoader.load(modelPath: path)
        let encodings = Self.expected.texts.map { tokenizer.encode($0) }
        #expect(encodings.map(\.ids) == Self.expected.ids)
        #expect(encodings.map(\.tokens) == Self.expected.tokens)
        let tensors = try ModelTensors.open(path)
        #expect(tensors.source is GGUFHuggingFaceNames)
        let encoder = try Encoders.load(tensors)
        let batch = try EncoderBatch(sequences: encodings.map(\.ids))
        #expect(batch.mask == Self.expected.attention_mask)
        let states = try encoder.encode(batch)
        let hidden = Self.expected.last_hidden_state_shape[2], length = Self.expected.last_hidden_state_shape[1]
        var worst: Float = 0
        for sequence in 0..<batch.size {
            for position in 0..<length where batch.mask[sequence][position] == 1 {
                let start = (sequence * length + position) * hidden
                for (ours, theirs) in zip(states.vector(sequence, position), Self.expected.last_hidden_state[start..<(start + hidden)]) {
                    worst = max(worst, abs(ours - theirs))
                }
            }
        }
        #expect(worst < 1e-4, "max abs error \(worst)")
        let pooling = try #require(SentencePooling(gguf: .mean))
        let pooled = pooling.pooled(states, mask: batch.mask)
        #expect(zip(pooled.values, Self.expected.sentence_embedding).map { abs($0 - $1) }.max() ?? 1 < 1e-5)
        #expect(SentencePooling(gguf: .none) == nil && SentencePooling(gguf: .rank) == nil)
    }

    @Test("a BERT GGUF without one of the bert.* sizes names the key; another architecture has no config")
    func missingKey() throws {
        let (directory, _) = try Self.loneCopy()
        var bytes = readBytes(Self.bert + "/model.gguf")
        let key = Array("bert.block_count".utf8)
        let at = try #require((0...(bytes.count - key.count)).first { bytes[$0..<($0 + key.count)].elementsEqual(key) })
        bytes.replaceSubrange(at..<(at + key.count), with: Array("bert.BLOCK_count".utf8))
        let path = directory.file("broken.gguf")
        writeBytes(bytes, to: path)
        #expect(throws: ModelTensorsError.self) { try ModelTensors.open(path) }
        do { _ = try ModelTensors.open(path) } catch {
            #expect("\(error)".contains("bert.block_count: expected an integer, got no such key"), "\(error)")
            #expect("\(error)".contains("broken.gguf"), "\(error)")
        }
        let other = try GGUFFile(path: Repository.path("Formats/vectors/gguf/valid/types-align32.gguf"))
        #expect(try GGUFModelConfig.text(of: other) == nil)
    }
}
