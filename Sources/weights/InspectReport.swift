import WeightsKit

/// The two renderings of `weights inspect`: a human summary and the `--json` object.
enum InspectReport {
    static func text(source: any TensorSource, path: String, tensors: [TensorInfo],
                     statistics: [ExactName: TensorStatistics], firstValues: [Float]?) -> String {
        var out = ""
        out += "path        \(Output.escaped(path))\n"
        out += "format      \(source.format)\(source.paths.count > 1 ? " (\(source.paths.count) shards)" : "")\n"
        out += "tensors     \(Output.grouped(source.tensors.count))\n"
        out += "parameters  \(Output.grouped(source.parameterCount))\n"
        out += "bytes       \(Output.grouped(source.byteCount)) (\(Output.humanBytes(source.byteCount)))\n"
        for (storage, bytes) in bytesByStorage(source.tensors) {
            out += "  \(storage.padding(14))\(Output.grouped(bytes))\n"
        }
        let storage = source.storageDescription
        if let storage {
            out += "config      \(source.embeddedConfig.map { "embedded (\(Output.grouped($0.utf8.count)) bytes)" } ?? "none")\n"
            out += "header      \(Output.grouped(storage.headerBytes)) bytes\n"
        }
        let gguf = source as? GGUFFile
        if let gguf {
            out += "gguf        \(GGUFMetadataReport.summary(gguf))\n"
            out += GGUFMetadataReport.text(gguf)
        } else if let metadata = source.metadata, !metadata.isEmpty {
            out += "metadata\n"
            for entry in metadata { out += "  \(Output.escaped(entry.key)) = \(Output.escaped(entry.value))\n" }
        } else {
            out += "metadata    \(source.metadata == nil ? "none" : "{}")\n"
        }
        out += "\n"
        let showEncoding = tensors.contains { $0.encoding != .plain }
        let showStored = storage?.hasCompressedPayloads ?? false
        var header = ["NAME", "DTYPE", "SHAPE", "BYTES", "OFFSET"]
        if showEncoding { header.insert("ENCODING", at: 2) }
        if gguf != nil { header.insert("GGUF", at: 1) }
        if showStored { header.append("STORED") }
        if source.paths.count > 1 { header.append("FILE") }
        let showStats = !statistics.isEmpty
        if showStats { header += ["MIN", "MAX", "MEAN", "STD", "NAN", "INF"] }
        var rows = [header]
        for info in tensors {
            var row = [Output.escaped(info.name), info.dtype.name, info.shape.description, Output.grouped(info.byteCount), String(info.offset)]
            if showEncoding { row.insert(info.encoding.rawValue, at: 2) }
            if let gguf { row.insert(gguf.ggmlType(of: info.name)?.name ?? "?", at: 1) }
            if showStored, let stored = storage?.stored[info.name.exact] {
                row.append(stored.isCompressed ? "\(Output.grouped(stored.bytes)) deflate" : Output.grouped(stored.bytes))
            }
            if source.paths.count > 1 { row.append(source.path(of: info.name).map { Output.escaped(lastComponent($0)) } ?? "") }
            if showStats {
                if let stat = statistics[info.name.exact] {
                    row += [stat.finiteCount > 0 ? Output.value(stat.minimum) : "-", stat.finiteCount > 0 ? Output.value(stat.maximum) : "-",
                            stat.mean.map(Output.value) ?? "-", stat.standardDeviation.map(Output.value) ?? "-",
                            String(stat.nanCount), String(stat.infinityCount)]
                } else {
                    row += ["-", "-", "-", "-", "-", "-"]
                }
            }
            rows.append(row)
        }
        let shift = (showEncoding ? 1 : 0) + (gguf != nil ? 1 : 0)
        out += Output.table(rows, rightAligned: [3 + shift, 4 + shift])
        if let firstValues {
            let total = tensors.first?.elementCount ?? 0
            out += "\nfirst \(firstValues.count) of \(Output.grouped(total)) values: "
            out += firstValues.map { Output.value(Double($0)) }.joined(separator: ", ") + "\n"
        } else if tensors.count == 1, let only = tensors.first, let error = gguf?.undecodable(only.name) {
            out += "\n(values are not decoded: \(error.reason))\n"
        } else if tensors.count == 1, let only = tensors.first, !only.dtype.isDecodable {
            out += "\n(\(only.dtype.name) values are not decoded; the bytes pass through unchanged)\n"
        }
        return out
    }

