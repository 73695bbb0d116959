import Foundation

/// NFD as `tokenizers` computes it for strip_accents.
///
/// Decompositions never change once assigned, so Swift's (via Foundation) are used, but only
/// for the code points `tokenizers`' older Unicode data decomposes: Swift also decomposes
/// newer ones (U+11938 DIVES AKURU VOWEL SIGN O), which `tokenizers` leaves whole.
enum CanonicalDecomposition {
    static func decompose(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard scalars.contains(where: { $0.value >= 0xC0 }) else { return scalars }
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count + scalars.count / 4)
        for scalar in scalars {
            if BertCharacters.isCanonicallyDecomposable(scalar) {
                result.append(contentsOf: String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        reorderCombiningMarks(&result)
        return result
    }

    /// The canonical ordering step: within each run of non-starters, a stable sort by
    /// combining class (so "a\u{301}\u{316}" becomes "a\u{316}\u{301}").
    static func reorderCombiningMarks(_ scalars: inout [Unicode.Scalar]) {
        var start = 0
        while start < scalars.count {
            guard combiningClass(scalars[start]) != 0 else { start += 1; continue }
            var end = start + 1
            while end < scalars.count && combiningClass(scalars[end]) != 0 { end += 1 }
            if end - start > 1 {
                // Insertion sort: stable, and runs are short.
                for index in (start + 1)..<end {
                    let scalar = scalars[index]
                    let rank = combiningClass(scalar)
                    var position = index
                    while position > start && combiningClass(scalars[position - 1]) > rank {
                        scalars[position] = scalars[position - 1]
                        position -= 1
                    }
                    scalars[position] = scalar
                }
            }
            start = end
        }
    }

    private static func combiningClass(_ scalar: Unicode.Scalar) -> UInt8 {
        scalar.value < 0x300 ? 0 : scalar.properties.canonicalCombiningClass.rawValue
    }
}
