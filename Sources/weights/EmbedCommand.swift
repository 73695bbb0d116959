import ArgumentParser
import EmbeddingCore
import WeightsKit

extension Pooling: ExpressibleByArgument {}

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Turn text or token ids into vectors with a BERT or DeBERTa-v2 model.",
        discussion: """
        MODEL is a model directory (config.json, weights, and spm.model, tokenizer.json or
        vocab.txt for --text) or a WeightPack file with its config embedded. Weights may be stored in
        any encoding (F32, F16, BF16, Int8, Q8_0); quantized matrices are dequantized once
        at load. Repeated --text (or --ids) form one batch, padded to the longest.

        Prints each step: the token ids, their static vectors from the lookup table, and
        the contextual vectors from the encoder, with shapes and the first values of each
        vector. --pool mean adds sentence embeddings (mean over real tokens, L2-normalised,
        as sentence-transformers does for all-MiniLM-L6-v2). --output writes
        last_hidden_state (F32 [batch, seq, hidden]), attention_mask (I64 [batch, seq]) and
        sentence_embedding (F32 [batch, hidden], when pooled) as safetensors.

        Examples:
          weights embed all-MiniLM-L6-v2 --text "Hello world"
          weights embed all-MiniLM-L6-v2 --text "I ate an Apple" --text "I bought Apple stock" --pool mean
          weights embed SampleModels/tiny-deberta --ids 1,17,42,2 --output out.safetensors
        """
    )

    @Argument(help: "A model directory, or a .wpk file with its config embedded.")
    var model: String

    @Option(help: "Text to embed (repeatable; needs spm.model, tokenizer.json or vocab.txt beside the model).")
    var text: [String] = []

    @Option(help: "Token ids to embed, comma-separated (repeatable).")
    var ids: [String] = []

    @Option(help: "Token type ids for the matching --ids, comma-separated (repeatable; zeros otherwise).")
    var typeIds: [String] = []

    @Option(help: "Pool token vectors into one sentence embedding: mean.")
    var pool: Pooling?

    @Option(help: "Write the outputs to this .safetensors file.")
    var output: String?

    @Option(help: "How many leading values of each vector to print.")
    var values = 4

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "Replace --output if it exists.")
    var force = false

    func validate() throws {
        guard text.isEmpty != ids.isEmpty else { throw ValidationError("give either --text or --ids (one or more of one kind)") }
        if !typeIds.isEmpty && typeIds.count != ids.count { throw ValidationError("give one --type-ids per --ids") }
        if let output, !output.hasSuffix(".safetensors") { throw ValidationError("--output must end in .safetensors") }
        if values < 0 { throw ValidationError("--values \(values): must be 0 or more") }
    }

    func run() throws {
        let tensors = try reportingFailures { () throws in
            do { return try ModelTensors.open(model) } catch let error as ModelTensorsError {
                // A mismatch names tensors, not the file: say which model it is about.
                if case .mismatch = error { throw Failure("\(model): \(error)") }
                throw error
            }
        }
        if let output {
            let config = ModelLocation(model).configFile
            for path in tensors.source.inputFiles + [config] where Paths.refersToSame(path, output) {
                throw Failure("\(output): refusing to overwrite the input file \(path)")
            }
        }
        // Loading errors name a tensor or a config field; say which model they are about.
        let encoder = try reportingFailures { () throws in
            do { return try Encoders.load(tensors) } catch { throw Failure("\(model): \(error)") }
        }
        var tokens: [[String]]?
        var sequences: [[Int]]
        if text.isEmpty {
            sequences = try ids.map(parseList)
        } else {
            let tokenizer: any TextTokenizer
            do {
                tokenizer = try TokenizerLoader.load(modelPath: ModelLocation(model).directory)
            } catch {
                throw Failure("\(error); give token ids with --ids instead of --text")
            }
            let encodings = text.map { tokenizer.encode($0) }
            tokens = encodings.map(\.tokens)
            sequences = encodings.map(\.ids)
        }
        let types = typeIds.isEmpty ? nil : try typeIds.map(parseList)
        let batch = try reportingFailures { try EncoderBatch(sequences: sequences, typeIDs: types) }
        let lookup = try reportingFailures { try encoder.staticVectors(batch) }
        let contextual = try reportingFailures { try encoder.encode(batch) }
        let pooled = pool?.pooled(contextual, mask: batch.mask)
        if let output { try write(output, contextual, batch, pooled) }
        let walkthrough = EmbedReport(tokens: tokens, batch: batch, lookup: lookup, contextual: contextual, pooled: pooled, values: values)
        if json { print(walkthrough.json().rendered()) } else { print(walkthrough.text(), terminator: "") }
    }

    private func parseList(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: " ") }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == parts.count, !numbers.isEmpty else { throw ValidationError("\(text): expected comma-separated integers such as 1,17,42,2") }
        return numbers
    }

    private func write(_ path: String, _ states: HiddenStates, _ batch: EncoderBatch, _ pooled: Matrix?) throws {
        func floats(_ name: String, _ values: [Float], _ shape: [Int]) -> TensorPayload {
            TensorPayload(name: name, dtype: .f32, shape: Shape(shape)) { sink in try values.withUnsafeBytes { try sink.write($0) } }
        }
        var payloads = [
            floats("last_hidden_state", states.states.values, [states.batch, states.length, states.hidden]),
            TensorPayload(name: "attention_mask", dtype: .i64, shape: Shape([batch.size, batch.length])) { sink in
                try batch.mask.flatMap { $0.map { Int64($0).littleEndian } }.withUnsafeBytes { try sink.write($0) }
            },
        ]
        if let pooled { payloads.append(floats("sentence_embedding", pooled.values, [pooled.rows, pooled.columns])) }
        try reportingFailures { try SafetensorsWriter.write(payloads, metadata: .defaultForNewFiles, to: path, overwrite: force) }
    }
}
