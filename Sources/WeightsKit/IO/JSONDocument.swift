internal import CJSONC

/// JSON parsed by json-c in strict mode, read through `JSONNode`s.
///
/// json-c types never leave this file. The tree is only reachable inside
/// `JSONDocument.withRoot`, which keeps it alive for exactly the duration of the closure:
/// nodes are borrowed views into it, so reading one after the tree is freed (a
/// use-after-free Swift's optimiser would otherwise be free to cause by releasing an
/// unused document early) cannot be written.
final class JSONDocument {
    private let rootObject: OpaquePointer?

    /// Parses `bytes` and lends the root node to `body`; the tree is freed when `body`
    /// returns. Parse failures are turned into the caller's error type by `parseError`.
    static func withRoot<Result, Failure: Error>(
        parsing bytes: UnsafeRawBufferPointer,
        parseError: (ParseError) -> Failure,
        _ body: (JSONNode) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let document: JSONDocument
        do { document = try JSONDocument(parsing: bytes) } catch { throw parseError(error) }
        return try withExtendedLifetime(document) { () throws(Failure) -> Result in try body(JSONNode(handle: document.rootObject)) }
    }

    /// Why a buffer is not one strict JSON value.
    enum ParseError: Error {
        case invalidUTF8
        case syntax(String)
        case trailingCharacters(offset: Int)
    }

    /// Parses exactly one JSON value from `bytes`, allowing only JSON whitespace after it.
    private init(parsing bytes: UnsafeRawBufferPointer) throws(ParseError) {
        guard bytes.count < Int(Int32.max) else { throw .syntax("document larger than 2 GiB") }
        // Swift's validator rejects overlong forms and surrogates, which json-c's lets through.
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .invalidUTF8 }
        guard let tokener = json_tokener_new() else { throw .syntax("out of memory") }
        defer { json_tokener_free(tokener) }
        json_tokener_set_flags(tokener, JSON_TOKENER_STRICT)

        // The header is not NUL-terminated. json-c wants the terminating NUL counted in the
        // length when the input is complete (so a bare number parses), so parse a copy.
        var buffer = [CChar](repeating: 0, count: bytes.count + 1)
        buffer.withUnsafeMutableBytes { $0.copyMemory(from: bytes) }
        let parsed = buffer.withUnsafeBufferPointer { chars in
            json_tokener_parse_ex(tokener, chars.baseAddress, Int32(chars.count))
        }
        let error = json_tokener_get_error(tokener)
        guard error == json_tokener_success else {
            if let parsed { json_object_put(parsed) }
            throw .syntax(String(cString: json_tokener_error_desc(error)))
        }
        // A successful parse with no object is the JSON value `null`.
        let root = parsed
        let end = min(json_tokener_get_parse_end(tokener), bytes.count)
        for index in end..<bytes.count where !JSONDocument.isWhitespace(bytes[index]) {
            if let root { json_object_put(root) }
            throw .trailingCharacters(offset: index)
        }
        // json-c accepts NaN and Infinity even in strict mode; JSON has neither.
        if let root, JSONDocument.containsNonFiniteNumber(root) {
            json_object_put(root)
            throw .syntax("NaN and Infinity are not JSON numbers")
        }
        rootObject = root
    }

    private static func containsNonFiniteNumber(_ node: OpaquePointer?) -> Bool {
        switch json_object_get_type(node) {
        case json_type_double:
            return !json_object_get_double(node).isFinite
        case json_type_array:
            for index in 0..<json_object_array_length(node) where containsNonFiniteNumber(json_object_array_get_idx(node, index)) {
                return true
            }
            return false
        case json_type_object:
            var entry = json_object_get_object(node)?.pointee.head
            while let current = entry {
                if containsNonFiniteNumber(OpaquePointer(current.pointee.v)) { return true }
                entry = current.pointee.next
            }
            return false
        default:
            return false
        }
    }

    deinit {
        if let rootObject { json_object_put(rootObject) }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

/// A borrowed node of a `JSONDocument`.
struct JSONNode {
    fileprivate let handle: OpaquePointer?

    enum Kind: String {
        case null, bool, integer, double, string, array, object
    }

    var kind: Kind {
        switch json_object_get_type(handle) {
        case json_type_boolean: .bool
        case json_type_int: .integer
        case json_type_double: .double
        case json_type_string: .string
        case json_type_array: .array
        case json_type_object: .object
        default: .null
        }
    }

    /// The JSON type as a user would name it, for error messages.
    var kindName: String {
        switch kind {
        case .integer, .double: "number"
        default: kind.rawValue
        }
    }

    /// The string value (which may contain NUL characters), or nil if this is not a string.
    var string: String? {
        guard kind == .string, let chars = json_object_get_string(handle) else { return nil }
        let length = Int(json_object_get_string_len(handle))
        return UnsafeRawBufferPointer(start: chars, count: length).withMemoryRebound(to: UInt8.self) {
            String(validating: $0, as: UTF8.self)
        }
    }

    /// A non-negative integer that fits in `UInt64`, or nil (negative, fractional, or not a number).
    var unsignedInteger: UInt64? {
        guard kind == .integer else { return nil }
        if json_object_get_int64(handle) < 0 { return nil }
        return json_object_get_uint64(handle)
    }

    /// True for an integer below zero.
    var isNegativeInteger: Bool {
        kind == .integer && json_object_get_int64(handle) < 0
    }

    /// An integer of either sign that fits in `Int64`, or nil (fractional, larger, or not a number).
    var integer: Int64? {
        guard kind == .integer else { return nil }
        let signed = json_object_get_int64(handle)
        if signed < 0 { return signed }
        let unsigned = json_object_get_uint64(handle)
        return unsigned <= UInt64(Int64.max) ? Int64(unsigned) : nil
    }

    /// Any number (integers converted), or nil if this is not a number.
    var number: Double? {
        kind == .integer || kind == .double ? json_object_get_double(handle) : nil
    }

    /// The value of `true` or `false`, or nil for any other kind.
    var bool: Bool? {
        kind == .bool ? json_object_get_boolean(handle) != 0 : nil
    }

    var count: Int {
        switch kind {
        case .array: Int(json_object_array_length(handle))
        case .object: Int(json_object_object_length(handle))
        default: 0
        }
    }

    /// Array elements in order (empty if this is not an array).
    var elements: [JSONNode] {
        guard kind == .array else { return [] }
        return (0..<count).map { JSONNode(handle: json_object_array_get_idx(handle, $0)) }
    }

    /// Object members in document order (empty if this is not an object). Keys are C
    /// strings in json-c, so a key is cut at an escaped NUL.
    var members: [(key: String, value: JSONNode)] {
        guard kind == .object else { return [] }
        var result: [(key: String, value: JSONNode)] = []
        result.reserveCapacity(count)
        var entry = json_object_get_object(handle)?.pointee.head
        while let current = entry {
            let key = String(cString: current.pointee.k.assumingMemoryBound(to: CChar.self))
            result.append((key, JSONNode(handle: OpaquePointer(current.pointee.v))))
            entry = current.pointee.next
        }
        return result
    }

    func member(_ key: String) -> JSONNode? {
        guard kind == .object else { return nil }
        var value: OpaquePointer?
        guard json_object_object_get_ex(handle, key, &value) != 0 else { return nil }
        return JSONNode(handle: value)
    }
}
