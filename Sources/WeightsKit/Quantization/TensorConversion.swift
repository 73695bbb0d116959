import Dispatch

/// Converts one tensor as a stream: chunk by chunk (about 4 M values), each chunk split
/// across the cores, decoded to F32 where needed, converted or quantized, measured
/// against the original values, and written. Memory stays at a few chunk buffers
/// whatever the tensor's size, and the input's mapped pages are released as it goes.
public final class TensorConversion: @unchecked Sendable {
    public let view: TensorView
    /// The output's element type (plain) or the original values' type (quantized).
    public let dtype: DType
    public let encoding: TensorEncoding
    /// What the conversion did to the values; complete once the payload has been written.
    public private(set) var error = ErrorStatistics()
    /// Called with the number of input bytes consumed after each chunk (from one thread).
    public var onProgress: ((Int) -> Void)?
    /// Whether an Int8 row or Q8_0 block holding a NaN or an infinity is quantized anyway,
    /// as numpy and gguf-py do (scale NaN or +inf, every q 0: it reads back as NaN), instead
    /// of refused with `ConversionError.nonFiniteInput`.
    public var allowsNonFinite = false
    /// The file the input comes from, for errors.
    public let path: String

    let rows: Int
    let columns: Int
    private var scales: [Float]?
    private static let chunkElements = 1 << 22
    static let workers = max(1, System.activeProcessorCount)

    public init(view: TensorView, dtype: DType, encoding: TensorEncoding, path: String = "") {
        self.view = view
        self.path = path
        self.dtype = dtype
        self.encoding = encoding
        (rows, columns) = TensorEncoding.rowsAndColumns(view.shape) ?? (0, 0)
    }

    /// The payloads to write: one for WeightPack (and for plain safetensors targets); for
    /// Int8 in safetensors, the I8 values and the F32 `<name>_scale` [rows, 1] sibling.
    public func payloads(splitScales: Bool) -> [TensorPayload] {
        let name = view.name
        switch encoding {
        case .plain:
            return [TensorPayload(name: name, dtype: dtype, shape: view.shape) { sink in try self.stream(into: sink, writeValues: true) }]
        case .q8_0:
            return [TensorPayload(name: name, dtype: dtype, shape: view.shape, encoding: .q8_0) { sink in
                try self.stream(into: sink, writeValues: true)
            }]
        case .int8PerRow where !splitScales:
            return [TensorPayload(name: name, dtype: dtype, shape: view.shape, encoding: .int8PerRow) { sink in
                try self.stream(into: sink, writeValues: true)
                let padding = (TensorEncoding.int8ScalesOffset(rows: self.rows, columns: self.columns) ?? 0) - self.rows * self.columns
                try sink.write([UInt8](repeating: 0, count: padding))
                try self.writeScales(into: sink)
            }]
        case .int8PerRow:
            let pair = Int8Safetensors.pair(name: name, shape: view.shape, values: { sink in
                try self.stream(into: sink, writeValues: true)
            }, scales: { sink in
                if self.scales == nil { try self.stream(into: nil, writeValues: false) }
                try self.writeScales(into: sink)
            })
            return [pair.scales, pair.values]
        case .q4_0, .q4_1, .q5_0, .q5_1, .ggml:
            // Targets are plain, int8-per-row or q8_0 (`ConversionPolicy.Target`); GGUF's other
            // block encodings are read, never written.
            return []
        }
    }

    private func writeScales(into sink: any ByteSink) throws {
        let scales = self.scales ?? []
        try scales.withUnsafeBytes { try sink.write($0) }
    }

