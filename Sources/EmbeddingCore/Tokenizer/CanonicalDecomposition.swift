/// NFD as `tokenizers` computes it for strip_accents.
///
/// Decompositions never change once assigned, so a generated table
/// (`CanonicalDecompositionTable.swift`, from Scripts/gen_nfd_table.py) and the Hangul
/// formula are used, but only for the code points `tokenizers`' older Unicode data
/// decomposes: newer ones (U+11938 DIVES AKURU VOWEL SIGN O) stay whole, as there.
/// (Foundation's NFD would do, but loading Foundation costs every command ~7 ms.)
enum CanonicalDecomposition {
    static func decompose(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard scalars.contains(where: { $0.value >= 0xC0 }) else { return scalars }
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count + scalars.count / 4)
        for scalar in scalars {
            if BertCharacters.isCanonicallyDecomposable(scalar) {
                result.append(contentsOf: decomposition(of: scalar))
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

    /// The full canonical decomposition of one scalar (itself when it has none).
    static func decomposition(of scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        let value = scalar.value
        if (0xAC00...0xD7A3).contains(value) {
            // Hangul syllable → leading consonant, vowel, optional trailing consonant.
            let index = value - 0xAC00
            var jamo = [0x1100 + index / 588, 0x1161 + (index % 588) / 28]
            if index % 28 != 0 { jamo.append(0x11A7 + index % 28) }
            return jamo.compactMap(Unicode.Scalar.init)
        }
        return decompositions[value] ?? [scalar]
    }

    /// The generated table, indexed once on first use.
    private static let decompositions: [UInt32: [Unicode.Scalar]] = {
        var map: [UInt32: [Unicode.Scalar]] = [:]
        var index = 0
        let table = canonicalDecompositionTable
        while index < table.count {
            let count = Int(table[index + 1])
            map[table[index]] = table[(index + 2)..<(index + 2 + count)].compactMap(Unicode.Scalar.init)
            index += 2 + count
        }
        return map
    }()

    private static func combiningClass(_ scalar: Unicode.Scalar) -> UInt8 {
        scalar.value < 0x300 ? 0 : scalar.properties.canonicalCombiningClass.rawValue
    }
}
