internal import CJSONC

/// JSON parsed by json-c in strict mode, read through `JSONNode`s.
///
/// json-c types never leave this file. The document owns the parsed tree; nodes are
/// borrowed views into it and must not outlive the document (callers keep it in scope).
final class JSONDocument {
    private let rootObject: OpaquePointer?

    /// Why a buffer is not one strict JSON value.
    enum ParseError: Error {
        case invalidUTF8
        case syntax(String)
        case trailingCharacters(offset: Int)
    }

    /// Parses exactly one JSON value from `bytes`, allowing only JSON whitespace after it.
    init(parsing bytes: UnsafeRawBufferPointer) throws(ParseError) {
        guard bytes.count < Int(Int32.max) else { throw .syntax("document larger than 2 GiB") }
        guard let tokener = json_tokener_new() else { throw .syntax("out of memory") }
        defer { json_tokener_free(tokener) }
        json_tokener_set_flags(tokener, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8)

        // The header is not NUL-terminated; a terminating NUL tells json-c the input has
        // ended (so a bare number parses), and it needs its own buffer anyway.
        var buffer = [CChar](repeating: 0, count: bytes.count + 1)
        buffer.withUnsafeMutableBytes { $0.copyMemory(from: bytes) }
        let parsed = buffer.withUnsafeBufferPointer { chars in
            json_tokener_parse_ex(tokener, chars.baseAddress, Int32(bytes.count))
        }
        var error = json_tokener_get_error(tokener)
        var root = parsed
        if error == json_tokener_continue {
            // A bare scalar at the end of the input: feed the terminating NUL.
            root = buffer.withUnsafeBufferPointer { chars in
                json_tokener_parse_ex(tokener, chars.baseAddress! + bytes.count, 1)
            }
            error = json_tokener_get_error(tokener)
        }
        guard error == json_tokener_success, let root else {
            if let root { json_object_put(root) }
            if error == json_tokener_error_parse_utf8_string { throw .invalidUTF8 }
            let reason = error == json_tokener_continue ? "unexpected end of input" : String(cString: json_tokener_error_desc(error))
            throw .syntax(reason)
        }
        let end = min(json_tokener_get_parse_end(tokener), bytes.count)
        for index in end..<bytes.count where !JSONDocument.isWhitespace(bytes[index]) {
            json_object_put(root)
            throw .trailingCharacters(offset: index)
        }
        rootObject = root
    }

    deinit {
        if let rootObject { json_object_put(rootObject) }
    }

    var root: JSONNode { JSONNode(handle: rootObject) }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0
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
