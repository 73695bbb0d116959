import Testing
@testable import EmbeddingCore

/// `make_log_bucket_position` for settings at the edge: expected values are the reference
/// formula worked by hand, ceil(log(|d| / mid) / log((max − 1) / mid) · (mid − 1)) + mid.
@Suite("Relative positions at the edges")
struct RelativePositionsTotalityTests {
    @Test("mid 1 (2 buckets): every distance past 1 lands in bucket ±1, as (mid − 1) = 0 makes the log term 0")
    func midOne() {
        #expect(RelativePositions.bucket(5, bucketSize: 2, maxPosition: 512) == 1)
        #expect(RelativePositions.bucket(-5, bucketSize: 2, maxPosition: 512) == -1)
        #expect(RelativePositions.bucket(1, bucketSize: 2, maxPosition: 512) == 1)
    }

    @Test("span 1: log(0) = -inf makes the log term -0, so distances past mid land in bucket ±mid")
    func spanOne() {
        #expect(RelativePositions.bucket(20, bucketSize: 16, maxPosition: 1) == 8)
        #expect(RelativePositions.bucket(-20, bucketSize: 16, maxPosition: 1) == -8)
    }

    @Test("mid 0 and a log base of 1 have no finite bucket: no trap, the plain distance, tables stay in range")
    func noFiniteBucket() {
        for relative in -100...100 {
            #expect(RelativePositions.bucket(relative, bucketSize: 1, maxPosition: 512) == relative)
            #expect(RelativePositions.bucket(relative, bucketSize: 16, maxPosition: 9) == relative)
        }
        for (buckets, maxPosition) in [(1, 512), (16, 9), (3, 2)] {
            let span = max(buckets, 1)
            let table = RelativePositions.contentToPosition(length: 40, span: span, bucketSize: buckets, maxPosition: maxPosition)
            #expect(table.allSatisfy { (0..<(2 * span)).contains($0) })
            let transposed = RelativePositions.positionToContent(length: 40, span: span, bucketSize: buckets, maxPosition: maxPosition)
            #expect(transposed.allSatisfy { (0..<(2 * span)).contains($0) })
        }
    }
}
