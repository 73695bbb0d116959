import Testing
@testable import WeightsKit

@Suite("Hostile values: log-bucket configs, terminal escaping, memory arithmetic")
struct HostileValuesTests {
    private func deberta(_ extra: String) throws(ModelConfigError) -> ModelConfig {
        try ModelConfig(parsing: #"{"model_type": "deberta-v2", "hidden_size": 32, "num_attention_heads": 4, "relative_attention": true"# + extra + "}")
    }

    @Test("position_buckets 1 (mid 0) and span − 1 = mid are config errors naming the field; mid 1 and span 1 are finite")
    func logBuckets() throws {
        #expect(throws: ModelConfigError.self) { try deberta(#", "position_buckets": 1"#) }
        do {
            _ = try deberta(#", "position_buckets": 1"#)
        } catch {
            #expect(error.description.hasPrefix("position_buckets 1: "))
        }
        do {
            _ = try deberta(#", "position_buckets": 256, "max_relative_positions": 129"#)
            Issue.record("accepted a log base of 1")
        } catch {
            #expect(error.description.hasPrefix("max_relative_positions 129 with position_buckets 256"))
        }
        do {
            _ = try deberta(#", "position_buckets": 16, "max_position_embeddings": 9"#)
            Issue.record("accepted a log base of 1")
        } catch {
            #expect(error.description.hasPrefix("max_position_embeddings 9 with position_buckets 16"))
        }
        _ = try deberta(#", "position_buckets": 2"#)
        _ = try deberta(#", "position_buckets": 3, "max_relative_positions": 1"#)
        _ = try deberta(#", "position_buckets": 256"#)
        // Without relative attention the buckets are never used, as in transformers.
        _ = try ModelConfig(parsing: #"{"model_type": "deberta-v2", "hidden_size": 32, "num_attention_heads": 4, "position_buckets": 1}"#)
    }

    @Test("terminal escaping: C0, DEL, C1, line separators and bidi controls as \\u{…}, backslash doubled, the rest intact")
    func escaping() {
        #expect(TerminalText.escaped("plain é 名") == "plain é 名")
        #expect(TerminalText.escaped("a\nb") == #"a\u{A}b"#)
        #expect(TerminalText.escaped("\u{1B}[31m\u{7F}\u{85}\u{9F}") == #"\u{1B}[31m\u{7F}\u{85}\u{9F}"#)
        #expect(TerminalText.escaped("\u{2028}\u{2029}\u{202A}\u{202E}\u{2066}\u{2069}\u{2065}")
            == #"\u{2028}\u{2029}\u{202A}\u{202E}\u{2066}\u{2069}"# + "\u{2065}")
        #expect(TerminalText.escaped(#"back\slash"#) == #"back\\slash"#)
        #expect(TerminalText.escaped("\u{0}") == #"\u{0}"#)
    }

    @Test("memory arithmetic: products and sums report overflow, errors read in decimal units")
    func memory() {
        #expect(MemoryBudget.product([60_000, 60_000, 8]) == 28_800_000_000)
        #expect(MemoryBudget.product([1 << 32, 1 << 32]) == nil)
        #expect(MemoryBudget.product([-1, 4]) == nil)
        #expect(MemoryBudget.sum([Int.max, 1]) == nil)
        #expect(MemoryBudget.sum([1, nil]) == nil)
        let error = MemoryLimitError(purpose: "embedding 60000 tokens", bytes: 28_800_000_000, available: 11_200_000_000)
        #expect(error.description == "embedding 60000 tokens needs 28.8 GB, 11.2 GB available [insufficient-memory]")
        #expect(MemoryLimitError(purpose: "x", bytes: nil, available: 999).description == "x needs more than 9.2 EB, 999 B available [insufficient-memory]")
    }
}
