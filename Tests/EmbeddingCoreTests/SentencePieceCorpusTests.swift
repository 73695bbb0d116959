import Foundation
import Testing
@testable import EmbeddingCore

@Suite("SentencePiece ids equal the sentencepiece library's")
struct SentencePieceCorpusTests {
    static let corpus = SentencePieceFixtures.corpus

    @Test("the fixture has every model and the whole hard corpus")
    func fixtureIsComplete() {
        #expect(Self.corpus.texts.count == 97)
        #expect(Self.corpus.invalidUTF8.count == 10)
        #expect(Self.corpus.models.keys.sorted() == SentencePieceFixtures.modelNames)
        for (name, expected) in Self.corpus.models {
            #expect(expected.ids.count == Self.corpus.texts.count, "\(name)")
            #expect(expected.wrapped.count == Self.corpus.texts.count, "\(name)")
            #expect(expected.invalidUTF8IDs.count == Self.corpus.invalidUTF8.count, "\(name)")
        }
    }

    @Test("encode(text) on the hard corpus", arguments: SentencePieceFixtures.modelNames)
    func hardCorpus(_ name: String) throws {
        let model = try SentencePieceModel(bytes: SentencePieceFixtures.modelBytes(name))
        let expected = try #require(Self.corpus.models[name])
        #expect(model.count == expected.pieceCount)
        var mismatches = 0
        for (index, text) in Self.corpus.texts.enumerated() {
            let ids = model.encode(text)
            if ids != expected.ids[index] {
                mismatches += 1
                Issue.record("\(name): \(text.debugDescription): \(ids) != \(expected.ids[index]) (\(expected.pieces[index]))")
            }
        }
        #expect(mismatches == 0)
    }

    @Test("bytes that are not UTF-8 split as in sentencepiece", arguments: SentencePieceFixtures.modelNames)
    func invalidUTF8(_ name: String) throws {
        let model = try SentencePieceModel(bytes: SentencePieceFixtures.modelBytes(name))
        let expected = try #require(Self.corpus.models[name])
        for (index, hex) in Self.corpus.invalidUTF8.enumerated() {
            #expect(model.encode(utf8: SentencePieceFixtures.bytes(hex: hex)) == expected.invalidUTF8IDs[index], "\(name): \(hex)")
        }
    }

    @Test("the DeBERTa-v3 wrap: special tokens typed in the text, [CLS] … [SEP], truncation keeping [SEP]",
          arguments: SentencePieceFixtures.modelNames)
    func wrapped(_ name: String) throws {
        let tokenizer = try SentencePieceTokenizer(modelPath: SentencePieceFixtures.path(name))
        let expected = try #require(Self.corpus.models[name])
        for (index, text) in Self.corpus.texts.enumerated() {
            #expect(tokenizer.encode(text).ids == expected.wrapped[index], "\(name): \(text.debugDescription)")
            #expect(tokenizer.encode(text, maxLength: 8).ids == expected.wrappedMaxLength8[index], "\(name): \(text.debugDescription)")
        }
    }

    @Test("tokens name each id: the model's piece, or the added token", arguments: SentencePieceFixtures.modelNames)
    func tokens(_ name: String) throws {
        let tokenizer = try SentencePieceTokenizer(modelPath: SentencePieceFixtures.path(name))
        let expected = try #require(Self.corpus.models[name])
        for text in ["Hello world", "Caf\u{E9} na\u{EF}ve r\u{E9}sum\u{E9}", "\u{4F60}\u{597D}\u{4E16}\u{754C}"] {
            let index = try #require(Self.corpus.texts.firstIndex(of: text))
            let encoding = tokenizer.encode(text, addSpecialTokens: false)
            #expect(encoding.ids == expected.ids[index])
            // sentencepiece names an unknown piece by its text; the tokenizer by the model's [UNK].
            for (position, id) in encoding.ids.enumerated() where id != 3 && position < expected.pieces[index].count {
                #expect(encoding.tokens[position] == expected.pieces[index][position], "\(name): \(text)")
            }
        }
        let mask = tokenizer.encode("[MASK]")
        #expect(mask.tokens == ["[CLS]", "[MASK]", "[SEP]"])
        #expect(mask.ids == [1, expected.maskID, 2])
    }
}
