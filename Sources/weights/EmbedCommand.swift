import ArgumentParser
import EmbeddingCore
import WeightsKit

extension Pooling: ExpressibleByArgument {}

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Turn text or token ids into vectors with a BERT or DeBERTa-v2 model.",
        discussion: """
        MODEL is a model directory (config.json, weights, and spm.model,
        tokenizer.json or vocab.txt for --text), a WeightPack file with its config
        embedded, or a BERT GGUF file (llama.cpp's; config, vocabulary and pooling
        from its metadata). Weights may be stored in any encoding (F32, F16, BF16,
        Int8, Q8_0); quantized matrices are dequantized once at load. Repeated --text
        (or --ids) form one batch, padded to the longest.

        Prints each step: the token ids, their static vectors from the lookup table,
        and the contextual vectors from the encoder, with shapes and the first values
        of each vector. An output holding a NaN or infinity is an error (exit 1,
        [non-finite-output]): nothing is printed or written. --output writes
        last_hidden_state (F32 [batch, seq, hidden]), attention_mask (I64 [batch,
        seq]) and sentence_embedding (F32 [batch, dim], when pooled) as safetensors.

        A sentence-transformers folder (modules.json) is followed as
        sentence-transformers does: texts are lowercased if sentence_bert_config.json
        says do_lower_case and cut to its max_seq_length (256 for all-MiniLM-L6-v2;
        [SEP] is kept last), and the sentence embedding is pooled as
        1_Pooling/config.json says, L2-normalised when a Normalize module is listed.
        Without such a folder, texts are cut to the model's max_position_embeddings
        and nothing is pooled unless --pool is given (a GGUF pools as its pooling_type
        says, L2-normalised, as llama.cpp does; a pooling_type other than 0-4 is an
        error, 4 (rank) is noted and pools nothing). A cut text is noted on stderr.

        --pool MODE (cls, max, mean, mean_sqrt_len_tokens, weightedmean, lasttoken;
        repeat it to concatenate several, in order) replaces the folder's pooling;
        --normalize / --no-normalize replaces its Normalize module (without a folder,
        pooled vectors are normalised). --max-length N replaces max_seq_length.

        Examples:
          weights embed all-MiniLM-L6-v2 --text "Hello world"
          weights embed all-MiniLM-L6-v2 --text "I ate an Apple" \\
              --text "I bought Apple stock" --json
          weights embed all-MiniLM-L6-v2 --text "a long text..." --max-length 512 \\
              --pool cls --no-normalize
          weights embed SampleModels/tiny-deberta-v3 --text "Hello world"
          weights embed SampleModels/tiny-deberta --ids 1,17,42,2 \\
              --output out.safetensors
          weights embed bge-small-en-v1.5-f16.gguf --text "Hello world"
        """
    )

    @Argument(help: "A model directory, a .wpk file with its config embedded, a BERT .gguf file, or ORG/NAME[@REVISION] in the Hugging Face cache.")
    var model: String

    @Option(help: "Text to embed (repeatable; needs spm.model, tokenizer.json or vocab.txt beside the model, or a GGUF's vocabulary).")
    var text: [String] = []

    @Option(help: "Token ids to embed, comma-separated (repeatable).")
    var ids: [String] = []

    @Option(help: "Token type ids for the matching --ids, comma-separated (repeatable; zeros otherwise).")
    var typeIds: [String] = []

    @Option(help: ArgumentHelp("Pool token vectors into a sentence embedding: cls, max, mean, mean_sqrt_len_tokens, weightedmean, lasttoken (repeatable: concatenated; default: what the folder's 1_Pooling says).", valueName: "mode"))
    var pool: [Pooling] = []

    @Flag(inversion: .prefixedNo, help: "L2-normalise the pooled embedding (default: when the folder lists a Normalize module; always without a folder).")
    var normalize: Bool?

    @Option(help: ArgumentHelp("Cut each --text to at most N ids, [CLS] and [SEP] included (default: the folder's max_seq_length, else the model's max_position_embeddings).", valueName: "n"))
    var maxLength: Int?

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
        if let maxLength, maxLength < 2 { throw ValidationError("--max-length \(maxLength): must be at least 2 ([CLS] and [SEP])") }
        if maxLength != nil && text.isEmpty { throw ValidationError("--max-length applies to --text (--ids are used as given)") }
    }

    func run() throws {
        let model = try ModelArgument.resolve(self.model)
        // A sentence-transformers folder says how to cut, pool and normalise; its
        // Transformer module may live in a subfolder (0_Transformer).
        let folder = try reportingFailures { () throws in try ModelLocation(model).sentenceTransformerConfig() }
        let weights = folder.map { $0.transformerPath.isEmpty ? model : $0.transformerDirectory } ?? model
        let tensors = try reportingFailures { () throws in
            do { return try ModelTensors.open(weights) } catch let error as ModelTensorsError {
                // A mismatch names tensors, not the file: say which model it is about.
                if case .mismatch = error { throw Failure("\(weights): \(error)") }
                throw error
            }
        }
        if let output {
            let config = ModelLocation(weights).configFile
            for path in tensors.source.inputFiles + [config] where Paths.refersToSame(path, output) {
                throw Failure("\(output): refusing to overwrite the input file \(path)")
            }
        }
        let gguf = (tensors.source as? GGUFHuggingFaceNames)?.file
        let settings = try settings(folder: folder, model: tensors.config, gguf: gguf)
        // Loading errors name a tensor or a config field; say which model they are about.
        let encoder = try reportingFailures { () throws in
            do { return try Encoders.load(tensors) } catch { throw Failure("\(weights): \(error)") }
        }
        var tokens: [[String]]?
        var sequences: [[Int]]
        if text.isEmpty {
            sequences = try ids.map(parseList)
        } else {
            let tokenizer: any TextTokenizer
            do {
                // A .gguf file is its own tokenizer; any other file stands for its folder.
                tokenizer = try TokenizerLoader.load(modelPath: gguf?.path ?? ModelLocation(weights).directory)
            } catch {
                throw Failure("\(error); give token ids with --ids instead of --text")
            }
            let encodings = try text.enumerated().map { index, text in
                do { return try settings.budgetedEncode(text, with: tokenizer) } catch { throw Failure("text \(index): \(error)") }
            }
            for (index, encoding) in encodings.enumerated() where encoding.count == settings.maxLength {
                // Counted, not kept: a long text's ids past the cut are never held.
                let full: Int
                do { full = try tokenizer.budgetedCount(settings.prepared(text[index], for: tokenizer)) } catch {
                    throw Failure("text \(index): \(error)")
                }
                if full > settings.maxLength {
                    Output.warning("text \(index) has \(full) tokens; cut to \(settings.maxLength) (\(lengthSource(folder)))")
                }
            }
            // A folder's max_seq_length may exceed the model's positions (sentence-transformers
            // then fails on a long text too): name the setting rather than the encoder's limit.
            let positions = tensors.config.maxPositionEmbeddings
            if let folder, maxLength == nil, let index = encodings.firstIndex(where: { $0.count > positions }) {
                throw Failure("\(Paths.join(folder.transformerDirectory, "sentence_bert_config.json")): max_seq_length \(settings.maxLength) "
                    + "exceeds the model's \(positions) positions (max_position_embeddings), and text \(index) has \(encodings[index].count) tokens")
            }
            tokens = encodings.map(\.tokens)
            sequences = encodings.map(\.ids)
        }
        let types = typeIds.isEmpty ? nil : try typeIds.map(parseList)
        let batch = try reportingFailures { try EncoderBatch(sequences: sequences, typeIDs: types) }
        let lookup = try reportingFailures { try encoder.staticVectors(batch) }
        let contextual = try reportingFailures { try encoder.encode(batch) }
        let pooled = settings.pooling?.pooled(contextual, mask: batch.mask)
        // A NaN or infinity is never a result: nothing is printed or written.
        do {
            try lookup.requireFinite("the static vectors")
            try contextual.requireFinite("last_hidden_state")
            try pooled?.requireFinite("sentence_embedding")
        } catch {
            throw Failure("\(weights): \(error)")
        }
        if let output { try write(output, contextual, batch, pooled) }
        let walkthrough = EmbedReport(tokens: tokens, batch: batch, lookup: lookup, contextual: contextual, pooled: pooled,
                                      pooling: settings.pooling, values: values)
        if json { print(walkthrough.json().rendered()) } else { print(walkthrough.text(), terminator: "") }
    }

    /// The folder's settings with the flags applied over them.
    /// A GGUF file without a folder pools as its `pooling_type` says (llama.cpp's way).
    private func settings(folder: SentenceTransformerConfig?, model: ModelConfig, gguf: GGUFFile?) throws -> TextEmbeddingSettings {
        var settings = TextEmbeddingSettings(folder: folder, model: model)
        if folder == nil, pool.isEmpty, let gguf {
            let type = try reportingFailures { try gguf.poolingType() }
            if type == .rank, let key = gguf.poolingTypeKey {
                Output.warning("\(gguf.path): \(key) 4 (rank) is a reranker's classification head, which is not modelled: "
                    + "the token vectors are not pooled (give --pool to pool them)")
            }
            settings.pooling = type.flatMap(SentencePooling.init(gguf:))
        }
        if let maxLength {
            guard maxLength <= model.maxPositionEmbeddings else {
                throw Failure("--max-length \(maxLength): the model has \(model.maxPositionEmbeddings) positions (max_position_embeddings)")
            }
            settings.maxLength = maxLength
        }
        if !pool.isEmpty {
            settings.pooling = SentencePooling(modes: pool, normalize: folder?.normalize ?? true)
        }
        if let normalize {
            guard settings.pooling != nil else { throw Failure("--normalize applies to a pooled embedding: give --pool (the model has no sentence-transformers Pooling module)") }
            settings.pooling?.normalize = normalize
        }
        return settings
    }

    private func lengthSource(_ folder: SentenceTransformerConfig?) -> String {
        if maxLength != nil { return "--max-length" }
        if folder?.maxSequenceLength != nil { return "max_seq_length of sentence_bert_config.json; --max-length to change" }
        return "max_position_embeddings; --max-length to change"
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
