import WeightsKit

/// What `convert --dtype` did: sizes, what was converted and kept (with the rule), and
/// the quantization error, as text for people and as JSON (`--report`).
struct ConversionSummary {
    let plan: ModelConversion
    let input: String
    let output: String
    let seconds: Double

    private var inputBytes: Int { SaturatingCount(summing: plan.source.paths.compactMap(Paths.size)).value }
    private var outputBytes: Int { Paths.size(output) ?? 0 }

    func text() -> String {
        let converted = plan.entries.filter { $0.conversion != nil }
        let kept = plan.entries.filter { $0.conversion == nil }
        var out = "\(Output.escaped(input)) → \(Output.escaped(output))\n"
        out += "size        \(Output.humanBytes(inputBytes)) → \(Output.humanBytes(outputBytes))"
        if inputBytes > 0 { out += " (\(Output.fixed(Double(outputBytes) / Double(inputBytes) * 100, 1))%)" }
        out += " in \(Output.fixed(seconds, 2)) s\n"
        out += "converted   \(converted.count) tensors, \(Output.grouped(SaturatingCount(summing: converted.lazy.map(\.info.elementCount)))) values\n"
        out += "kept        \(kept.count) tensors\n"
        var reasons: [String: Int] = [:]
        for entry in kept { if case let .keep(reason) = entry.decision { reasons[CommandLineWording.reason(reason), default: 0] += 1 } }
        for (reason, count) in reasons.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            out += "  \(String(count).padding(5))\(Output.escaped(reason))\n"
        }
        // A value that changed class (finite, NaN, ±inf) is worse than any finite error.
        func severity(_ entry: ModelConversion.Entry) -> (Int, Double) {
            (entry.conversion?.error.classChanged ?? 0, entry.conversion?.error.maxAbsoluteError ?? 0)
        }
        if let worst = converted.max(by: { severity($0) < severity($1) }), let error = worst.conversion?.error {
            let total = plan.totalError
            out += "error       over all converted values: RMSE \(Output.value(total.rootMeanSquareError)), SNR \(decibels(total)), "
                + "cosine \(Output.fixed(total.cosineSimilarity, 7))\n"
            if total.nonFinite > 0 {
                out += "non-finite  \(Output.grouped(total.nonFiniteInputs)) input values are NaN or infinite; \(Output.grouped(total.classChanged)) values "
                    + "changed between finite, NaN and infinite (errors, left out of RMSE, SNR and cosine)\n"
            }
            let changed = error.classChanged > 0 ? "\(Output.grouped(error.classChanged)) values changed class, " : ""
            out += "worst       \(Output.escaped(worst.info.name)): \(changed)max abs \(Output.value(error.maxAbsoluteError)), RMSE \(Output.value(error.rootMeanSquareError)), "
                + "SNR \(decibels(error)), cosine \(Output.fixed(error.cosineSimilarity, 7))\n"
            let lowest = converted.min { ($0.conversion?.error.cosineSimilarity ?? 1) < ($1.conversion?.error.cosineSimilarity ?? 1) }
            if let lowest, let lowestError = lowest.conversion?.error, lowest.info.name != worst.info.name {
                out += "lowest cos  \(Output.escaped(lowest.info.name)): cosine \(Output.fixed(lowestError.cosineSimilarity, 7))\n"
            }
        }
        return out
    }

    func json() -> JSONValue {
        .object([
            "input": .string(input),
            "output": .string(output),
            "input_bytes": .int(inputBytes),
            "output_bytes": .int(outputBytes),
            "seconds": .double(seconds),
            "policy": plan.policy.map { .string($0.metadataValue) } ?? .null,
            "error": ConversionSummary.errorJSON(plan.totalError),
            "tensors": .array(plan.entries.map { entry in
                var object: [String: JSONValue] = [
                    "name": .string(entry.info.name),
                    "dtype": .string(entry.info.dtype.name),
                    "shape": .array(entry.info.shape.dims.map(JSONValue.int)),
                ]
                switch entry.decision {
                case let .keep(reason):
                    object["action"] = .string("kept")
                    object["reason"] = .string(CommandLineWording.reason(reason))
                case let .convert(dtype, encoding):
                    object["action"] = .string("converted")
                    object["to"] = .string(encoding == .plain ? dtype.name : encoding.rawValue)
                    if let error = entry.conversion?.error { object["error"] = ConversionSummary.errorJSON(error) }
                }
                return .object(object)
            }),
        ])
    }

    static func errorJSON(_ error: ErrorStatistics) -> JSONValue {
        .object([
            "max_abs": .number(error.maxAbsoluteError),
            "rmse": .number(error.rootMeanSquareError),
            "snr_db": error.signalToNoiseDecibels.isInfinite ? .string(error.signalToNoiseDecibels > 0 ? "inf" : "-inf") : .number(error.signalToNoiseDecibels),
            "cosine": .number(error.cosineSimilarity),
            "values": .int(error.count),
            "differing": .int(error.differing),
            "non_finite_inputs": .int(error.nonFiniteInputs),
            "non_finite_pairs": .int(error.nonFinite),
            "class_changed": .int(error.classChanged),
        ])
    }

    /// SNR in dB; "(exact)" only when no value changed at all, finite or not.
    private func decibels(_ error: ErrorStatistics) -> String {
        let value = error.signalToNoiseDecibels
        guard value.isInfinite else { return "\(Output.fixed(value, 1)) dB" }
        return value < 0 ? "-inf dB" : error.classChanged == 0 ? "inf dB (exact)" : "inf dB (finite values exact)"
    }
}

extension String {
    /// Writes the text to `path`, replacing it, through `OutputFile` (named only when complete).
    func write(toFile path: String, durable: Bool = true) throws {
        let file = try OutputFile(destination: path, overwrite: true)
        file.durable = durable
        try file.write(Array(utf8))
        try file.commit()
    }
}
