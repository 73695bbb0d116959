import Foundation
import Testing
@testable import WeightsKit

/// Builds a safetensors file by hand: header JSON text plus raw data bytes.
func handMade(_ header: String, data: [UInt8], pad: Bool = true) -> [UInt8] {
    var json = Array(header.utf8)
    if pad { while json.count % 8 != 0 { json.append(0x20) } }
    var length = UInt64(json.count).littleEndian
    return withUnsafeBytes(of: &length) { Array($0) } + json + data
}

@Suite("safetensors reader")
struct SafetensorsReaderTests {
    func open(_ bytes: [UInt8]) throws(WeightsFileError) -> SafetensorsFile {
        let directory = TemporaryDirectory()
        let path = directory.file("t.safetensors")
        writeBytes(bytes, to: path)
        return try SafetensorsFile(path: path)
    }

    func code(_ bytes: [UInt8]) -> String? {
        do throws(WeightsFileError) {
            _ = try open(bytes)
            return nil
        } catch {
            guard case let .safetensors(reason) = error.reason else { return nil }
            return reason.code
        }
    }

    @Test("a truncated file says so, with how much is present")
    func truncatedMessage() throws {
        let bytes = handMade(#"{"w":{"dtype":"F32","shape":[100],"data_offsets":[0,400]}}"#, data: [UInt8](repeating: 1, count: 292))
        do throws(WeightsFileError) {
            _ = try open(bytes)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("truncated"))
            #expect(error.description.contains("292 of 400"))
            #expect(error.description.contains("73.0%"))
        }
    }

    @Test("offset errors name the tensor")
    func offsetErrorNamesTensor() {
        let bytes = handMade(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: [UInt8](repeating: 0, count: 12))
        do throws(WeightsFileError) {
            _ = try open(bytes)
            Issue.record("expected an error")
        } catch {
            #expect(error.reason == .safetensors(.invalidOffsets(tensor: "b", expectedBegin: 8, begin: 4, end: 12)))
            #expect(error.description.contains("tensor \"b\""))
            #expect(error.description.contains("overlap"))
        }
    }

    @Test("JSON whitespace after the object is allowed, anything else is not")
    func trailingHeaderCharacters() {
        #expect(code(handMade("{} \n\t\r", data: [], pad: false)) == nil)
        #expect(code(handMade("{}x", data: [], pad: false)) == "invalid-json")
        #expect(code(handMade("{} {}", data: [], pad: false)) == "invalid-json")
    }

    @Test("__metadata__: null is refused (the reference lets it pass)")
    func nullMetadata() {
        #expect(code(handMade(#"{"__metadata__":null}"#, data: [])) == "invalid-metadata")
    }

    @Test("scalars and empty tensors have the right byte counts")
    func scalarsAndEmpty() throws {
        let file = try open(handMade(#"{"s":{"dtype":"F64","shape":[],"data_offsets":[0,8]},"e":{"dtype":"F32","shape":[3,0],"data_offsets":[8,8]}}"#, data: [UInt8](repeating: 0, count: 8)))
        #expect(file.view("s")?.info.elementCount == 1)
        #expect(file.view("e")?.info.byteCount == 0)
        #expect(file.view("e")?.floats() == [])
    }

    @Test("F16, BF16, F64 and integers decode to Float")
    func decodes() throws {
        // 1.0, -2.0 as F16; 1.0, -2.0 as BF16; 0.5 as F64; -3 as I16.
        let data: [UInt8] = [0x00, 0x3C, 0x00, 0xC0, 0x80, 0x3F, 0x00, 0xC0] + [0, 0, 0, 0, 0, 0, 0xE0, 0x3F] + [0xFD, 0xFF]
        let file = try open(handMade(#"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]},"d":{"dtype":"F64","shape":[1],"data_offsets":[8,16]},"i":{"dtype":"I16","shape":[1],"data_offsets":[16,18]}}"#, data: data))
        #expect(file.view("h")?.floats() == [1, -2])
        #expect(file.view("b")?.floats() == [1, -2])
        #expect(file.view("d")?.floats() == [0.5])
        #expect(file.view("i")?.floats() == [-3])
    }

    @Test("every F16 bit pattern decodes exactly as Swift's Float16 does")
    func halfDecodingIsExact() {
        for bits in UInt16.min...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let actual = ElementDecoder.halfToFloat(bits)
            #expect(actual.bitPattern == expected.bitPattern || (actual.isNaN && expected.isNaN), "bits \(bits)")
        }
    }

    @Test("opening a 5 GiB file reads only its header")
    func opensHugeSparseFile() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("huge.safetensors")
        let elements = 5 << 28  // 5 GiB of F32
        let header = handMade(#"{"big":{"dtype":"F32","shape":[\#(elements)],"data_offsets":[0,\#(elements * 4)]}}"#, data: [])
        writeBytes(header, to: path)
        #expect(truncate(path, off_t(header.count + elements * 4)) == 0)  // sparse: no data written
        let file = try SafetensorsFile(path: path)
        let view = try #require(file.view("big"))
        #expect(view.info.byteCount == 5 << 30)
        #expect(view.info.offset + view.info.byteCount == header.count + elements * 4)
        view.withUnsafeBytes { bytes in
            #expect(bytes.count == 5 << 30)
            #expect(bytes[bytes.count - 1] == 0)  // the last byte, past 4 GiB, is mapped
        }
    }

    @Test("shape products that overflow are caught")
    func shapeOverflow() {
        #expect(Shape([1 << 32, 1 << 32]).elementCount == nil)
        #expect(Shape([1 << 31, 1 << 31]).byteCount(for: .f32) == nil)
        #expect(Shape([]).elementCount == 1)
        #expect(Shape([3, 0]).elementCount == 0)
        #expect(Shape([3]).byteCount(for: .f4) == nil)
        #expect(Shape([4]).byteCount(for: .f4) == 2)
    }
}
