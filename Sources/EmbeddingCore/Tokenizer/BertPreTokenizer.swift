/// BERT's pre-tokenizer: split on whitespace (dropped), then split off every punctuation
/// character as a word of its own ("don't" → "don", "'", "t"). WordPiece then sees one word
/// at a time.
enum BertPreTokenizer {
    static func words(_ scalars: ArraySlice<Unicode.Scalar>) -> [ArraySlice<Unicode.Scalar>] {
        var words: [ArraySlice<Unicode.Scalar>] = []
        var start = scalars.startIndex
        for index in scalars.indices {
            let scalar = scalars[index]
            if BertCharacters.isWhitespace(scalar) {
                if start < index { words.append(scalars[start..<index]) }
                start = index + 1
            } else if BertCharacters.isPunctuation(scalar) {
                if start < index { words.append(scalars[start..<index]) }
                words.append(scalars[index...index])
                start = index + 1
            }
        }
        if start < scalars.endIndex { words.append(scalars[start...]) }
        return words
    }
}
