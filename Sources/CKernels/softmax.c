// Attention's softmax, with its masks, and DeBERTa's disentangled score terms gathered
// into the scores first: one pass to build and mask, one for exp, one to scale.
// exp is Cephes' expf polynomial (relative error ≈ 1e-7), written without branches or
// libm calls so the loops vectorise; inputs below −87.3 give exactly 0, as expf does.
#include "CKernels.h"
#include "simd_dispatch.h"
#include <float.h>
#include <math.h>
#include <string.h>

static inline __attribute__((always_inline)) float exp_polynomial(float x) {
    x = x < -88.0f ? -88.0f : x;
    x = x > 88.0f ? 88.0f : x;
    // n = round(x / ln 2), by the add-and-subtract trick (exact for |n| < 2²²).
    float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float y = 1.9875691500e-4f;
    y = y * r + 1.3981999507e-3f;
    y = y * r + 8.3334519073e-3f;
    y = y * r + 4.1665795894e-2f;
    y = y * r + 1.6666665459e-1f;
    y = y * r + 5.0000001201e-1f;
    y = y * r * r + r + 1.0f;
    // 2ⁿ from its exponent bits; n = −127 (x ≤ −87.9) gives the bit pattern of 0.
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return y * scale;
}

static inline __attribute__((always_inline)) float max8(const float *restrict v, size_t count) {
    float partial[8] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY};
    size_t j = 0;
    for (; j + 8 <= count; j += 8)
        for (int l = 0; l < 8; l++) partial[l] = v[j + l] > partial[l] ? v[j + l] : partial[l];
    float m = -INFINITY;
    for (; j < count; j++) m = v[j] > m ? v[j] : m;
    for (int l = 0; l < 8; l++) m = partial[l] > m ? partial[l] : m;
    return m;
}

/// exp(v − max) in place, returning the sum.
static inline __attribute__((always_inline)) float exp_shifted_sum8(float *restrict v, size_t count, float shift) {
    for (size_t j = 0; j < count; j++) v[j] = exp_polynomial(v[j] - shift);
    return sum8(v, count);
}

/// Softmax of a row whose masked keys already hold −FLT_MAX.
static inline __attribute__((always_inline)) void softmax_row(float *restrict row, size_t count) {
    float sum = exp_shifted_sum8(row, count, max8(row, count));
    float inverse = 1.0f / sum;
    for (size_t j = 0; j < count; j++) row[j] *= inverse;
}

static inline __attribute__((always_inline)) void uniform_row(float *restrict row, size_t count) {
    float share = 1.0f / (float)count;
    for (size_t j = 0; j < count; j++) row[j] = share;
}

static inline __attribute__((always_inline)) void softmax_masked(float *restrict row, size_t count, const uint8_t *restrict keep, int row_kept) {
    if (!row_kept) { uniform_row(row, count); return; }
    if (keep)
        for (size_t j = 0; j < count; j++) row[j] = keep[j] ? row[j] : -FLT_MAX;
    softmax_row(row, count);
}

static inline __attribute__((always_inline)) void disentangled_softmax(float *restrict scores, size_t length, const float *restrict c2p,
                                                                      const float *restrict p2c, const int32_t *restrict c2p_index,
                                                                      const int32_t *restrict p2c_index, size_t positions,
                                                                      const uint8_t *restrict keep) {
    for (size_t i = 0; i < length; i++) {
        float *restrict row = scores + i * length;
        if (keep && !keep[i]) { uniform_row(row, length); continue; }
        if (c2p) {
            const float *restrict terms = c2p + i * positions;
            const int32_t *restrict index = c2p_index + i * length;
            for (size_t j = 0; j < length; j++) row[j] += terms[index[j]];
        }
        if (p2c) {
            const int32_t *restrict index = p2c_index + i * length;
            for (size_t j = 0; j < length; j++) row[j] += p2c[j * positions + (size_t)index[j]];
        }
        if (keep)
            for (size_t j = 0; j < length; j++) row[j] = keep[j] ? row[j] : -FLT_MAX;
        softmax_row(row, length);
    }
}

#if defined(__x86_64__)
WK_AVX2_FMA static void softmax_masked_avx2(float *row, size_t count, const uint8_t *keep, int row_kept) {
    softmax_masked(row, count, keep, row_kept);
}
WK_AVX2_FMA static void disentangled_softmax_avx2(float *scores, size_t length, const float *c2p, const float *p2c,
                                                  const int32_t *c2p_index, const int32_t *p2c_index, size_t positions,
                                                  const uint8_t *keep) {
    disentangled_softmax(scores, length, c2p, p2c, c2p_index, p2c_index, positions, keep);
}
#endif

void wk_softmax_masked(float *row, size_t count, const uint8_t *keep, int row_kept) {
#if defined(__x86_64__)
    if (wk_has_avx2_fma()) { softmax_masked_avx2(row, count, keep, row_kept); return; }
#endif
    softmax_masked(row, count, keep, row_kept);
}

void wk_disentangled_softmax(float *scores, size_t length, const float *c2p, const float *p2c,
                             const int32_t *c2p_index, const int32_t *p2c_index, size_t positions,
                             const uint8_t *keep) {
#if defined(__x86_64__)
    if (wk_has_avx2_fma()) { disentangled_softmax_avx2(scores, length, c2p, p2c, c2p_index, p2c_index, positions, keep); return; }
#endif
    disentangled_softmax(scores, length, c2p, p2c, c2p_index, p2c_index, positions, keep);
}
