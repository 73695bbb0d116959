/// One JSON value (RFC 8259, nothing more) parsed from untrusted bytes, with every string
/// and key kept as its exact bytes, NUL included. What safetensors headers and the shard
/// index are read with, and the tokenizer files (tokenizer.json, tokenizer_config.json);
/// config.json stays with `JSONDocument`.
///
/// The grammar is exact: no NaN or Infinity, no leading zeros, no trailing commas, no
/// comments, only JSON's escapes, no raw control characters in strings, no escaped lone
/// or mis-paired surrogates, well-formed UTF-8 only (checked first, over the whole
/// input), nesting at most `maximumDepth`, and by default no key twice in one object (the
/// reference rejects a repeated tensor name; a JSON map that silently keeps one is how two
/// readers come to disagree). Tokenizer files are read with `.lastWins`, serde_json's rule
/// for a map: every member is kept and `member` finds the last. Integers are exact up to `UInt64.max`; other numbers are checked
/// against the grammar and kept as "not an integer".
///
/// The tree is two flat arrays (nodes in document order, and the decoded string bytes)
/// in one object, so parsing allocates per document, not per node; a `Value` is an index
/// into them that keeps the document alive.
package final class StrictJSON: Sendable {
    /// Deepest nesting of arrays and objects accepted (serde_json's limit too).
    package static let maximumDepth = 128
    /// Largest input accepted (node fields are 32-bit).
    static let maximumLength = Int(UInt32.max)

    package enum Kind: UInt8, Sendable {
        case null, bool, number, string, array, object
    }

    /// One node: a scalar, or a container followed by its children (an object's as
    /// key, value, key, value...).
    struct Node: Sendable {
        var kind: Kind
        /// bool: 1 for true. number: `Node.integer`, `.negative`, `.fitsUInt64`.
        var flags: UInt8
        /// string: byte length; array: elements; object: members.
        var count: UInt32
        /// string: offset in `strings`; array/object: index of the node after the
        /// subtree; number: the integer's magnitude when it fits.
        var payload: UInt64

        static let integer: UInt8 = 1, negative: UInt8 = 2, fitsUInt64: UInt8 = 4
    }

    /// What a key repeated in one object does: refuse the document, or keep every member
    /// with `member` answering the last (serde_json's map, which `tokenizers` reads into).
    package enum DuplicateKeys: Sendable {
        case reject, lastWins
    }

    /// Why the bytes are not one strict JSON value, and where (a byte offset in the input).
    package struct ParseError: Error, Sendable, CustomStringConvertible {
        package enum Kind: Sendable { case invalidUTF8, syntax }
        package let kind: Kind
        package let reason: String
        package let offset: Int

        package var description: String { "\(reason) at byte \(offset)" }
    }

    let nodes: [Node]
    let strings: [UInt8]
    /// False when the document was read with `.lastWins`: `member` must then look past
    /// the first match.
    let keysAreUnique: Bool

    private init(nodes: [Node], strings: [UInt8], keysAreUnique: Bool) {
        self.nodes = nodes
        self.strings = strings
        self.keysAreUnique = keysAreUnique
    }

    /// Parses exactly one value from `bytes`, with only JSON whitespace around it.
    package static func parse(_ bytes: UnsafeRawBufferPointer, duplicateKeys: DuplicateKeys = .reject) throws(ParseError) -> StrictJSON {
        guard bytes.count <= maximumLength else {
            throw ParseError(kind: .syntax, reason: "document larger than 4 GiB", offset: 0)
        }
        if let offset = UTF8Validation.firstInvalidOffset(bytes) {
            throw ParseError(kind: .invalidUTF8, reason: "invalid UTF-8", offset: offset)
        }
        var nodes: [Node] = []
        var failure: ParseError?
        let strings = [UInt8](unsafeUninitializedCapacity: max(bytes.count, 1)) { arena, initialized in
            var parser = StrictJSONParser(bytes, arena: arena.baseAddress!, duplicateKeys: duplicateKeys)
            do throws(ParseError) { try parser.parseDocument() } catch { failure = error }
            initialized = parser.arenaCount
            nodes = parser.nodes
        }
        if let failure { throw failure }
        return StrictJSON(nodes: nodes, strings: strings, keysAreUnique: duplicateKeys == .reject)
    }

    package var root: Value { Value(document: self, index: 0) }

    /// A borrowed node; cheap to copy (it shares the document's arrays).
    package struct Value {
        let document: StrictJSON
        let index: Int

        private var node: Node { document.nodes[index] }

        package var kind: Kind { node.kind }

        /// The JSON type as a user would name it, for error messages.
        package var kindName: String {
            switch kind {
            case .null: "null"
            case .bool: "bool"
            case .number: "number"
            case .string: "string"
            case .array: "array"
            case .object: "object"
            }
        }

        /// The string's exact bytes (already checked to be UTF-8), or nil for another kind.
        package var bytes: ArraySlice<UInt8>? {
            let node = node
            guard node.kind == .string else { return nil }
            let start = Int(node.payload)
            return document.strings[start..<(start + Int(node.count))]
        }

        /// The string value, byte for byte (NUL included), or nil for another kind.
        package var string: String? {
            bytes.map { String(decoding: $0, as: UTF8.self) }
        }

        /// The value of `true` or `false`, or nil for any other kind.
        package var bool: Bool? { kind == .bool ? node.flags == 1 : nil }

        /// True for a number written without fraction or exponent.
        package var isInteger: Bool { kind == .number && node.flags & Node.integer != 0 }

        /// A non-negative integer that fits in `UInt64` (`-0` is 0), or nil.
        package var unsignedInteger: UInt64? {
            let node = node
            guard node.kind == .number, node.flags & (Node.integer | Node.fitsUInt64) == Node.integer | Node.fitsUInt64 else { return nil }
            if node.flags & Node.negative != 0 && node.payload != 0 { return nil }
            return node.payload
        }

        /// An integer (no fraction or exponent) that fits in `Int`, or nil.
        package var integer: Int? {
            let node = node
            guard node.kind == .number, node.flags & (Node.integer | Node.fitsUInt64) == Node.integer | Node.fitsUInt64 else { return nil }
            if node.flags & Node.negative == 0 { return node.payload <= UInt64(Int.max) ? Int(node.payload) : nil }
            if node.payload == UInt64(Int.max) + 1 { return Int.min }
            return node.payload <= UInt64(Int.max) ? -Int(node.payload) : nil
        }

        /// True for an integer below zero (of any size).
        package var isNegativeInteger: Bool {
            let node = node
            return isInteger && node.flags & Node.negative != 0 && (node.payload != 0 || node.flags & Node.fitsUInt64 == 0)
        }

        /// True for a non-negative integer beyond `UInt64.max`.
        package var isUnsignedIntegerBeyond64Bits: Bool {
            isInteger && node.flags & (Node.negative | Node.fitsUInt64) == 0
        }

        /// Elements of an array, members of an object, 0 otherwise.
        package var count: Int {
            kind == .array || kind == .object ? Int(node.count) : 0
        }

        /// The node after this value and everything inside it.
        private var next: Int {
            let node = node
            return node.kind == .array || node.kind == .object ? Int(node.payload) : index + 1
        }

        /// Array elements in order (empty if this is not an array).
        package var elements: [Value] {
            guard kind == .array else { return [] }
            var result: [Value] = []
            result.reserveCapacity(count)
            var child = index + 1
            for _ in 0..<count {
                let value = Value(document: document, index: child)
                result.append(value)
                child = value.next
            }
            return result
        }

        /// Calls `body` with each array element in order, allocating nothing (nothing for
        /// another kind).
        package func forEachElement<E: Error>(_ body: (Value) throws(E) -> Void) throws(E) {
            guard kind == .array else { return }
            var child = index + 1
            for _ in 0..<count {
                let value = Value(document: document, index: child)
                try body(value)
                child = value.next
            }
        }

        /// The first two elements of an array of at least two, without allocating.
        package var firstTwoElements: (Value, Value)? {
            guard kind == .array, count >= 2 else { return nil }
            let first = Value(document: document, index: index + 1)
            return (first, Value(document: document, index: first.next))
        }

        /// Object members in document order (empty if this is not an object). Keys are
        /// exact bytes, NUL and all; unique unless the document was read with `.lastWins`.
        package var members: [(key: String, value: Value)] {
            guard kind == .object else { return [] }
            var result: [(key: String, value: Value)] = []
            result.reserveCapacity(count)
            var child = index + 1
            for _ in 0..<count {
                let key = Value(document: document, index: child)
                let value = Value(document: document, index: child + 1)
                result.append((key.string ?? "", value))
                child = value.next
            }
            return result
        }

        /// The member whose key has exactly the bytes of `key` (the last such member when
        /// keys may repeat), or nil.
        package func member(_ key: String) -> Value? {
            guard kind == .object else { return nil }
            var wanted = key
            return wanted.withUTF8 { wanted in
                document.strings.withUnsafeBufferPointer { strings in
                    var found: Value?
                    var child = index + 1
                    for _ in 0..<count {
                        let keyNode = document.nodes[child]
                        let value = Value(document: document, index: child + 1)
                        if Int(keyNode.count) == wanted.count
                            && (wanted.isEmpty || System.bytesEqual(strings.baseAddress! + Int(keyNode.payload), wanted.baseAddress!, count: wanted.count)) {
                            if document.keysAreUnique { return value }
                            found = value
                        }
                        child = value.next
                    }
                    return found
                }
            }
        }
    }
}
