import Dispatch
internal import CKernels

/// The fast path of `TensorConversion`: F32 input converted straight from the mapped file
/// into the output's own buffers (`ByteSink.fill`), the error measured in the same pass
/// (Sources/CKernels/measured.c). The input is read once and never copied; the output is
/// written by `OutputFile`'s writer thread while the next piece is converted. Each piece is
/// split across the cores; the parts' statistics are merged in order, so the figures do not
/// depend on timing.
extension TensorConversion {
    /// The input as F32 values, when the one-pass kernels can read it in place: plain F32,
    /// 4-byte aligned in memory, converted to F16, BF16, Q8_0 or Int8 per row.
    func onePassInput(_ raw: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Float>? {
        guard view.encoding == .plain, view.dtype == .f32, let base = raw.baseAddress,
              Int(bitPattern: base) % MemoryLayout<Float>.alignment == 0 else { return nil }
        switch encoding {
        case .plain where dtype == .f16 || dtype == .bf16: break
        case .q8_0, .int8PerRow: break
        default: return nil
        }
        return UnsafeBufferPointer(start: base.assumingMemoryBound(to: Float.self), count: raw.count / 4)
    }

    /// Converts every value into `sink`; returns the error and, for Int8, the row scales.
    func streamInOnePass(_ input: UnsafeBufferPointer<Float>, into sink: any ByteSink) throws -> (ErrorStatistics, [Float]) {
        let total = input.count
        let grain = self.grain
        let grainBytes = outputBytes(grain)
        var scales = [Float](repeating: 0, count: encoding == .int8PerRow ? rows : 0)
        var totals = ErrorStatistics()
        var start = 0
        while start < total {
            let limit = outputBytes(total - start)
            var partial: [ErrorStatistics] = []
            let filled = try sink.fill(upTo: limit, granule: grainBytes) { space in
                let count = space.count / grainBytes * grain
                partial = convertInParts(input, elements: start..<(start + count), into: space, scales: &scales)
            }
            let end = start + filled / grainBytes * grain
            var chunkStats = ErrorStatistics()
            for stats in partial { chunkStats.merge(stats) }
            totals.merge(chunkStats)
            try refuseNonFinite(chunkStats, input[start..<end], firstElement: start)
            view.releasePages(bytes: (start * 4)..<(end * 4))
            onProgress?((end - start) * 4)
            start = end
        }
        return (totals, scales)
    }

    /// The Int8 scales alone, from F32 input, for a safetensors file that stores them
    /// before the values. Pieces of about 4 M values, split across the cores; the input's
    /// pages are released after each.
    func int8Scales(_ input: UnsafeBufferPointer<Float>) -> [Float] {
        var scales = [Float](repeating: 0, count: rows)
        guard rows > 0, columns > 0, let base = input.baseAddress else { return scales }
        let rowsPerPiece = max(1, (1 << 22) / columns)
        let columns = self.columns, rows = self.rows
        scales.withUnsafeMutableBufferPointer { buffer in
            let out = UncheckedSendable(buffer.baseAddress!)
            let source = UncheckedSendable(base)
            var first = 0
            while first < rows {
                let last = min(rows, first + rowsPerPiece)
                let parts = min(TensorConversion.workers, last - first, max(1, (last - first) * columns / (1 << 16)))
                let perPart = (last - first + parts - 1) / parts
                let start = first
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let a = start + part * perPart
                    let b = min(last, a + perPart)
                    guard a < b else { return }
                    wk_int8_row_scales(source.value + a * columns, out.value + a, b - a, columns)
                }
                view.releasePages(bytes: (first * columns * 4)..<(last * columns * 4))
                first = last
            }
        }
        return scales
    }

    /// Converts `elements` into `space` in up to `workers` parts (whole grains each).
    private func convertInParts(_ input: UnsafeBufferPointer<Float>, elements: Range<Int>, into space: UnsafeMutableRawBufferPointer,
                                scales: inout [Float]) -> [ErrorStatistics] {
        let grain = self.grain
        let grains = elements.count / grain
        let parts = min(TensorConversion.workers, max(1, elements.count / (1 << 16)), grains)
        let perPart = (grains + parts - 1) / parts * grain
        var partial = [ErrorStatistics](repeating: ErrorStatistics(), count: parts)
        let source = UncheckedSendable(input.baseAddress!)
        let output = UncheckedSendable(space.baseAddress!)
        scales.withUnsafeMutableBufferPointer { scaleBuffer in
            let scaleBase = UncheckedSendable(scaleBuffer.baseAddress)
            partial.withUnsafeMutableBufferPointer { stats in
                let statsBase = UncheckedSendable(stats.baseAddress!)
                let run: @Sendable (Int) -> Void = { part in
                    let a = elements.lowerBound + part * perPart
                    let b = min(elements.upperBound, a + perPart)
                    guard a < b else { return }
                    let out = output.value + self.outputBytes(a - elements.lowerBound)
                    statsBase.value[part] = self.convertMeasured(source.value + a, count: b - a, firstElement: a, into: out,
                                                                 scales: scaleBase.value)
                }
                if parts == 1 {
                    run(0)
                } else {
                    DispatchQueue.concurrentPerform(iterations: parts) { run($0) }
                }
            }
        }
        return partial
    }

    private func convertMeasured(_ source: UnsafePointer<Float>, count: Int, firstElement: Int, into out: UnsafeMutableRawPointer,
                                 scales: UnsafeMutablePointer<Float>?) -> ErrorStatistics {
        var stats = ErrorStatistics()
        switch encoding {
        case .plain where dtype == .f16:
            stats.accumulate(count: count) { wk_f32_to_f16_measured(source, out.assumingMemoryBound(to: UInt16.self), count, $0) }
        case .plain:
            stats.accumulate(count: count) { wk_f32_to_bf16_measured(source, out.assumingMemoryBound(to: UInt16.self), count, $0) }
        case .q8_0:
            stats.accumulate(count: count) { wk_quantize_q8_0_measured(source, out.assumingMemoryBound(to: UInt8.self), count, $0) }
        case .int8PerRow:
            guard let scales else { break }
            stats.accumulate(count: count) {
                wk_quantize_int8_rows_measured(source, out.assumingMemoryBound(to: Int8.self), scales + firstElement / columns,
                                               count / columns, columns, $0)
            }
        case .q4_0, .q4_1, .q5_0, .q5_1, .ggml:
            break
        }
        return stats
    }
}
