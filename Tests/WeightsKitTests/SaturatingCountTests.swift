import Testing
import WeightsKit

/// Totals of counts from files: exact while they fit `Int`, saturated (and saying so) past it.
@Suite("SaturatingCount")
struct SaturatingCountTests {
    @Test("sums that fit are exact, up to Int.max itself", arguments: [
        ([], 0),
        ([3, 4], 7),
        ([Int.max], Int.max),
        ([Int.max - 1, 1], Int.max),
        ([1 << 62, (1 << 62) - 1, 0], Int.max),
    ] as [([Int], Int)])
    func exact(_ counts: [Int], _ total: Int) {
        let sum = SaturatingCount(summing: counts)
        #expect(!sum.isSaturated && sum.exact == total && sum.description == String(total))
    }

    @Test("a sum past Int.max saturates, and stays saturated", arguments: [
        [Int.max, 1],
        [1 << 62, 1 << 62],
        [Int.max, Int.max, Int.max],
        [Int.max, 1, 0],
    ])
    func saturated(_ counts: [Int]) {
        let sum = SaturatingCount(summing: counts)
        #expect(sum.isSaturated && sum.exact == nil && sum.value == Int.max)
        #expect(sum.description == "more than 9223372036854775807")
        #expect((sum + SaturatingCount(0)).isSaturated)
    }
}
