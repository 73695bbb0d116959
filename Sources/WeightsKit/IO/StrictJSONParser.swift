/// The recursive-descent parser behind `StrictJSON`: RFC 8259's grammar, one byte at a
/// time, over input already checked to be well-formed UTF-8. Builds the flat node array
/// and the decoded string bytes; recursion is bounded by `StrictJSON.maximumDepth`.
struct StrictJSONParser {
    typealias Node = StrictJSON.Node
    typealias ParseError = StrictJSON.ParseError

    private let input: UnsafeRawBufferPointer
    private var position = 0
    private var depth = 0
    private(set) var nodes: [Node] = []
    /// Decoded string bytes, written in place: a string's decoded form is never longer
    /// than its JSON spelling, so an arena of the input's size cannot overflow.
    private let arena: UnsafeMutablePointer<UInt8>
    private(set) var arenaCount = 0
    private let duplicateKeys: StrictJSON.DuplicateKeys

    /// `arena` must hold at least `input.count` bytes.
    init(_ input: UnsafeRawBufferPointer, arena: UnsafeMutablePointer<UInt8>, duplicateKeys: StrictJSON.DuplicateKeys = .reject) {
        self.input = input
        self.arena = arena
        self.duplicateKeys = duplicateKeys
        // Most nodes take several bytes of input; this saves the early regrowths.
        nodes.reserveCapacity(min(input.count / 8 + 1, 1 << 20))
    }

    mutating func parseDocument() throws(ParseError) {
        skipWhitespace()
        guard position < input.count else { throw fail(input.isEmpty ? "empty document" : "expected a value, found the end") }
        try parseValue()
        skipWhitespace()
        guard position == input.count else { throw fail("unexpected characters after the value") }
    }

    // MARK: values

    private mutating func parseValue() throws(ParseError) {
        guard position < input.count else { throw fail("expected a value, found the end") }
        switch input[position] {
        case UInt8(ascii: "{"): try parseObject()
        case UInt8(ascii: "["): try parseArray()
        case UInt8(ascii: "\""): try parseString()
        case UInt8(ascii: "t"): try literal("true", Node(kind: .bool, flags: 1, count: 0, payload: 0))
        case UInt8(ascii: "f"): try literal("false", Node(kind: .bool, flags: 0, count: 0, payload: 0))
        case UInt8(ascii: "n"): try literal("null", Node(kind: .null, flags: 0, count: 0, payload: 0))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try parseNumber()
        default: throw fail("expected a value, found \(describe(input[position]))")
        }
    }

    private mutating func literal(_ word: StaticString, _ node: Node) throws(ParseError) {
        let length = word.utf8CodeUnitCount
        guard length <= input.count - position,
              System.bytesEqual(input.baseAddress! + position, word.utf8Start, count: length) else {
            throw fail("expected a value, found \(describe(input[position]))")
        }
        position += length
        nodes.append(node)
    }

    private mutating func enter() throws(ParseError) {
        depth += 1
        guard depth <= StrictJSON.maximumDepth else { throw fail("nesting deeper than \(StrictJSON.maximumDepth) levels") }
    }

