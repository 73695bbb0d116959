import CKernels
import Foundation
import Testing
import TestSupport
@testable import EmbeddingCore

/// The fused passes of the encoder against torch (Scripts/gen_encoder_kernel_vectors.py):
/// masked softmax, DeBERTa's disentangled scores, LayerNorm of x + bias + residual, GELU
/// of x + bias.
@Suite("encoder kernels against torch")
struct EncoderKernelTests {
    struct Vectors: Decodable {
        struct Softmax: Decodable { let rows, columns: Int; let scores: [Float]; let keep: [UInt8]; let row_kept: Bool; let expected: [Float] }
        struct Disentangled: Decodable {
            let length, positions: Int
            let scores, c2p, p2c: [Float]
            let c2p_index, p2c_index: [Int32]
            let keep: [UInt8]
            let expected: [Float]
        }
        struct LayerNormCase: Decodable {
            let rows, columns: Int
            let epsilon: Double
            let x, residual, bias, gamma, beta, expected, expected_plain: [Float]
        }
        struct Gelu: Decodable { let rows, columns: Int; let x, bias, expected: [Float] }
        let softmax: [Softmax]
        let disentangled: [Disentangled]
        let layer_norm: [LayerNormCase]
        let gelu: [Gelu]
    }

    static let vectors = FixtureFiles.decode(Vectors.self, from: Repository.path("Formats/vectors/encoder/kernels.json"))

    static func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    @Test("the kernel vectors are all there: 4 softmax, 2 disentangled, 2 LayerNorm and 1 GELU cases")
    func complete() {
        #expect(Self.vectors.softmax.count == 4)
        #expect(Self.vectors.disentangled.count == 2)
        #expect(Self.vectors.layer_norm.count == 2)
        #expect(Self.vectors.gelu.count == 1)
    }

    @Test("masked softmax: masked keys get 0, a masked row is uniform, scores of ±80 neither overflow nor lose the rest")
    func softmax() {
        for (index, test) in Self.vectors.softmax.enumerated() {
            var scores = test.scores
            let allKept = test.keep.allSatisfy { $0 == 1 }
            for row in 0..<test.rows {
                scores.withUnsafeMutableBufferPointer { s in
                    test.keep.withUnsafeBufferPointer { keep in
                        wk_softmax_masked(s.baseAddress! + row * test.columns, test.columns, allKept ? nil : keep.baseAddress, test.row_kept ? 1 : 0)
                    }
                }
            }
            #expect(Self.maxDifference(scores, test.expected) < 1e-6, "case \(index)")
            for (position, keep) in test.keep.enumerated() where keep == 0 && test.row_kept { #expect(scores[position] == 0) }
        }
    }

    @Test("disentangled scores: c2p and p2c terms gathered by index, queries and keys masked, then softmax")
    func disentangled() {
        for test in Self.vectors.disentangled {
            var scores = test.scores
            scores.withUnsafeMutableBufferPointer { s in
                wk_disentangled_softmax(s.baseAddress!, test.length, test.c2p, test.p2c, test.c2p_index, test.p2c_index, test.positions, test.keep)
            }
            #expect(Self.maxDifference(scores, test.expected) < 1e-6, "length \(test.length)")
        }
    }

    @Test("LayerNorm of x + bias + residual, and of x alone, as torch computes them")
    func layerNorm() {
        for test in Self.vectors.layer_norm {
            let norm = LayerNorm(gamma: test.gamma, beta: test.beta, epsilon: Float(test.epsilon))
            var fused = test.x
            fused.withUnsafeMutableBufferPointer { x in
                test.residual.withUnsafeBufferPointer { r in
                    norm.apply(x.baseAddress!, rows: test.rows, columns: test.columns, adding: r.baseAddress!, bias: test.bias)
                }
            }
            #expect(Self.maxDifference(fused, test.expected) < 2e-5)
            var plain = Matrix(rows: test.rows, columns: test.columns, values: test.x)
            norm.apply(&plain)
            #expect(Self.maxDifference(plain.values, test.expected_plain) < 2e-5)
        }
    }

    @Test("GELU of x + bias (erf form) within 1e-6 of torch")
    func gelu() {
        for test in Self.vectors.gelu {
            var x = test.x
            x.withUnsafeMutableBufferPointer { Activation.gelu.apply($0.baseAddress!, rows: test.rows, columns: test.columns, bias: test.bias) }
            #expect(Self.maxDifference(x, test.expected) < 2e-6)
        }
    }
}
