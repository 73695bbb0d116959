import WeightsKit

/// The renderings of `weights diff`.
extension ModelComparison {
    func text(a: String, b: String) -> String {
        var out = ""
        for name in onlyInA { out += "only in \(Output.escaped(a)): \(Output.escaped(name))\n" }
        for name in onlyInB { out += "only in \(Output.escaped(b)): \(Output.escaped(name))\n" }
        var rows = [["TENSOR", "A", "B", "MAX ABS", "RMSE", "SNR dB", "COSINE", "DIFFERING"]]
        for difference in common where !isEqual(difference) || difference.storageDiffers {
            let storageA = Self.storage(difference.dtypes.0, difference.encodings.0, difference.shapes.0)
            let storageB = Self.storage(difference.dtypes.1, difference.encodings.1, difference.shapes.1)
            var row = [Output.escaped(difference.name), storageA, storageB]
            if let error = difference.error {
                let snr = error.signalToNoiseDecibels
                row += [Output.value(difference.exact?.maxAbsoluteDifference ?? error.maxAbsoluteError), Output.value(error.rootMeanSquareError),
                        snr.isInfinite ? "inf" : Output.fixed(snr, 1), Output.fixed(error.cosineSimilarity, 7)]
            } else if let exact = difference.exact {
                row += [Output.value(exact.maxAbsoluteDifference), "-", "-", "-"]
            } else {
                row += ["-", "-", "-", "-"]
            }
            row.append(Self.differing(difference))
            rows.append(row)
        }
        if rows.count > 1 { out += Output.table(rows) }
        let differing = common.filter { !isEqual($0) }.count
        out += identical
            ? "identical: \(common.count) tensors\(tolerance > 0 ? " within \(tolerance)" : "")\n"
            : "differ: \(differing) of \(common.count) common tensors, \(onlyInA.count) only in A, \(onlyInB.count) only in B\n"
        return out
    }

    /// The DIFFERING cell: why a tensor differs, or how many of its elements do.
    private static func differing(_ difference: TensorDifference) -> String {
        if difference.shapeDiffers { return "shape differs" }
        if difference.dtypes.0 != difference.dtypes.1 { return "dtype differs" }
        if difference.encodings.0 != difference.encodings.1 { return "encoding differs" }
        guard let exact = difference.exact else { return "not comparable" }
        return Output.grouped(exact.differing)
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
                    "shape_differs": .bool(difference.shapeDiffers),
                    "storage_differs": .bool(difference.storageDiffers),
                ]
                if let exact = difference.exact {
                    object["differing"] = .int(exact.differing)
                    object["beyond_tolerance"] = .int(exact.beyondTolerance)
                    object["max_abs_difference"] = .double(exact.maxAbsoluteDifference)
                }
                if let error = difference.error { object["error"] = ConversionSummary.errorJSON(error) }
                return .object(object)
            }),
        ])
    }

    static func storage(_ dtype: DType, _ encoding: TensorEncoding, _ shape: Shape) -> String {
        (encoding == .plain ? dtype.name : "\(encoding.rawValue)(\(dtype.name))") + " " + shape.description
    }
}
