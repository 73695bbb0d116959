/// BERT's special tokens, by their role. tokenizer_config.json can rename them.
public struct BertSpecialTokens: Sendable, Equatable {
    public var unknown = "[UNK]"
    public var classifier = "[CLS]"
    public var separator = "[SEP]"
    public var padding = "[PAD]"
    public var mask = "[MASK]"

    public init() {}
}
