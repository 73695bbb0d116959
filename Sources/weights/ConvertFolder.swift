import WeightsKit

/// `convert IN OUT/`: a complete model folder (see ConvertCommand's discussion).
extension ConvertCommand {
    func runFolder(input: String) throws {
        let inputDirectory = ModelLocation(input).directory
        // A sentence-transformers folder may keep its Transformer module (weights,
        // config.json) in a subfolder; the converted weights go to the same place.
        var weightsDirectory = ""
        if Paths.isDirectory(input) {
            do {
                weightsDirectory = try ModelLocation(input).sentenceTransformerConfig()?.transformerPath ?? ""
            } catch {
                // A module folder that leads out of IN: its weights are not IN's to convert.
                // Other modules.json problems are embed's to report; the weights still convert.
                if case .moduleFolderNotInside = error { throw Failure(error) }
            }
        }
        let weightsPath = weightsDirectory.isEmpty ? input : Paths.join(input, weightsDirectory)
        let inside = { (name: String) in weightsDirectory.isEmpty ? name : weightsDirectory + "/" + name }

        let source = try reportingFailures { try ModelLoader.open(weightsPath) }
        let policy = try reportingFailures { try dtype.map { try ConversionPolicy(target: $0, keep: keep, only: only) } }
        let plan = try reportingFailures {
            try ModelConversion(source: source, policy: policy, format: format == .wpk ? .weightPack : .safetensors)
        }
        let payloads = stoppingBeforeLastTensor(try reportingFailures { try plan.payloads() })
        let shardLimit = format == .safetensors ? shardSize.flatMap(ByteSize.parse) : nil
        let weightsName = inside(format == .wpk ? "model.wpk" : "model.safetensors")
        let weightsFiles = shardLimit.map { ShardedWriter.outputPaths(for: weightsName, tensors: payloads, maxShardBytes: $0) } ?? [weightsName]

        let carried = ModelFolderFiles(root: inputDirectory)
        let configName = inside("config.json")
        let configText = try reportingFailures { try self.configText(source: source, carried: carried, name: configName) }
        let newConfig = configText.map { ConvertedConfig.updated($0, for: plan) ?? $0 }

        try refuseOverlap(inputDirectory)
        let finalPaths = (weightsFiles + carried.files.map(\.path)).map { Paths.join(output, $0) }
        try refuseCollisions(inputs: inputFiles(source, input: input) + carried.files.map(\.source), outputs: finalPaths)
        if force { try refuseStaleWeights(in: Paths.join(output, weightsDirectory), keeping: Set(weightsFiles.map(Paths.lastComponent))) }

        if !quiet {
            let inputs = Set(source.inputFiles.map(Paths.lastComponent))
            for entry in carried.skipped where entry.reason != "hidden" && !(entry.reason == "weights" && inputs.contains(Paths.lastComponent(entry.path))) {
                Output.warning("\(input): not copied: \(entry.path) (\(entry.reason))")
            }
        }

        let progress = ProgressBar(total: plan.bytesToConvert, enabled: !quiet)
        for entry in plan.entries {
            entry.conversion?.onProgress = { progress.advance(by: $0) }
            entry.conversion?.allowsNonFinite = allowNonFinite
        }
        let clock = ContinuousClock()
        let started = clock.now
        try reportingFailures {
            let folder = try PublishedFolder(destination: output, overwrite: force, durable: !noSync)
            if format == .wpk {
                let config = newConfig.map { String(decoding: $0, as: UTF8.self) }
                try WeightPackWriter.write(payloads, metadata: plan.outputMetadata, config: config,
                                           options: .init(compress: compress, durable: !noSync), into: try folder.add(weightsName))
            } else {
                try ShardedWriter.write(payloads, metadata: plan.outputMetadata, as: weightsName, maxShardBytes: shardLimit, into: folder)
            }
            var wroteConfig = false
            for file in carried.files {
                if file.path == configName, let newConfig {
                    try folder.add(file.path).write(newConfig)
                    wroteConfig = true
                } else {
                    try carried.copy(file, into: folder)
                }
            }
            // A WeightPack input embeds its config: the folder gets it as config.json.
            if !wroteConfig, let newConfig, source.embeddedConfig != nil { try folder.add(configName).write(newConfig) }
            try folder.commit()
        }
        progress.finish()
        let written = Paths.join(output, weightsFiles.count == 1 ? weightsName : weightsFiles[weightsFiles.count - 1])
        let summary = ConversionSummary(plan: plan, input: input, output: written, seconds: (clock.now - started).seconds)
        if let report {
            try reportingFailures { try (summary.json().rendered() + "\n").write(toFile: report, durable: !noSync) }
        }
        if !quiet && dtype != nil { print(summary.text(), terminator: "") }
    }

    /// The config.json text to update: embedded in the weights (WeightPack), else the
    /// carried file's bytes read from the very file the folder walk saw (never by its path
    /// again: it may have been swapped for a symlink meanwhile), else what the weights'
    /// metadata gives (GGUF). Only valid UTF-8 of at most 16 MB is a config to update; a
    /// carried config.json that is not (nil) is copied as it is.
    private func configText(source: any TensorSource, carried: ModelFolderFiles, name: String) throws -> [UInt8]? {
        if let embedded = source.embeddedConfig { return Array(embedded.utf8) }
        guard let file = carried.files.first(where: { $0.path == name }) else {
            return try? source.derivedConfig().map { Array($0.utf8) }
        }
        guard let bytes = try carried.open(file).bytes(limit: ModelLoader.maximumConfigBytes),
              bytes.withUnsafeBufferPointer({ String(validating: $0, as: UTF8.self) }) != nil else { return nil }
        return bytes
    }

    /// OUT may not be IN's folder or inside it (a later conversion of IN would carry it
    /// along), nor hold IN's folder (when IN is OUT/a, IN's a/x is copied to OUT/a/x, which
    /// is IN/x: the conversion would write into its input). Both are decided by device and
    /// inode of each ancestor, not by paths.
    private func refuseOverlap(_ inputDirectory: String) throws {
        var candidate = output
        while candidate.count > 1 && candidate.hasSuffix("/") { candidate.removeLast() }
        // The nearest existing ancestor of OUT (OUT itself when it exists).
        var existing = candidate
        while !Paths.exists(existing) && existing != "." && existing != "/" { existing = Paths.directory(of: existing) }
        if Paths.isWithin(existing, directory: inputDirectory) {
            throw Failure("\(output): the output folder may not be the input folder \(inputDirectory) or inside it")
        }
        if existing == candidate && Paths.isWithin(inputDirectory, directory: candidate) {
            throw Failure("\(output): the output folder may not hold the input folder \(inputDirectory)")
        }
    }

    /// With --force into an existing folder: refuse when it holds weights files this
    /// conversion does not replace (they would sit beside the new weights and disagree).
    private func refuseStaleWeights(in directory: String, keeping names: Set<String>) throws {
        guard Paths.isDirectory(directory) else { return }
        for name in Paths.contents(of: directory) where ModelFolderFiles.isWeightsName(name) && !names.contains(name) {
            throw Failure("\(Paths.join(directory, name)): the output folder holds weights this conversion does not write; remove them or choose another folder")
        }
    }
}
