import EmbeddingCore
import WeightsKit

/// The `weights embed` walkthrough: ids → static vectors → contextual vectors (→ pooled).
struct EmbedReport {
    let tokens: [[String]]?
    let batch: EncoderBatch
    let lookup: HiddenStates
    let contextual: HiddenStates
    let pooled: Matrix?
    let pooling: SentencePooling?
    let values: Int

    private func shape(_ states: HiddenStates) -> String { "[\(states.batch), \(states.length), \(states.hidden)]" }

    private func head(_ vector: ArraySlice<Float>) -> String {
        "[" + vector.prefix(values).map { Output.value(Double($0)) }.joined(separator: ", ") + (vector.count > values ? ", ...]" : "]")
    }

    func text() -> String {
        var out = ""
        for sequence in 0..<batch.size {
            let real = batch.mask[sequence].reduce(0, +)
            out += "sequence \(sequence): \(real) tokens\n"
            for position in 0..<real {
                let token = tokens.map { Output.escaped($0[sequence][position]).padding(14) } ?? ""
                out += "  \(String(position).padding(4))\(token)id \(batch.ids[sequence][position])\n"
            }
        }
        out += "\n1. static vectors from the lookup table: shape \(shape(lookup))\n"
        out += vectors(lookup)
        out += "\n2. contextual vectors from the encoder (last_hidden_state): shape \(shape(contextual))\n"
        out += vectors(contextual)
        if let pooled {
            out += "\n3. sentence embeddings (\(poolingWords)): shape [\(pooled.rows), \(pooled.columns)]\n"
            for row in 0..<pooled.rows { out += "  \(row)  \(head(pooled.row(row)))\n" }
        }
        return out
    }

    /// "mean over real tokens, L2-normalised"; several modes are joined with " + ".
    private var poolingWords: String {
        guard let pooling else { return "" }
        let modes = pooling.modes.map { mode in
            switch mode {
            case .cls: "first token ([CLS])"
            case .max: "max over real tokens"
            case .mean: "mean over real tokens"
            case .meanSqrtLength: "sum over real tokens / sqrt(count)"
            case .weightedMean: "position-weighted mean"
            case .lastToken: "last real token"
            }
        }
        return modes.joined(separator: " + ") + (pooling.normalize ? ", L2-normalised" : "")
    }

    private func vectors(_ states: HiddenStates) -> String {
        var out = ""
        for sequence in 0..<states.batch {
            for position in 0..<batch.mask[sequence].reduce(0, +) {
                let label = tokens?[sequence][position] ?? "id \(batch.ids[sequence][position])"
                out += "  \(sequence).\(String(position).padding(3)) \(label.padding(14))\(head(states.vector(sequence, position)))\n"
            }
        }
        return out
    }

    func json() -> JSONValue {
        func first(_ states: HiddenStates) -> JSONValue {
            .array((0..<states.batch).map { sequence in
                .array((0..<states.length).map { position in .array(states.vector(sequence, position).prefix(values).map { .number(Double($0)) }) })
            })
        }
        var object: [String: JSONValue] = [
            "ids": .array(batch.ids.map { .array($0.map(JSONValue.int)) }),
            "attention_mask": .array(batch.mask.map { .array($0.map(JSONValue.int)) }),
            "shape": .array([contextual.batch, contextual.length, contextual.hidden].map(JSONValue.int)),
            "static_first_values": first(lookup),
            "first_values": first(contextual),
        ]
        if let tokens { object["tokens"] = .array(tokens.map { .array($0.map(JSONValue.string)) }) }
        if let pooling { object["pooling"] = .object(["modes": .array(pooling.modes.map { .string($0.rawValue) }), "normalize": .bool(pooling.normalize)]) }
        if let pooled {
            object["sentence_embedding"] = .array((0..<pooled.rows).map { .array(pooled.row($0).map { .number(Double($0)) }) })
        }
        return .object(object)
    }
}
