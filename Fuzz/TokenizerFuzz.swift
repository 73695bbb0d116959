// libFuzzer target: arbitrary bytes as a tokenizer file. The first byte picks the reader:
// even, tokenizer.json; odd, vocab.txt. A tokenizer that loads then encodes a few texts
// (special tokens, accents, a long word, unknown characters), as `weights tokenize` would.
// Built with WeightsKit's and EmbeddingCore/Tokenizer's sources by Fuzz/build.sh.

private let texts = ["[CLS] Hello, world! [SEP]", "Café naïve 北京 résumé", String(repeating: "a", count: 300), "\u{0}\u{7}\u{FFFD}😀 ##"]

@_cdecl("weights_fuzz_TokenizerFuzz")
public func tokenizerFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let tokenizer: WordPieceTokenizer?
    if data[0] & 1 == 0 {
        tokenizer = (try? TokenizerJSON(bytes: bytes, path: "fuzz/tokenizer.json")).flatMap { file in
            try? WordPieceTokenizer(vocabulary: file.vocabulary, normalizer: file.normalizer, unknownToken: file.unknownToken,
                                    continuingSubwordPrefix: file.continuingSubwordPrefix, maxInputCharsPerWord: file.maxInputCharsPerWord,
                                    addedTokens: file.addedTokens, prefix: file.prefix, suffix: file.suffix, maxLength: file.maxLength,
                                    path: "fuzz/tokenizer.json")
        }
    } else {
        tokenizer = (try? Vocabulary.parseLines(bytes, path: "fuzz/vocab.txt")).flatMap { vocabulary in
            try? WordPieceTokenizer(vocabulary: vocabulary, normalizer: BertNormalizer(), addedTokens: [], prefix: .init(), suffix: .init(),
                                    path: "fuzz/vocab.txt")
        }
    }
    guard let tokenizer else { return 0 }
    for text in texts { _ = tokenizer.encode(text, maxLength: 16) }
    return 0
}
