// Tokenizer throughput (tokens/s, one thread) on 2,000 generated sentences: WordPiece with
// all-MiniLM-L6-v2's vocabulary (Formats/vectors/tokenizer/minilm) and SentencePiece with the
// DeBERTa-v3 sample's spm.model (SampleModels/tiny-deberta-v3).
import Benchmark
import EmbeddingCore

enum TokenizerBenchmarks {
    /// The repository root, from this file's path (Benchmarks/Micro/Benchmarks/Kernels/…).
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(5)
        return parts.joined(separator: "/")
    }()

    static func register() {
        let sentences = Sentences.generate(count: 2000, seed: 5)
        let wordPiece: any TextTokenizer
        let sentencePiece: any TextTokenizer
        do {
            wordPiece = try WordPieceTokenizer(vocabularyFile: root + "/Formats/vectors/tokenizer/minilm/vocab.txt")
            sentencePiece = try SentencePieceTokenizer(modelFile: root + "/SampleModels/tiny-deberta-v3/spm.model")
        } catch {
            fatalError("tokenizer files: \(error)")
        }
        for (name, tokenizer) in [("WordPiece MiniLM vocab, 2,000 sentences", wordPiece),
                                  ("SentencePiece DeBERTa-v3 spm.model, 2,000 sentences", sentencePiece)] {
            Work.record(name, tokens: sentences.reduce(0) { $0 + tokenizer.encode($1).ids.count })
            Benchmark(name) { benchmark in
                for _ in benchmark.scaledIterations {
                    for sentence in sentences { blackHole(tokenizer.encode(sentence)) }
                }
            }
        }
    }
}

/// Sentences of 5–30 words drawn from English, accented, hyphenated and CJK words with punctuation.
enum Sentences {
    static let words = ["the", "model", "weights", "are", "converted", "into", "half", "precision", "before", "inference",
                        "tokenizer", "splits", "unbelievably", "long", "words", "like", "antidisestablishmentarianism",
                        "café", "naïve", "résumé", "Zürich", "São", "Paulo", "über", "state-of-the-art", "2024", "3.14",
                        "GPU", "memory", "bandwidth", "東京", "日本語", "attention", "heads", "embeddings", "layer",
                        "normalization", "quickly", "Hello", "world", "transformers", "quantization", "error", "bytes"]
    static let punctuation = ["", "", "", ",", ".", "!", "?", ";", ":"]

    static func generate(count: Int, seed: UInt64) -> [String] {
        var generator = SplitMix(seed: seed)
        return (0..<count).map { _ in
            (0..<(5 + generator.below(26))).map { _ in
                words[generator.below(words.count)] + punctuation[generator.below(punctuation.count)]
            }.joined(separator: " ")
        }
    }
}
