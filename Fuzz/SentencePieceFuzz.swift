#if canImport(Glibc)
import Glibc
#endif

// libFuzzer target: arbitrary bytes as a text and an spm.model. The first two bytes (little
// endian) are L: the text is the next L % 512 bytes, the rest is the model. A model that loads
// encodes the text as bytes (not necessarily UTF-8), checks that cutting to the first ids gives
// a prefix of the whole, then encodes a few fixed texts with the DeBERTa-v3 wrap, as
// `weights tokenize` would. When L / 512 is nonzero, the text repeated 16 × (L / 512) times
// (up to 1 MB, which a charsmap may expand a thousandfold) goes through the budgeted forms
// (`encode(utf8:maxIDs:)`, `count(utf8:)`), under WEIGHTS_MEMORY_LIMIT = 256 MB, so that a
// long text, a looping or deep charsmap, long pieces and expanding rules are all reached.
// Built with WeightsKit's and EmbeddingCore/Tokenizer's sources by Fuzz/build.sh.

private let texts = ["[CLS] Hello, world! [MASK]", "Caf\u{E9} \u{FB01} \u{FF21} \u{3000}\u{A0} \u{2581}", String(repeating: "a", count: 300),
                     "\u{0}\u{7}\u{FFFD}\u{1F468}\u{200D}\u{1F469} \u{4E00}\u{0301}  "]

private let memoryLimit: Void = { setenv("WEIGHTS_MEMORY_LIMIT", "268435456", 1) }()

@_cdecl("weights_fuzz_SentencePieceFuzz")
public func sentencePieceFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    memoryLimit
    guard size >= 2 else { return 0 }
    let header = Int(data[0]) | Int(data[1]) << 8
    let textLength = min(header % 512, size - 2)
    let text = Array(UnsafeBufferPointer(start: data + 2, count: textLength))
    let modelBytes = Array(UnsafeBufferPointer(start: data + 2 + textLength, count: size - 2 - textLength))
    guard let model = try? SentencePieceModel(bytes: modelBytes) else { return 0 }
    let count = model.count
    let ids = model.encode(utf8: text)
    for id in ids where id < 0 || id >= count { fatalError("id \(id) outside the model's \(count) pieces") }
    for cut in [1, 3] {
        guard let first = try? model.encode(utf8: text, maxIDs: cut) else { continue }
        if first != Array(ids.prefix(cut)) { fatalError("the first \(cut) ids \(first) are not a prefix of \(ids.prefix(cut))") }
    }
    let tokenizer = SentencePieceTokenizer(model: model, specialTokens: [AddedToken(content: "[MASK]", id: count)],
                                           prefix: .init(tokens: ["[CLS]"], ids: [0]), suffix: .init(tokens: ["[SEP]"], ids: [0]))
    for text in texts { _ = try? tokenizer.budgetedEncode(text, maxLength: 16, addSpecialTokens: true) }
    let repeats = 16 * (header / 512)
    guard repeats > 0, !text.isEmpty else { return 0 }
    var long: [UInt8] = []
    long.reserveCapacity(text.count * repeats)
    for _ in 0..<repeats { long.append(contentsOf: text) }
    if let first = try? model.encode(utf8: long, maxIDs: 16), let more = try? model.encode(utf8: long, maxIDs: 64) {
        if first != Array(more.prefix(16)) { fatalError("cutting a long text at 16 ids gives \(first), at 64 \(more.prefix(16))") }
        if let total = try? model.count(utf8: long), total < more.count { fatalError("count \(total) below \(more.count) ids") }
    }
    return 0
}
