import Foundation

/// What Scripts/gen_gguf_embed_vectors.py wrote for the BERT GGUF in
/// Formats/vectors/gguf/bert: the original model's ids (Hugging Face tokenizers) and
/// transformers' outputs, read by both the library and the CLI tests.
public struct GGUFEmbedFixture: Decodable, Sendable {
    public let texts: [String]
    public let ids: [[Int]]
    public let tokens: [[String]]
    public let attention_mask: [[Int]]
    public let last_hidden_state_shape: [Int]
    public let last_hidden_state: [Float]
    public let sentence_embedding: [Float]

    /// Formats/vectors/gguf/bert, where the GGUF and its expected outputs are.
    public static let folder = Repository.path("Formats/vectors/gguf/bert")
    public static let expected = FixtureFiles.decode(GGUFEmbedFixture.self, from: folder + "/expected_embed.json")
}
