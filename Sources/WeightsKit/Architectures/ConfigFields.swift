/// Typed reads of a config.json object, each absent field taking the default transformers
/// applies. Every read checks the JSON type and a range, so a corrupt or hostile config
/// fails with a message naming the field instead of producing absurd schemas.
struct ConfigFields {
    /// Caps on sizes: products of two stay far from overflow, and a config cannot make us
    /// list millions of tensors.
    static let maximumDimension = 1 << 24
    static let maximumLayers = 1024

    /// Borrowed from a `JSONDocument` that the caller keeps alive.
    let object: JSONNode

    /// A size: at least `minimum`, at most `maximumDimension`.
    func size(_ key: String, default value: Int, minimum: Int = 1) throws(ModelConfigError) -> Int {
        try integer(key, default: value, in: minimum...ConfigFields.maximumDimension)
    }

    func integer(_ key: String, default value: Int, in range: ClosedRange<Int>) throws(ModelConfigError) -> Int {
        guard let node = object.member(key) else { return value }
        guard let number = node.integer else { throw .invalidField(key: key, expected: "an integer", actual: describe(node)) }
        guard let integer = Int(exactly: number), range.contains(integer) else {
            throw .outOfRange(key: key, value: Int(clamping: number), range: range)
        }
        return integer
    }

    /// An integer that may be null (pad_token_id).
    func optionalInteger(_ key: String, default value: Int?) throws(ModelConfigError) -> Int? {
        guard let node = object.member(key) else { return value }
        if node.kind == .null { return nil }
        guard let number = node.integer, let integer = Int(exactly: number) else {
            throw .invalidField(key: key, expected: "an integer or null", actual: describe(node))
        }
        return integer
    }

    func bool(_ key: String, default value: Bool) throws(ModelConfigError) -> Bool {
        guard let node = object.member(key) else { return value }
        guard let bool = node.bool else { throw .invalidField(key: key, expected: "true or false", actual: describe(node)) }
        return bool
    }

    func number(_ key: String, default value: Double) throws(ModelConfigError) -> Double {
        guard let node = object.member(key) else { return value }
        guard let number = node.number else { throw .invalidField(key: key, expected: "a number", actual: describe(node)) }
        return number
    }

    /// A positive number that stays positive and finite as the F32 the kernels use
    /// (`layer_norm_eps`: a zero, negative or NaN epsilon makes every output NaN).
    func positiveNumber(_ key: String, default value: Double) throws(ModelConfigError) -> Double {
        let number = try number(key, default: value)
        let single = Float(number)
        guard number > 0, single > 0, single.isFinite else {
            throw .numberOutOfRange(key: key, value: number, requirement: "a finite number above 0, within 32-bit float range")
        }
        return number
    }

    /// A token id the embedding table has: transformers' `nn.Embedding(padding_idx:)` takes
    /// -vocab..<vocab (a negative one counts from the end).
    func tokenID(_ key: String, default value: Int?, vocabulary: Int) throws(ModelConfigError) -> Int? {
        guard let id = try optionalInteger(key, default: value) else { return nil }
        guard id >= -vocabulary && id < vocabulary else { throw .outOfRange(key: key, value: id, range: -vocabulary...(vocabulary - 1)) }
        return id
    }

    func string(_ key: String, default value: String) throws(ModelConfigError) -> String {
        guard let node = object.member(key) else { return value }
        guard let string = node.string else { throw .invalidField(key: key, expected: "a string", actual: describe(node)) }
        return string
    }

    /// One of a fixed set of names (`hidden_act`): anything else fails naming the field
    /// and every accepted value.
    func choice<Value: RawRepresentable & CaseIterable>(_ key: String, default value: Value) throws(ModelConfigError) -> Value
        where Value.RawValue == String {
        let name = try string(key, default: value.rawValue)
        guard let choice = Value(rawValue: name) else {
            let accepted = Value.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw .invalidField(key: key, expected: "one of \(accepted)", actual: describe(name))
        }
        return choice
    }

    /// A list that transformers also accepts as one "a|b" string (pos_att_type, norm_rel_ebd):
    /// lowercased, trimmed, empty entries dropped. Absent or null gives `value`.
    func list(_ key: String, default value: [String]) throws(ModelConfigError) -> [String] {
        guard let node = object.member(key), node.kind != .null else { return value }
        let items: [String]
        if let string = node.string {
            items = string.split(separator: "|").map(String.init)
        } else if node.kind == .array {
            var strings: [String] = []
            for element in node.elements {
                guard let string = element.string else {
                    throw .invalidField(key: key, expected: "a list of strings", actual: "a list holding \(describe(element))")
                }
                strings.append(string)
            }
            items = strings
        } else {
            throw .invalidField(key: key, expected: "a string or a list of strings", actual: describe(node))
        }
        return items.map { $0.lowercased().trimmingSpaces() }.filter { !$0.isEmpty }
    }

    /// "string "384"", "number", "null": enough to see what went wrong, never long.
    private func describe(_ node: JSONNode) -> String {
        if let string = node.string { return describe(string) }
        if let number = node.number { return "number \(number)" }
        if let bool = node.bool { return "\(bool)" }
        return node.kindName
    }

    private func describe(_ string: String) -> String {
        let shown = string.count > 40 ? String(string.prefix(40)) + "..." : string
        return "string \"\(shown)\""
    }
}

extension String {
    /// Without leading and trailing spaces (Python's `strip()` on the names configs use).
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}
