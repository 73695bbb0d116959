// Conversions that measure their own error in the same pass. Each block of 256 values is
// converted, converted back while it is still in L1, and its error summed by
// wk_error_sums, so the input (read straight from the mapped file) and the output are each
// touched once instead of four passes over memory-sized buffers. The sums are exactly
// those of one wk_error_sums call over the whole range: that function sums blocks of 256
// from the start of its range and the last partial block pair by pair, which is what
// calling it block by block does.
#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define BLOCK 256

/// One block of a 16-bit float conversion and its error the slow way: convert with `to`,
/// convert back with `from`, sum.
static void half_block(const float *src, uint16_t *dst, size_t n, double sums[WK_ERROR_SUM_COUNT],
                       void (*to)(const void *, uint16_t *, size_t), void (*from)(const void *, float *, size_t)) {
    float back[BLOCK];
    to(src, dst, n);
    from(dst, back, n);
    wk_error_sums(src, back, n, sums);
}

static void f16_block(const float *src, uint16_t *dst, size_t n, double sums[WK_ERROR_SUM_COUNT]) {
    half_block(src, dst, n, sums, wk_f32_to_f16, wk_f16_to_f32);
}

#if defined(__x86_64__)
/// A whole block of 256 in one loop: F16C convert, convert back, and wk_error_sums' eight
/// float lanes per sum, with the same operations in the same order (no FMA), so the sums are
/// bit-identical. Returns 0 without touching `sums` when the block holds a NaN or an infinity
/// on either side (or overflows to one): the caller redoes it the slow way, which also gives
/// NaNs numpy's payload.
__attribute__((target("f16c,avx2")))
static int f16_block_fused(const float *src, uint16_t *dst, double sums[WK_ERROR_SUM_COUNT]) {
    __m256 err2 = _mm256_setzero_ps(), ref2 = err2, app2 = err2, dot = err2, maxabs = err2;
    __m256 nonfinite = err2;
    __m256i differing = _mm256_setzero_si256();
    const __m256 sign = _mm256_set1_ps(-0.0f);
    const __m256i one = _mm256_set1_epi32(1);
    for (int i = 0; i < BLOCK; i += 8) {
        __m256 r = _mm256_loadu_ps(src + i);
        __m128i h = _mm256_cvtps_ph(r, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm_storeu_si128((__m128i *)(dst + i), h);
        __m256 a = _mm256_cvtph_ps(h);
        __m256 d = _mm256_sub_ps(a, r);
        err2 = _mm256_add_ps(err2, _mm256_mul_ps(d, d));
        ref2 = _mm256_add_ps(ref2, _mm256_mul_ps(r, r));
        app2 = _mm256_add_ps(app2, _mm256_mul_ps(a, a));
        dot = _mm256_add_ps(dot, _mm256_mul_ps(a, r));
        maxabs = _mm256_max_ps(_mm256_andnot_ps(sign, d), maxabs);
        // x − x is 0 for finite x and NaN otherwise.
        nonfinite = _mm256_or_ps(nonfinite, _mm256_cmp_ps(_mm256_add_ps(_mm256_sub_ps(r, r), _mm256_sub_ps(a, a)),
                                                          _mm256_setzero_ps(), _CMP_NEQ_UQ));
        __m256i same = _mm256_cmpeq_epi32(_mm256_castps_si256(r), _mm256_castps_si256(a));
        differing = _mm256_add_epi32(differing, _mm256_andnot_si256(same, one));
    }
    if (_mm256_movemask_ps(nonfinite)) return 0;
    float e[8], q[8], p[8], t[8], m[8];
    uint32_t c[8];
    _mm256_storeu_ps(e, err2); _mm256_storeu_ps(q, ref2); _mm256_storeu_ps(p, app2);
    _mm256_storeu_ps(t, dot); _mm256_storeu_ps(m, maxabs);
    _mm256_storeu_si256((__m256i *)c, differing);
    for (int k = 0; k < 8; k++) {
        sums[0] += e[k]; sums[1] += q[k]; sums[2] += p[k]; sums[3] += t[k];
        if (m[k] > sums[4]) sums[4] = m[k];
        sums[5] += c[k];
    }
    return 1;
}
#endif

void wk_f32_to_f16_measured(const float *src, uint16_t *dst, size_t count, double sums[WK_ERROR_SUM_COUNT]) {
#if defined(__x86_64__)
    if (wk_f16c_is_active()) {
        size_t i = 0;
        for (; i + BLOCK <= count; i += BLOCK)
            if (!f16_block_fused(src + i, dst + i, sums)) f16_block(src + i, dst + i, BLOCK, sums);
        if (i < count) f16_block(src + i, dst + i, count - i, sums);
        return;
    }
#endif
    for (size_t i = 0; i < count; i += BLOCK) f16_block(src + i, dst + i, count - i < BLOCK ? count - i : BLOCK, sums);
}

void wk_f32_to_bf16_measured(const float *src, uint16_t *dst, size_t count, double sums[WK_ERROR_SUM_COUNT]) {
    for (size_t i = 0; i < count; i += BLOCK)
        half_block(src + i, dst + i, count - i < BLOCK ? count - i : BLOCK, sums, wk_f32_to_bf16, wk_bf16_to_f32);
}

void wk_quantize_q8_0_measured(const float *src, uint8_t *dst, size_t count, double sums[WK_ERROR_SUM_COUNT]) {
    float back[BLOCK];
    for (size_t i = 0; i < count; i += BLOCK) {
        size_t n = count - i < BLOCK ? count - i : BLOCK;
        uint8_t *blocks = dst + i / 32 * 34;
        wk_quantize_q8_0(src + i, blocks, n);
        wk_dequantize_q8_0(blocks, back, n);
        wk_error_sums(src + i, back, n, sums);
    }
}

void wk_quantize_int8_rows_measured(const float *src, int8_t *dst, float *scales, size_t rows, size_t columns,
                                    double sums[WK_ERROR_SUM_COUNT]) {
    float back[BLOCK];
    size_t count = rows * columns, quantized = 0;
    for (size_t i = 0; i < count; i += BLOCK) {
        size_t n = count - i < BLOCK ? count - i : BLOCK;
        // Rows are quantized whole (the scale needs the row's maximum) as the block reaches them.
        while (quantized * columns < i + n) {
            scales[quantized] = wk_quantize_int8_row(src + quantized * columns, dst + quantized * columns, columns);
            quantized++;
        }
        for (size_t j = i; j < i + n;) {
            size_t row = j / columns;
            size_t end = (row + 1) * columns < i + n ? (row + 1) * columns : i + n;
            wk_dequantize_int8_row(dst + j, scales[row], back + (j - i), end - j);
            j = end;
        }
        wk_error_sums(src + i, back, n, sums);
    }
}
