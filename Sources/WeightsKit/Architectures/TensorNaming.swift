/// How checkpoints spell the names a schema lists: the one table of naming rules.
///
/// Schemas use canonical names: what transformers' base model (`BertModel`,
/// `DebertaV2Model`) saves today. Checkpoints of task models put the base model under
/// a prefix (`BertForMaskedLM` saves "bert.embeddings..."), TensorFlow-era exports call
/// LayerNorm parameters gamma and beta, and task heads add tensors whose sizes depend on
/// the task. Matching goes through these rules only, for validation and loading alike.
package struct TensorNaming: Sendable {
    /// Prefixes in front of the base model's tensors (tried in order; none is also fine).
    package let prefixes: [String]
    /// Task-head tensors start with one of these (after any prefix is removed); they are
    /// accepted as they are, because their shapes depend on the task, not the config.
    let headPrefixes: [String]

    /// Old spellings of a name's last components and what they mean today.
    static let legacySuffixes: [(legacy: String, current: String)] = [
        ("LayerNorm.gamma", "LayerNorm.weight"),
        ("LayerNorm.beta", "LayerNorm.bias"),
    ]

    /// The rules for each supported `model_type`.
    static let rules: [String: TensorNaming] = [
        "bert": TensorNaming(
            prefixes: ["bert."],
            headPrefixes: ["cls.", "classifier.", "qa_outputs."]),
        "deberta-v2": TensorNaming(
            prefixes: ["deberta."],
            headPrefixes: ["lm_predictions.", "mask_predictions.", "cls.", "classifier.", "qa_outputs."]),
    ]

    static func rules(for modelType: String) -> TensorNaming {
        rules[modelType] ?? TensorNaming(prefixes: [], headPrefixes: [])
    }

    /// `name` with its prefix removed and legacy suffixes rewritten, and the prefix it had.
    func canonical(_ name: String) -> (name: String, prefix: String) {
        var rest = Substring(name)
        var prefix = ""
        // By bytes: `hasPrefix` and `count` work on canonically equivalent characters, and
        // a combining mark after the prefix's "." would merge with it into one character.
        if let match = prefixes.first(where: { name.hasBytePrefix($0) && name.utf8.count > $0.utf8.count }) {
            prefix = match
            // Prefixes end in ASCII ".", so what follows starts a whole scalar.
            rest = Substring(String(decoding: name.utf8.dropFirst(match.utf8.count), as: UTF8.self))
        }
        var result = String(rest)
        for rule in TensorNaming.legacySuffixes where result.isByteEqual(to: rule.legacy) || result.hasByteSuffix("." + rule.legacy) {
            result = String(decoding: result.utf8.dropLast(rule.legacy.utf8.count), as: UTF8.self) + rule.current
        }
        return (result, prefix)
    }

    /// True when the canonical name belongs to a task head.
    func isHead(_ canonicalName: String) -> Bool {
        headPrefixes.contains { canonicalName.hasBytePrefix($0) }
    }
}
