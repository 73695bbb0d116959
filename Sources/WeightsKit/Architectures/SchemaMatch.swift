/// A file's tensors paired with a schema through the naming rules: which expected tensors
/// were found under which names, which are missing, and which the schema does not know.
struct SchemaMatch {
    /// Expected tensors that the file has, with the file's entry, in schema order.
    private(set) var found: [(expected: ExpectedTensor, info: TensorInfo)] = []
    /// Required tensors the file lacks, in schema order.
    private(set) var missing: [ExpectedTensor] = []
    /// Tensors the schema does not know; `duplicateOf` is set when another spelling of the
    /// same canonical name was already matched ("bert.x" beside "x").
    private(set) var unexpected: [(info: TensorInfo, duplicateOf: String?)] = []
    /// The prefix most matched tensors carry, used to spell missing names the file's way.
    private(set) var prefix = ""

    init(schema: ModelSchema, tensors: [TensorInfo]) {
        var taken: [ExactName: String] = [:]  // canonical name -> file name
        var prefixCounts: [String: Int] = [:]
        // Canonical spellings claim their tensor first, so when a file has both "x" and
        // "bert.x", the odd one out is the prefixed copy; otherwise name order decides.
        let named = tensors.map { (info: $0, canonical: schema.naming.canonical($0.name)) }
        let ordered = named.sorted { left, right in
            let leftExact = left.canonical.name.isByteEqual(to: left.info.name), rightExact = right.canonical.name.isByteEqual(to: right.info.name)
            if leftExact != rightExact { return leftExact }
            return left.info.name.bytePrecedes(right.info.name)
        }
        var foundByName: [ExactName: TensorInfo] = [:]
        for (info, (canonical, prefix)) in ordered {
            if schema.tensor(named: canonical) != nil {
                if let previous = taken[canonical.exact] {
                    unexpected.append((info, previous))
                } else {
                    taken[canonical.exact] = info.name
                    foundByName[canonical.exact] = info
                    prefixCounts[prefix, default: 0] += 1
                }
            } else if !schema.naming.isHead(canonical) {
                unexpected.append((info, nil))
            }
        }
        for expected in schema.tensors {
            if let info = foundByName[expected.name.exact] {
                found.append((expected, info))
            } else if expected.presence == .required {
                missing.append(expected)
            }
        }
        prefix = prefixCounts.max { left, right in
            // Most used wins; on a tie, the shorter spelling ("" before "bert.").
            left.value != right.value ? left.value < right.value : right.key.utf8.lexicographicallyPrecedes(left.key.utf8)
        }?.key ?? ""
    }

    /// How the file would spell an expected tensor it lacks.
    func spelling(of expected: ExpectedTensor) -> String { prefix + expected.name }
}
