import Foundation

/// How a golden file's numbers are compared with a fresh run's.
///
/// The rule, per case:
/// - `exactText`: values read from files or computed on one thread in a fixed order (lookups,
///   shapes, statistics, quantization, tokenization) print the same on every CPU, so the whole
///   output is compared byte for byte.
/// - `computedValues`: values that pass through BLAS or threads (encoder outputs: hidden
///   states, pooled embeddings) move in their last printed digit between CPUs, because
///   OpenBLAS picks its kernels by CPU (SSE3, AVX2, AVX-512) and each sums in its own order;
///   so do the encoder's own AVX2/portable passes. Everything outside `[...]` is still text
///   compared byte for byte (ids, labels, shapes, layout); inside the brackets each integer
///   must be equal and each decimal within `1e-5 × |expected| + 1e-6`: 1e-5 relative is
///   the accuracy the encoder promises against transformers' own float32 runs (tested at
///   1e-4 absolute in the accuracy suites), and 1e-6 is one unit of the sixth decimal the
///   CLI prints (two roundings of ±0.5e-6 each), which a value near zero can move by alone.
///   `nan`, `inf` and `...` stay text.
enum GoldenNumbers: Sendable {
    case exactText
    case computedValues

    static let relativeTolerance = 1e-5
    static let printQuantum = 1e-6

    /// Nil when `actual` matches `expected` under this rule, else the first difference, as
    /// "line N: …" for the failure message.
    func mismatch(actual: String, expected: String) -> String? {
        switch self {
        case .exactText:
            return actual == expected ? nil : "the text differs"
        case .computedValues:
            return Self.computedMismatch(actual: actual, expected: expected)
        }
    }

    private static func computedMismatch(actual: String, expected: String) -> String? {
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        guard actualLines.count == expectedLines.count else {
            return "\(actualLines.count) lines, golden file has \(expectedLines.count)"
        }
        for (number, (a, e)) in zip(actualLines, expectedLines).enumerated() {
            let actualParts = bracketed(a), expectedParts = bracketed(e)
            guard actualParts.text == expectedParts.text, actualParts.values.count == expectedParts.values.count else {
                return "line \(number + 1): \"\(a)\" where the golden file has \"\(e)\""
            }
            for (x, y) in zip(actualParts.values, expectedParts.values) where !valuesMatch(x, y) {
                return "line \(number + 1): \(x) where the golden file has \(y) (tolerance \(relativeTolerance) relative + \(printQuantum))"
            }
        }
        return nil
    }

    /// A line split into its text outside brackets (brackets kept) and the comma-separated
    /// items inside them.
    static func bracketed(_ line: Substring) -> (text: String, values: [String]) {
        var text = "", values: [String] = [], item = "", depth = 0
        for character in line {
            switch character {
            case "[":
                depth += 1
                text.append(character)
            case "]" where depth > 0:
                values.append(item.trimmingCharacters(in: .whitespaces))
                item = ""
                depth -= 1
                text.append(character)
            case "," where depth > 0:
                values.append(item.trimmingCharacters(in: .whitespaces))
                item = ""
                text.append(character)
            default:
                if depth > 0 { item.append(character) } else { text.append(character) }
            }
        }
        return (text, values)
    }

    static func valuesMatch(_ actual: String, _ expected: String) -> Bool {
        if let a = Int(actual), let e = Int(expected) { return a == e }
        let isDecimal = { (s: String) in s.contains(".") || s.contains("e") }
        guard isDecimal(actual) || isDecimal(expected), let a = Double(actual), let e = Double(expected),
              a.isFinite, e.isFinite else { return actual == expected }
        return abs(a - e) <= relativeTolerance * abs(e) + printQuantum
    }
}
