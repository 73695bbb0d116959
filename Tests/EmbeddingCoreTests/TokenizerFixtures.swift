import Foundation
import TestSupport
import Testing
@testable import EmbeddingCore

/// The committed tokenizer fixtures (Formats/vectors/tokenizer, written by
/// Scripts/gen_tokenizer_corpus.py with Hugging Face `tokenizers` as the oracle).
enum TokenizerFixtures {
    static let root = Repository.root
    static func path(_ relative: String) -> String { root.appendingPathComponent("Formats/vectors/tokenizer/" + relative).path }

    static let minilmDirectory = path("minilm")
    static let minilmVocabulary = path("minilm/vocab.txt")
    static let minilmJSON = path("minilm/tokenizer.json")
    static let casedJSON = path("cased/tokenizer.json")

    struct Case: Decodable, Sendable {
        let text: String
        let tokens: [String]
        let ids: [Int]
        let maxLength: Int?

        enum CodingKeys: String, CodingKey { case text, tokens, ids, maxLength = "max_length" }
    }

    struct Corpus: Decodable, Sendable {
        let minilm: [Case]
        let minilmTruncated: [Case]
        let cased: [Case]

        enum CodingKeys: String, CodingKey { case minilm, cased, minilmTruncated = "minilm_truncated" }
    }

    struct UnicodeHashes: Decodable, Sendable {
        let blockSize: Int
        let normalizers: [String: [String]]
        let preTokenizer: [String]

        enum CodingKeys: String, CodingKey { case normalizers, blockSize = "block_size", preTokenizer = "pre_tokenizer" }
    }

    static let corpus: Corpus = decode("corpus.json")
    static let unicode: UnicodeHashes = decode("unicode.json")

    private static func decode<T: Decodable>(_ name: String) -> T {
        // A missing or broken fixture is a broken checkout: fail loudly.
        try! JSONDecoder().decode(T.self, from: Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    /// The all-MiniLM-L6-v2 tokenizer, loaded both ways; both must match the same oracle.
    enum Loader: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case vocabularyFile = "vocab.txt"
        case tokenizerJSON = "tokenizer.json"

        var testDescription: String { rawValue }

        var tokenizer: WordPieceTokenizer {
            switch self {
            case .vocabularyFile: Self.fromVocabulary
            case .tokenizerJSON: Self.fromJSON
            }
        }

        private static let fromVocabulary = try! WordPieceTokenizer(vocabularyFile: minilmVocabulary)
        private static let fromJSON = try! WordPieceTokenizer(tokenizerJSON: minilmJSON)
    }

    /// A fresh directory for the files one test writes, removed when the value goes away.
    final class Scratch {
        let directory: String

        init() {
            directory = NSTemporaryDirectory() + "weights-tokenizer-" + UUID().uuidString
            try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        /// Writes `contents` to `name` and returns the file's path.
        @discardableResult
        func write(_ name: String, _ contents: String) -> String {
            let file = directory + "/" + name
            try! Data(contents.utf8).write(to: URL(fileURLWithPath: file))
            return file
        }

        /// A minimal tokenizer.json with the given vocabulary and top-level overrides.
        @discardableResult
        func writeTokenizerJSON(vocab: [String], name: String = "tokenizer.json", normalizer: String? = nil,
                                preTokenizer: String = #"{"type": "BertPreTokenizer"}"#, model: String? = nil,
                                postProcessor: String? = nil, addedTokens: String = "[]") -> String {
            let vocabJSON = vocab.enumerated().map { "\(jsonString($0.element)): \($0.offset)" }.joined(separator: ", ")
            let normalizerJSON = normalizer ?? #"{"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true}"#
            let modelJSON = model ?? ###"{"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100, "vocab": {\###(vocabJSON)}}"###
            let sep = vocab.firstIndex(of: "[SEP]") ?? 0
            let cls = vocab.firstIndex(of: "[CLS]") ?? 0
            let post = postProcessor ?? #"{"type": "BertProcessing", "sep": ["[SEP]", \#(sep)], "cls": ["[CLS]", \#(cls)]}"#
            return write(name, """
                {"version": "1.0", "truncation": null, "padding": null, "added_tokens": \(addedTokens),
                 "normalizer": \(normalizerJSON), "pre_tokenizer": \(preTokenizer), "post_processor": \(post),
                 "decoder": null, "model": \(modelJSON)}
                """)
        }

        private func jsonString(_ text: String) -> String {
            String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
        }
    }
}
