import Foundation
import Testing
@testable import WeightsKit

/// The WeightPack code tables in the code against the ones in Formats/WeightPack.md, read from
/// the markdown: a change on either side without the other fails here.
@Suite("WeightPack code tables")
struct WeightPackCodeTableTests {
    static let spec = (try? String(contentsOfFile: Fixtures.path("Formats/WeightPack.md"), encoding: .utf8)) ?? ""

    /// Lines of the section whose heading is `heading`, up to the next heading.
    static func section(_ heading: String) -> [Substring] {
        let lines = spec.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0 == heading }) else { return [] }
        let rest = lines[(start + 1)...]
        let end = rest.firstIndex { $0.hasPrefix("#") } ?? rest.endIndex
        return Array(rest[..<end])
    }

    /// Cells of the markdown table rows in `lines`, without the header and the `---` row.
    static func tableRows(_ lines: [Substring]) -> [[String]] {
        let rows = lines.filter { $0.hasPrefix("|") }.map { line in
            line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return Array(rows.dropFirst(2))
    }

    /// "### dtype codes": rows of (code, dtype) pairs side by side, blank cells at the end.
    static let specDTypes: [(code: UInt8, name: String)] = tableRows(section("### dtype codes")).flatMap { cells in
        stride(from: 0, to: cells.count - 1, by: 2).compactMap { i -> (code: UInt8, name: String)? in
            guard !cells[i].isEmpty else { return nil }
            return (UInt8(cells[i]) ?? 255, cells[i + 1])  // 255: a cell that is no code fails the range check
        }
    }

    /// "### Encodings": the first cell is "CODE name" ("1 int8 per row").
    static let specEncodings: [(code: UInt8, name: String)] = tableRows(section("### Encodings")).map { cells in
        let parts = cells[0].split(separator: " ", maxSplits: 1)
        return (UInt8(parts[0]) ?? 255, parts.count > 1 ? String(parts[1]) : "")
    }

    /// The record's field comment, "// 0 none, 1 byte shuffle + deflate", as (code, name).
    static func fieldComment(_ field: String) -> [(code: UInt8, name: String)] {
        guard let line = spec.split(separator: "\n").first(where: { $0.contains("uint8_t  \(field);") }),
              let comment = line.range(of: "// ") else { return [] }
        return line[comment.upperBound...].split(separator: ",").map { entry in
            let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            return (UInt8(parts[0]) ?? 255, parts.count > 1 ? String(parts[1]) : "")
        }
    }

    @Test("the spec's dtype table is read whole: 22 codes, 0 to 21")
    func dtypeTableParsed() {
        #expect(Self.specDTypes.count == 22)
        #expect(Self.specDTypes.map(\.code).sorted() == Array<UInt8>(0...21))
        #expect(Self.specDTypes.count == DType.allCases.count, "every DType has a code in the spec")
    }

    @Test("dtype codes: code to DType and DType to code both equal the table in WeightPack.md")
    func dtypeCodesMatchSpec() {
        for (code, name) in Self.specDTypes {
            #expect(WeightPackLayout.dtype(code: code)?.name == name, "code \(code)")
            let dtype = DType(rawValue: name)
            #expect(dtype != nil, "spec names \(name), which is no DType")
            if let dtype { #expect(WeightPackLayout.dtypeCode(dtype) == code, "\(name)") }
        }
        let specCodes = Set(Self.specDTypes.map(\.code))
        for code in UInt8.min...UInt8.max where !specCodes.contains(code) {
            #expect(WeightPackLayout.dtype(code: code) == nil, "code \(code) is not in the spec")
        }
        for dtype in DType.allCases {
            #expect(Self.specDTypes.contains { $0.name == dtype.name }, "\(dtype.name) has no code in the spec")
        }
    }

    @Test("encoding codes: both directions equal the Encodings table and the record comment")
    func encodingCodesMatchSpec() {
        #expect(Self.specEncodings.map(\.code) == [0, 1, 2])
        #expect(Self.fieldComment("encoding").map(\.code) == Self.specEncodings.map(\.code))
        #expect(Self.fieldComment("encoding").map(\.name) == Self.specEncodings.map(\.name))
        for (code, name) in Self.specEncodings {
            // The spec's words with hyphens are the encoding's raw value ("int8 per row").
            let encoding = TensorEncoding(rawValue: name.replacingOccurrences(of: " ", with: "-"))
            #expect(encoding != nil, "spec names \(name), which is no TensorEncoding")
            #expect(WeightPackLayout.encoding(code: code) == encoding, "code \(code)")
            if let encoding { #expect(WeightPackLayout.encodingCode(encoding) == code, "\(name)") }
        }
        let specCodes = Set(Self.specEncodings.map(\.code))
        for code in UInt8.min...UInt8.max where !specCodes.contains(code) {
            #expect(WeightPackLayout.encoding(code: code) == nil, "code \(code) is not in the spec")
        }
        // GGUF's own block encodings are read from GGUF files only; every other encoding has a code.
        let ggufOnly: [TensorEncoding] = [.q4_0, .q4_1, .q5_0, .q5_1, .ggml]
        #expect(Self.specEncodings.count == TensorEncoding.allCases.count - ggufOnly.count, "every encoding has a code in the spec")
        for encoding in ggufOnly {
            #expect(WeightPackLayout.encodingProblem(encoding, dtype: .f32, shape: Shape([32])) != nil, "\(encoding)")
        }
    }

    @Test("compression codes equal the record comment: 0 none, 1 byte shuffle + deflate")
    func compressionCodesMatchSpec() {
        let names: [String: WeightPackLayout.Compression] = ["none": .none, "byte shuffle + deflate": .shuffleDeflate]
        let spec = Self.fieldComment("compression")
        #expect(spec.map(\.code) == [0, 1])
        for (code, name) in spec {
            #expect(names[name] != nil, "spec names \(name)")
            #expect(WeightPackLayout.Compression(rawValue: code) == names[name], "code \(code)")
        }
        #expect(spec.count == WeightPackLayout.Compression.allCases.count)
    }
}
