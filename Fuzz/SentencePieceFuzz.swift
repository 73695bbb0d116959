// libFuzzer target: arbitrary bytes as a text and an spm.model. The first two bytes (little
// endian, modulo 512) are the text's length, the text follows, the rest is the model. A model
// that loads encodes the text as bytes (not necessarily UTF-8) and a few fixed texts, then the
// DeBERTa-v3 wrap, as `weights tokenize` would.
// Built with WeightsKit's and EmbeddingCore/Tokenizer's sources by Fuzz/build.sh.

private let texts = ["[CLS] Hello, world! [MASK]", "Caf\u{E9} \u{FB01} \u{FF21} \u{3000}\u{A0} \u{2581}", String(repeating: "a", count: 300),
                     "\u{0}\u{7}\u{FFFD}\u{1F468}\u{200D}\u{1F469} \u{4E00}\u{0301}  "]

@_cdecl("weights_fuzz_SentencePieceFuzz")
public func sentencePieceFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let textLength = min((Int(data[0]) | Int(data[1]) << 8) % 512, size - 2)
    let text = Array(UnsafeBufferPointer(start: data + 2, count: textLength))
    let modelBytes = Array(UnsafeBufferPointer(start: data + 2 + textLength, count: size - 2 - textLength))
    guard let model = try? SentencePieceModel(bytes: modelBytes) else { return 0 }
    let count = model.count
    for id in model.encode(utf8: text) where id < 0 || id >= count { fatalError("id \(id) outside the model's \(count) pieces") }
    let tokenizer = SentencePieceTokenizer(model: model, specialTokens: [AddedToken(content: "[MASK]", id: count)],
                                           prefix: .init(tokens: ["[CLS]"], ids: [0]), suffix: .init(tokens: ["[SEP]"], ids: [0]))
    for text in texts { _ = tokenizer.encode(text, maxLength: 16) }
    return 0
}
