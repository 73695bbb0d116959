import Foundation
import Testing
@testable import WeightsKit

@Suite("safetensors writer")
struct WriterTests {
    @Test("orders tensors as the reference does: dtype descending, then name bytes")
    func referenceOrder() {
        let names: [(String, DType)] = [("b", .f32), ("a", .f32), ("z", .u64), ("é", .i8), ("Z", .i8), ("m", .bool), ("h", .bf16), ("g", .f16)]
        let sorted = names.sorted { SafetensorsWriter.referenceOrder(($0.0, $0.1), ($1.0, $1.1)) }.map(\.0)
        #expect(sorted == ["z", "a", "b", "h", "g", "Z", "é", "m"])
    }

    @Test("escapes header strings as serde_json does")
    func escaping() {
        var json = JSONText()
        json.string("a\"b\\c\n\t\u{01}\u{7F}/é😀")
        #expect(json.text == #""a\"b\\c\n\t\u0001"# + "\u{7F}/é😀\"")
    }

    @Test("new files get {\"format\":\"pt\"} only when asked; none stays none")
    func metadataDefaults() {
        let payload = TensorPayload(name: "x", dtype: .f32, shape: Shape([1])) { try $0.write([0, 0, 0, 0]) }
        let none = SafetensorsWriter.headerBytes(for: [payload], metadata: nil)
        #expect(String(decoding: none[8...], as: UTF8.self) == #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}  "#)
        let pt = SafetensorsWriter.headerBytes(for: [payload], metadata: .defaultForNewFiles)
        #expect(String(decoding: pt[8...], as: UTF8.self).hasPrefix(#"{"__metadata__":{"format":"pt"},"x""#))
    }

    @Test("a producer that writes the wrong number of bytes leaves no file")
    func wrongPayloadSize() {
        let directory = TemporaryDirectory()
        let payload = TensorPayload(name: "x", dtype: .f32, shape: Shape([2])) { try $0.write([0, 0, 0, 0]) }
        #expect(throws: (any Error).self) {
            try SafetensorsWriter.write([payload], metadata: nil, to: directory.file("out.safetensors"), overwrite: false)
        }
        #expect(directory.contents.isEmpty)
    }

    @Test("an existing output is kept unless overwrite is asked for")
    func refusesExisting() throws {
        let directory = TemporaryDirectory()
        writeBytes([1, 2, 3], to: directory.file("out.safetensors"))
        let refused = #expect(throws: WeightsFileError.self) {
            try SafetensorsWriter.write([], metadata: nil, to: directory.file("out.safetensors"), overwrite: false)
        }
        #expect(refused?.isExistingOutput == true)
        #expect(refused?.description == "\(directory.file("out.safetensors")): cannot write: file exists")
        #expect(readBytes(directory.file("out.safetensors")) == [1, 2, 3])
        try SafetensorsWriter.write([], metadata: nil, to: directory.file("out.safetensors"), overwrite: true)
        #expect(readBytes(directory.file("out.safetensors")).count == 16)
    }
}
