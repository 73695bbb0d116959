import WeightsKit

/// The renderings of `weights diff`.
extension ModelComparison {
    func text(a: String, b: String) -> String {
        var out = ""
        for name in onlyInA { out += "only in \(a): \(name)\n" }
        for name in onlyInB { out += "only in \(b): \(name)\n" }
        var rows = [["TENSOR", "A", "B", "MAX ABS", "RMSE", "SNR dB", "COSINE", "DIFFERING"]]
        for difference in common where !isEqual(difference) || difference.storageDiffers {
            let storageA = Self.storage(difference.dtypes.0, difference.encodings.0, difference.shapes.0)
            let storageB = Self.storage(difference.dtypes.1, difference.encodings.1, difference.shapes.1)
            if let error = difference.error {
                let snr = error.signalToNoiseDecibels
                rows.append([difference.name, storageA, storageB, Output.value(error.maxAbsoluteError), Output.value(error.rootMeanSquareError),
                             snr.isInfinite ? "inf" : Output.fixed(snr, 1), Output.fixed(error.cosineSimilarity, 7), Output.grouped(error.differing)])
            } else {
                rows.append([difference.name, storageA, storageB, "-", "-", "-", "-", difference.shapeDiffers ? "shape differs" : "not comparable"])
            }
        }
        if rows.count > 1 { out += Output.table(rows) }
        let differing = common.filter { !isEqual($0) }.count
        out += identical
            ? "identical: \(common.count) tensors\(tolerance > 0 ? " within \(tolerance)" : "")\n"
            : "differ: \(differing) of \(common.count) common tensors, \(onlyInA.count) only in A, \(onlyInB.count) only in B\n"
        return out
    }

    func json(a: String, b: String) -> JSONValue {
        .object([
            "a": .string(a),
            "b": .string(b),
            "identical": .bool(identical),
            "tolerance": .double(tolerance),
            "only_in_a": .array(onlyInA.map(JSONValue.string)),
            "only_in_b": .array(onlyInB.map(JSONValue.string)),
            "tensors": .array(common.map { difference in
                var object: [String: JSONValue] = [
                    "name": .string(difference.name),
                    "equal": .bool(isEqual(difference)),
                    "a": .string(Self.storage(difference.dtypes.0, difference.encodings.0, difference.shapes.0)),
                    "b": .string(Self.storage(difference.dtypes.1, difference.encodings.1, difference.shapes.1)),
                ]
                if let error = difference.error { object["error"] = ConversionSummary.errorJSON(error) }
                return .object(object)
            }),
        ])
    }

    static func storage(_ dtype: DType, _ encoding: TensorEncoding, _ shape: Shape) -> String {
        (encoding == .plain ? dtype.name : "\(encoding.rawValue)(\(dtype.name))") + " " + shape.description
    }
}
