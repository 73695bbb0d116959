// Encodes every line of a text file with a sentencepiece model, ROUNDS times after one warm-up
// round, one thread; prints sentences/s and tokens/s (Benchmarks/sentencepiece.sh).
// Usage: tokenizer-bench SPM_MODEL SENTENCES_FILE [ROUNDS]
import EmbeddingCore
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: tokenizer-bench SPM_MODEL SENTENCES_FILE [ROUNDS]\n".utf8))
    exit(64)
}
let model = try SentencePieceModel(bytes: Array(Data(contentsOf: URL(fileURLWithPath: arguments[1]))))
let sentences = try String(contentsOfFile: arguments[2], encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
let rounds = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5

var tokens = 0
for sentence in sentences { tokens += model.encode(sentence).count }
let clock = ContinuousClock()
let elapsed = clock.measure {
    for _ in 0..<rounds {
        for sentence in sentences { blackHole(model.encode(sentence)) }
    }
}
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let perRound = seconds / Double(rounds)
print(String(format: "swift  %d sentences %d tokens  %.1f ms/round  %.0f sentences/s  %.0f tokens/s",
             sentences.count, tokens, perRound * 1000, Double(sentences.count) / perRound, Double(tokens) / perRound))

@inline(never) func blackHole(_ value: [Int]) { if value.count == -1 { print(value) } }