    private mutating func parseArray() throws(ParseError) {
        try enter()
        let slot = nodes.count
        nodes.append(Node(kind: .array, flags: 0, count: 0, payload: 0))
        position += 1
        var count: UInt32 = 0
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                try parseValue()
                count += 1
                skipWhitespace()
                guard !atEnd else { throw fail("unterminated array") }
                let byte = current
                position += 1
                if byte == UInt8(ascii: "]") { break }
                guard byte == UInt8(ascii: ",") else { position -= 1; throw fail("expected ',' or ']' in an array, found \(describe(byte))") }
            }
        }
        nodes[slot].count = count
        nodes[slot].payload = UInt64(nodes.count)
        depth -= 1
    }

    private mutating func parseObject() throws(ParseError) {
        try enter()
        let slot = nodes.count
        let objectStart = position
        nodes.append(Node(kind: .object, flags: 0, count: 0, payload: 0))
        position += 1
        var count: UInt32 = 0
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else {
                    throw atEnd ? fail("unterminated object") : fail("expected a string key, found \(describe(input[position]))")
                }
                try parseString()
                count += 1
                skipWhitespace()
                guard current == UInt8(ascii: ":") else {
                    throw atEnd ? fail("unterminated object") : fail("expected ':' after a key, found \(describe(input[position]))")
                }
                position += 1
                skipWhitespace()
                try parseValue()
                skipWhitespace()
                guard !atEnd else { throw fail("unterminated object") }
                let byte = current
                position += 1
                if byte == UInt8(ascii: "}") { break }
                guard byte == UInt8(ascii: ",") else { position -= 1; throw fail("expected ',' or '}' in an object, found \(describe(byte))") }
            }
        }
        nodes[slot].count = count
        nodes[slot].payload = UInt64(nodes.count)
        if duplicateKeys == .reject, let repeated = repeatedKey(object: slot) {
            let key = String(decoding: UnsafeBufferPointer(start: arena + Int(nodes[repeated].payload), count: Int(nodes[repeated].count)), as: UTF8.self)
            throw ParseError(kind: .syntax, reason: "key \"\(escaped(key))\" appears twice in the object", offset: objectStart)
        }
        depth -= 1
    }

    // MARK: repeated keys

    /// The node of a key that appears a second time, or nil. Small objects compare every
    /// pair; large ones go through a hash table with a per-process random seed, so no
    /// crafted set of keys makes the check quadratic.
    private func repeatedKey(object: Int) -> Int? {
        let count = Int(nodes[object].count)
        /// The key after `key`: past its value and everything inside that.
        func following(_ key: Int) -> Int {
            let value = nodes[key + 1]
            return value.kind == .array || value.kind == .object ? Int(value.payload) : key + 2
        }
        func bytes(_ node: Int) -> UnsafeRawBufferPointer {
            let key = nodes[node]
            return UnsafeRawBufferPointer(start: arena + Int(key.payload), count: Int(key.count))
        }
        func same(_ left: Int, _ right: Int) -> Bool {
            let a = bytes(left), b = bytes(right)
            return a.count == b.count && (a.isEmpty || System.bytesEqual(a.baseAddress!, b.baseAddress!, count: a.count))
        }
        if count <= 16 {
            var second = object + 1
            for index in 0..<count {
                var first = object + 1
                for _ in 0..<index {
                    if same(first, second) { return second }
                    first = following(first)
                }
                second = following(second)
            }
            return nil
        }
        var capacity = 32
        while capacity < count * 2 { capacity *= 2 }
        var table = [Int](repeating: -1, count: capacity)
        let mask = capacity - 1
        var key = object + 1
        for _ in 0..<count {
            var hasher = Hasher()
            hasher.combine(bytes: bytes(key))
            var slot = hasher.finalize() & mask
            while table[slot] >= 0 {
                if same(table[slot], key) { return key }
                slot = (slot + 1) & mask
            }
            table[slot] = key
            key = following(key)
        }
        return nil
    }

    // MARK: strings

    private mutating func parseString() throws(ParseError) {
        let stringStart = position
        position += 1
        let start = arenaCount
        let base = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        while true {
            // Copy a run of plain bytes at once.
            let runStart = position
            while position < input.count {
                let byte = input[position]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                position += 1
            }
            if position > runStart {
                (arena + arenaCount).update(from: base + runStart, count: position - runStart)
                arenaCount += position - runStart
            }
            guard position < input.count else {
                throw ParseError(kind: .syntax, reason: "unterminated string", offset: stringStart)
            }
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                break
            }
            if byte < 0x20 { throw fail("control character \(describe(byte)) in a string (write it as an escape)") }
            try parseEscape()
        }
        let length = arenaCount - start
        nodes.append(Node(kind: .string, flags: 0, count: UInt32(length), payload: UInt64(start)))
    }

    private mutating func parseEscape() throws(ParseError) {
        let escapeStart = position
        position += 1
        guard !atEnd else { throw fail("unterminated string") }
        let byte = current
        position += 1
        let simple: UInt8? = switch byte {
        case UInt8(ascii: "\""): 0x22
        case UInt8(ascii: "\\"): 0x5C
        case UInt8(ascii: "/"): 0x2F
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
        if let simple {
            append(simple)
            return
        }
        guard byte == UInt8(ascii: "u") else {
            position = escapeStart
            throw fail("invalid escape \\\(describeEscaped(byte)) in a string")
        }
        var scalar = try hexQuad(escapeStart)
        if (0xDC00...0xDFFF).contains(scalar) {
            position = escapeStart
            throw fail("escaped lone low surrogate \\u\(hex4(scalar)) in a string")
        }
        if (0xD800...0xDBFF).contains(scalar) {
            guard input.count - position >= 2, input[position] == UInt8(ascii: "\\"), input[position + 1] == UInt8(ascii: "u") else {
                position = escapeStart
                throw fail("escaped lone high surrogate \\u\(hex4(scalar)) in a string")
            }
            position += 2
            let low = try hexQuad(position - 2)
            guard (0xDC00...0xDFFF).contains(low) else {
                position = escapeStart
                throw fail("escaped high surrogate \\u\(hex4(scalar)) followed by \\u\(hex4(low)), not a low surrogate")
            }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        appendUTF8(scalar)
    }

    private mutating func hexQuad(_ escapeStart: Int) throws(ParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard !atEnd else { throw fail("unterminated string") }
            let byte = current
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                position = escapeStart
                throw fail("\\u must be followed by four hex digits")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func append(_ byte: UInt8) {
        arena[arenaCount] = byte
        arenaCount += 1
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            append(UInt8(scalar))
        case 0x80..<0x800:
            append(UInt8(0xC0 | scalar >> 6))
            append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            append(UInt8(0xE0 | scalar >> 12))
            append(UInt8(0x80 | scalar >> 6 & 0x3F))
            append(UInt8(0x80 | scalar & 0x3F))
        default:
            append(UInt8(0xF0 | scalar >> 18))
            append(UInt8(0x80 | scalar >> 12 & 0x3F))
            append(UInt8(0x80 | scalar >> 6 & 0x3F))
            append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: numbers

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func parseNumber() throws(ParseError) {
        var flags: UInt8 = Node.integer | Node.fitsUInt64
        if input[position] == UInt8(ascii: "-") {
            flags |= Node.negative
            position += 1
        }
        guard isDigit(current) else { throw fail("expected a digit after '-'") }
        var magnitude: UInt64 = 0
        if current == UInt8(ascii: "0") {
            position += 1
            if isDigit(current) { throw fail("number with a leading zero") }
        } else {
            while isDigit(current) {
                let byte = current
                let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                if overflow1 || overflow2 { flags &= ~Node.fitsUInt64 } else { magnitude = sum }
                position += 1
            }
        }
        if current == UInt8(ascii: ".") {
            flags &= ~Node.integer
            position += 1
            guard isDigit(current) else { throw fail("expected a digit after the decimal point") }
            while isDigit(current) { position += 1 }
        }
        if current | 0x20 == UInt8(ascii: "e") {
            flags &= ~Node.integer
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard isDigit(current) else { throw fail("expected a digit in the exponent") }
            while isDigit(current) { position += 1 }
        }
        if flags & Node.integer == 0 || flags & Node.fitsUInt64 == 0 { magnitude = 0 }
        nodes.append(Node(kind: .number, flags: flags, count: 0, payload: magnitude))
    }

    // MARK: helpers

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private var atEnd: Bool { position >= input.count }

    /// The byte at `position`, or 0 at the end (NUL is never valid outside a string).
    private var current: UInt8 { position < input.count ? input[position] : 0 }

    private mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private func fail(_ reason: String) -> ParseError {
        ParseError(kind: .syntax, reason: reason, offset: position)
    }

    /// A byte as a message shows it: printable ASCII quoted, anything else in hex.
    private func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(hex2(byte))"
    }

    private func describeEscaped(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? String(Character(Unicode.Scalar(byte))) : "(byte 0x\(hex2(byte)))"
    }

    private func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
    }

    private func hex4(_ value: UInt32) -> String {
        hex2(UInt8(value >> 8)) + hex2(UInt8(value & 0xFF))
    }

    /// A key for a one-line message: control characters as \u escapes.
    private func escaped(_ text: String) -> String {
        var json = JSONText()
        json.string(text)
        let quoted = json.text
        return String(quoted.dropFirst().dropLast())
    }
}