    /// One pass over the tensor. With `writeValues`, the converted payload goes to `sink`
    /// and the error is measured; without, only the Int8 scales are computed.
    private func stream(into sink: (any ByteSink)?, writeValues: Bool) throws {
        let doneInOnePass = try view.withUnsafeBytes { raw throws -> Bool in
            guard let input = onePassInput(raw) else { return false }
            if writeValues, let sink {
                let (stats, rowScales) = try streamInOnePass(input, into: sink)
                error = stats
                if encoding == .int8PerRow { scales = rowScales }
                return true
            }
            guard encoding == .int8PerRow else { return false }
            scales = int8Scales(input)
            return true
        }
        if doneInOnePass { return }
        let total = view.info.elementCount
        let chunk = max(grain, TensorConversion.chunkElements / grain * grain)
        var allScales = [Float](repeating: 0, count: encoding == .int8PerRow ? rows : 0)
        var totals = ErrorStatistics()
        let inputWidth = view.encoding == .plain ? view.dtype.bitWidth / 8 : 0
        // Buffers for one chunk, reused for every chunk: fresh large allocations would be
        // page-faulted in (and zeroed by the kernel) again and again.
        let chunkCapacity = min(chunk, total)
        let pool = ScratchBuffers.shared
        let buffer = pool.take(byteCount: outputBytes(chunkCapacity))
        let referenceScratch = pool.take(byteCount: chunkCapacity * MemoryLayout<Float>.stride)
        let roundTripScratch = pool.take(byteCount: chunkCapacity * MemoryLayout<Float>.stride)
        defer {
            pool.giveBack(buffer)
            pool.giveBack(referenceScratch)
            pool.giveBack(roundTripScratch)
        }
        try view.withUnsafeBytes { raw in
            var start = 0
            while start < total {
                let end = min(total, start + chunk)
                let output = outputBytes(end - start)
                let parts = min(TensorConversion.workers, max(1, (end - start) / max(grain, 4096)))
                let per = ((end - start) / grain + parts - 1) / parts * grain
                var partial = [ErrorStatistics](repeating: ErrorStatistics(), count: parts)
                let chunkStart = start
                let input = UncheckedSendable(raw)
                let references = UncheckedSendable(referenceScratch.floats(chunkCapacity))
                let roundTrips = UncheckedSendable(roundTripScratch.floats(chunkCapacity))
                let outBase = UncheckedSendable(buffer.bytes)
                allScales.withUnsafeMutableBufferPointer { scaleBuffer in
                    let scaleBase = UncheckedSendable(scaleBuffer)
                    partial.withUnsafeMutableBufferPointer { stats in
                        let statsBase = UncheckedSendable(stats)
                        DispatchQueue.concurrentPerform(iterations: parts) { part in
                            let a = chunkStart + part * per
                            let b = min(end, a + per)
                            guard a < b else { return }
                            let offset = self.outputBytes(a - chunkStart)
                            let slice = UnsafeMutableRawBufferPointer(rebasing: outBase.value[offset..<(offset + self.outputBytes(b - a))])
                            let reference = UnsafeMutableBufferPointer(rebasing: references.value[(a - chunkStart)..<(b - chunkStart)])
                            let roundTrip = writeValues ? UnsafeMutableBufferPointer(rebasing: roundTrips.value[(a - chunkStart)..<(b - chunkStart)]) : reference
                            statsBase.value[part] = self.convert(input.value, elements: a..<b, into: slice, scales: scaleBase.value, measure: writeValues,
                                                                 reference: reference, roundTrip: roundTrip)
                        }
                    }
                }
                var chunkStats = ErrorStatistics()
                for stat in partial { chunkStats.merge(stat) }
                totals.merge(chunkStats)
                if writeValues {
                    try refuseNonFinite(chunkStats, UnsafeBufferPointer(referenceScratch.floats(chunkCapacity)).prefix(end - start), firstElement: start)
                }
                if writeValues, let sink { try sink.write(UnsafeRawBufferPointer(rebasing: buffer.bytes[0..<output])) }
                if inputWidth > 0 { view.releasePages(bytes: (start * inputWidth)..<(end * inputWidth)) }
                onProgress?((end - start) * max(inputWidth, 1))
                start = end
            }
        }
        if encoding == .int8PerRow { scales = allScales }
        if writeValues { error = totals }
    }

    /// Throws, unless `allowsNonFinite`, when `stats` (of an Int8 or Q8_0 conversion) saw a
    /// NaN or an infinity among `values`, the originals from `firstElement` on, naming the
    /// row or block of the first.
    func refuseNonFinite(_ stats: ErrorStatistics, _ values: Slice<UnsafeBufferPointer<Float>>, firstElement: Int) throws(WeightsFileError) {
        guard !allowsNonFinite, stats.nonFiniteInputs > 0, encoding == .int8PerRow || encoding == .q8_0,
              let position = values.firstIndex(where: { !$0.isFinite }) else { return }
        let element = firstElement + (position - values.startIndex)
        throw WeightsFileError(path: path, reason: .conversion(.nonFiniteInput(
            tensor: view.name, encoding: encoding, unit: element / max(grain, 1), unitLength: grain, value: values[position])))
    }

