// Error statistics between a tensor's original values and what a conversion gives back.
// Blocks of 256 pairs are summed in float (vectorised) and folded into double, so the
// totals stay accurate on large tensors; a block holding a NaN or infinity is redone
// one pair at a time, leaving those pairs out of the sums and counting them instead.
#include <math.h>
#include <string.h>
#include "CKernels.h"

#define BLOCK 256

// 0 finite, 1 NaN, 2 +inf, 3 -inf: a pair whose classes differ is an error no sum shows.
static inline int value_class(float v) {
    if (isfinite(v)) return 0;
    if (isnan(v)) return 1;
    return v > 0 ? 2 : 3;
}

static void scalar_pairs(const float *reference, const float *approx, size_t count, double sums[WK_ERROR_SUM_COUNT]) {
    for (size_t i = 0; i < count; i++) {
        float r = reference[i], a = approx[i];
        uint32_t rb, ab;
        memcpy(&rb, &r, 4);
        memcpy(&ab, &a, 4);
        sums[5] += rb != ab;
        if (!isfinite(r) || !isfinite(a)) {
            sums[6] += 1;
            sums[7] += value_class(r) != value_class(a);
            sums[8] += !isfinite(r);
            continue;
        }
        double d = (double)a - (double)r;
        sums[0] += d * d;
        sums[1] += (double)r * r;
        sums[2] += (double)a * a;
        sums[3] += (double)a * r;
        if (fabs(d) > sums[4]) sums[4] = fabs(d);
    }
}

#if defined(__x86_64__)
__attribute__((target_clones("avx2", "default")))
#endif
void wk_error_sums(const float *reference, const float *approx, size_t count, double sums[WK_ERROR_SUM_COUNT]) {
    size_t start = 0;
    for (; start + BLOCK <= count; start += BLOCK) {
        const float *r = reference + start, *a = approx + start;
        // Eight independent lanes per sum: the compiler vectorises across them without
        // reassociating any single sum (no fast-math needed).
        float err2[8] = {0}, ref2[8] = {0}, app2[8] = {0}, dot[8] = {0}, maxabs[8] = {0}, poison[8] = {0};
        uint32_t differing[8] = {0};
        for (int i = 0; i < BLOCK; i += 8) {
            for (int k = 0; k < 8; k++) {
                float rv = r[i + k], av = a[i + k];
                float d = av - rv;
                err2[k] += d * d;
                ref2[k] += rv * rv;
                app2[k] += av * av;
                dot[k] += av * rv;
                float m = fabsf(d);
                maxabs[k] = m > maxabs[k] ? m : maxabs[k];
                poison[k] += (rv - rv) + (av - av);  // NaN if any value is NaN or infinite
                uint32_t rb, ab;
                memcpy(&rb, &r[i + k], 4);
                memcpy(&ab, &a[i + k], 4);
                differing[k] += rb != ab;
            }
        }
        float poisoned = 0;
        for (int k = 0; k < 8; k++) poisoned += poison[k];
        if (poisoned != 0 || poisoned != poisoned) {
            scalar_pairs(r, a, BLOCK, sums);
            continue;
        }
        for (int k = 0; k < 8; k++) {
            sums[0] += err2[k]; sums[1] += ref2[k]; sums[2] += app2[k]; sums[3] += dot[k];
            if (maxabs[k] > sums[4]) sums[4] = maxabs[k];
            sums[5] += differing[k];
        }
    }
    scalar_pairs(reference + start, approx + start, count - start, sums);
}