    static func json(source: any TensorSource, tensors: [TensorInfo], statistics: [ExactName: TensorStatistics],
                     firstValues: [Float]?) -> JSONValue {
        let storage = source.storageDescription
        var object: [String: JSONValue] = [
            "format": .string(source.format),
            // null when the total passes 2^63 - 1 (stride-0 PyTorch views can claim that much)
            "parameters": source.parameterCount.exact.map(JSONValue.int) ?? .null,
            "bytes": source.byteCount.exact.map(JSONValue.int) ?? .null,
            "metadata": source.metadata.map { metadata in
                .namedObject(Dictionary(metadata.entries.map { ($0.key.exact, JSONValue.string($0.value)) }, uniquingKeysWith: { $1 }))
            } ?? .null,
            "tensors": .array(tensors.map { info in
                var entry: [String: JSONValue] = [
                    "name": .string(info.name),
                    "dtype": .string(info.dtype.name),
                    "shape": .array(info.shape.dims.map(JSONValue.int)),
                    "offset": .int(info.offset),
                    "bytes": .int(info.byteCount),
                ]
                if source.paths.count > 1, let file = source.path(of: info.name) { entry["file"] = .string(file) }
                if info.encoding != .plain { entry["encoding"] = .string(info.encoding.rawValue) }
                if let type = (source as? GGUFFile)?.ggmlType(of: info.name) { entry["gguf_type"] = .string(type.name) }
                if let stored = storage?.stored[info.name.exact], stored.isCompressed {
                    entry["stored_bytes"] = .int(stored.bytes)
                    entry["compression"] = .string("shuffle-deflate")
                }
                if let stat = statistics[info.name.exact] { entry["stats"] = statisticsJSON(stat) }
                return .object(entry)
            }),
        ]
        if source.paths.count > 1 { object["files"] = .array(source.paths.map(JSONValue.string)) }
        if let storage {
            object["config"] = source.embeddedConfig.map(JSONValue.string) ?? .null
            object["header_bytes"] = .int(storage.headerBytes)
        }
        if let gguf = source as? GGUFFile { object["gguf"] = GGUFMetadataReport.json(gguf) }
        if let firstValues { object["values"] = .array(firstValues.map { .number(Double($0)) }) }
        return .object(object)
    }

    static func statisticsJSON(_ stat: TensorStatistics) -> JSONValue {
        .object([
            "min": stat.finiteCount > 0 ? .number(stat.minimum) : .null,
            "max": stat.finiteCount > 0 ? .number(stat.maximum) : .null,
            "mean": .number(stat.mean),
            "std": .number(stat.standardDeviation),
            "nan": .int(stat.nanCount),
            "inf": .int(stat.infinityCount),
        ])
    }

    /// Payload bytes per stored form (the dtype, or the quantized encoding), largest first.
    static func bytesByStorage(_ tensors: [TensorInfo]) -> [(String, SaturatingCount)] {
        var totals: [String: SaturatingCount] = [:]
        for info in tensors {
            let storage = info.encoding == .plain ? info.dtype.name : info.encoding.rawValue
            totals[storage] = totals[storage, default: .zero] + SaturatingCount(info.byteCount)
        }
        return totals.sorted { $0.value.value != $1.value.value ? $0.value.value > $1.value.value : $0.key < $1.key }
    }

    private static func lastComponent(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