    /// Elements a chunk is a multiple of: a row for Int8, a block for Q8_0.
    var grain: Int {
        encoding == .int8PerRow ? max(columns, 1) : encoding == .q8_0 ? TensorEncoding.q8BlockLength : 1
    }

    /// Output bytes for `count` elements (values only, for Int8).
    func outputBytes(_ count: Int) -> Int {
        switch encoding {
        case .plain: count * dtype.bitWidth / 8
        case .q8_0: count / TensorEncoding.q8BlockLength * TensorEncoding.q8BlockBytes
        case .int8PerRow: count
        case .q4_0, .q4_1, .q5_0, .q5_1, .ggml: 0
        }
    }

    /// Converts `elements` into `out`; returns the error over them.
    /// `reference` and `roundTrip` are scratch space of `elements.count` values.
    private func convert(_ raw: UnsafeRawBufferPointer, elements: Range<Int>, into out: UnsafeMutableRawBufferPointer,
                         scales: UnsafeMutableBufferPointer<Float>, measure: Bool,
                         reference values: UnsafeMutableBufferPointer<Float>, roundTrip back: UnsafeMutableBufferPointer<Float>) -> ErrorStatistics {
        var stats = ErrorStatistics()
        do {
            if encoding == .plain && view.encoding == .plain && view.dtype != .f32 {
                // Convert from the stored type directly (F64 → F16 must round once).
                let width = view.dtype.bitWidth / 8
                FloatConversion.convert(UnsafeRawBufferPointer(rebasing: raw[(elements.lowerBound * width)..<(elements.upperBound * width)]),
                                        from: view.dtype, to: dtype, count: elements.count, into: out)
                guard measure else { return stats }
                view.decode(raw, elements: elements, into: values)
            } else {
                view.decode(raw, elements: elements, into: values)
                let input = UnsafeBufferPointer(values)
                switch encoding {
                case .plain:
                    FloatConversion.convert(UnsafeRawBufferPointer(input), from: .f32, to: dtype, count: elements.count, into: out)
                case .q8_0:
                    Quantizers.quantizeQ8_0(input, into: out)
                case .int8PerRow:
                    let firstRow = elements.lowerBound / columns
                    for row in 0..<(elements.count / columns) {
                        let part = UnsafeBufferPointer(rebasing: input[(row * columns)..<((row + 1) * columns)])
                        scales[firstRow + row] = Quantizers.quantizeInt8Row(part, into: UnsafeMutableRawBufferPointer(rebasing: out[(row * columns)..<((row + 1) * columns)]))
                    }
                case .q4_0, .q4_1, .q5_0, .q5_1, .ggml:
                    break
                }
            }
            guard measure else { return stats }
            do {
                switch encoding {
                case .plain:
                    FloatConversion.convert(UnsafeRawBufferPointer(out), from: dtype, to: .f32, count: elements.count, into: UnsafeMutableRawBufferPointer(back))
                case .q8_0:
                    Quantizers.dequantizeQ8_0(UnsafeRawBufferPointer(out), count: elements.count, into: back)
                case .int8PerRow:
                    let firstRow = elements.lowerBound / columns
                    for row in 0..<(elements.count / columns) {
                        Quantizers.dequantizeInt8Row(UnsafeRawBufferPointer(rebasing: out[(row * columns)..<((row + 1) * columns)]), scale: scales[firstRow + row],
                                                     into: UnsafeMutableBufferPointer(rebasing: back[(row * columns)..<((row + 1) * columns)]))
                    }
                case .q4_0, .q4_1, .q5_0, .q5_1, .ggml:
                    break
                }
                stats.add(reference: UnsafeBufferPointer(values), approximation: UnsafeBufferPointer(back))
            }
        }
        return stats
    }
}
