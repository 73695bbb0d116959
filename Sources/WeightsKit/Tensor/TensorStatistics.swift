/// Summary statistics of a tensor's values, computed in one streaming pass.
///
/// Min, max, mean and standard deviation (population) cover finite values only;
/// NaN and ±Inf are counted separately so one bad value does not hide the rest.
public struct TensorStatistics: Sendable, Equatable {
    public var count = 0
    public var finiteCount = 0
    public var nanCount = 0
    public var infinityCount = 0
    public var minimum = Double.infinity
    public var maximum = -Double.infinity
    private var sum = 0.0
    private var sumOfSquares = 0.0

    public init() {}

    public var mean: Double? { finiteCount == 0 ? nil : sum / Double(finiteCount) }

    public var standardDeviation: Double? {
        guard let mean else { return nil }
        return max(0, sumOfSquares / Double(finiteCount) - mean * mean).squareRoot()
    }

    public mutating func add(_ values: UnsafeBufferPointer<Float>) {
        count += values.count
        for value in values {
            if value.isFinite {
                let v = Double(value)
                finiteCount += 1
                minimum = Swift.min(minimum, v)
                maximum = Swift.max(maximum, v)
                sum += v
                sumOfSquares += v * v
            } else if value.isNaN {
                nanCount += 1
            } else {
                infinityCount += 1
            }
        }
    }

    /// Decodes `view` in chunks (memory stays small for any tensor size) and summarises it;
    /// nil for dtypes that cannot be decoded.
    public static func compute(_ view: TensorView) -> TensorStatistics? {
        guard view.encoding == .plain ? view.dtype.isDecodable : view.encoding.isDecodable else { return nil }
        var statistics = TensorStatistics()
        let total = view.info.elementCount
        let chunk = 1 << 16
        var chunkValues = [Float](repeating: 0, count: min(chunk, total))
        view.withUnsafeBytes { raw in
            var start = 0
            while start < total {
                let end = min(total, start + chunk)
                chunkValues.withUnsafeMutableBufferPointer { out in
                    let slice = UnsafeMutableBufferPointer(rebasing: out[0..<(end - start)])
                    view.decode(raw, elements: start..<end, into: slice)
                    statistics.add(UnsafeBufferPointer(slice))
                }
                start = end
            }
        }
        return statistics
    }
}
