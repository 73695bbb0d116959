/// Sizes as people type them: "500MB" (10^6), "1GiB" (2^30), "1234" bytes.
enum ByteSize {
    static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: " ")
        let units: [(String, Int)] = [
            ("KIB", 1 << 10), ("MIB", 1 << 20), ("GIB", 1 << 30), ("TIB", 1 << 40),
            ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000), ("B", 1),
        ]
        let upper = trimmed.uppercased()
        for (suffix, factor) in units where upper.hasSuffix(suffix) {
            guard let number = Double(upper.dropLast(suffix.count).trimmingCharacters(in: " ")), number > 0 else { return nil }
            let bytes = number * Double(factor)
            // At least one byte ("0.1B" is not a size), and far from Int's limit.
            return bytes >= 1 && bytes < 9e18 ? Int(bytes) : nil
        }
        guard let bytes = Int(upper), bytes > 0 else { return nil }
        return bytes
    }
}

extension String {
    func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}

extension Substring {
    func trimmingCharacters(in character: Character) -> String { String(self).trimmingCharacters(in: character) }
}
