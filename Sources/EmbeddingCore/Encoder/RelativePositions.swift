import WeightsKit

/// DeBERTa-v2's relative positions: i − j, log-bucketed past `bucketSize / 2`
/// (transformers' `make_log_bucket_position`), computed in F32 exactly as torch does so
/// boundary distances land in the same bucket.
enum RelativePositions {
    ///
    /// Total: a bucket size below 2 (mid 0 divides by zero) or a span whose log base is 1
    /// (max − 1 = mid) gives no finite bucket in the reference; `DebertaV2Config` rejects
    /// those configs, and here they fall back to the plain distance instead of trapping.
    static func bucket(_ relative: Int, bucketSize: Int, maxPosition: Int) -> Int {
        guard bucketSize > 0, maxPosition > 0 else { return relative }
        let sign = relative.signum()
        let mid = bucketSize / 2
        guard mid > 0 else { return relative }
        let absolute = (relative < mid && relative > -mid) ? mid - 1 : abs(relative)
        if absolute <= mid { return relative }
        // torch: ceil(log(abs / mid) / log(tensor((max - 1) / mid)) * (mid - 1)) + mid, in float32.
        let ratio = Float(absolute) / Float(mid)
        let base = Float(Double(maxPosition - 1) / Double(mid))
        let logPosition = System.ceil(System.log(ratio) / System.log(base) * Float(mid - 1)) + Float(mid)
        guard logPosition.isFinite, let position = Int(exactly: logPosition), position.magnitude < 1 << 40 else { return relative }
        return position * sign
    }

    /// idx[i][j] for the c2p term: clamp(bucket(i − j) + span, 0, 2·span − 1).
    static func contentToPosition(length: Int, span: Int, bucketSize: Int, maxPosition: Int) -> [Int] {
        var table = [Int](repeating: 0, count: length * length)
        for i in 0..<length {
            for j in 0..<length {
                table[i * length + j] = min(max(bucket(i - j, bucketSize: bucketSize, maxPosition: maxPosition) + span, 0), 2 * span - 1)
            }
        }
        return table
    }

    /// idx[j][i] for the p2c term as the reference gathers it: clamp(−bucket(j − i) + span, …),
    /// stored at [i][j] (the reference transposes after gathering).
    static func positionToContent(length: Int, span: Int, bucketSize: Int, maxPosition: Int) -> [Int] {
        var table = [Int](repeating: 0, count: length * length)
        for i in 0..<length {
            for j in 0..<length {
                table[i * length + j] = min(max(-bucket(j - i, bucketSize: bucketSize, maxPosition: maxPosition) + span, 0), 2 * span - 1)
            }
        }
        return table
    }
}
