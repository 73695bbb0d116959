// Conversions that measure their own error in the same pass. Each block of 256 values is
// converted, converted back while it is still in L1, and its error summed by
// wk_error_sums, so the input (read straight from the mapped file) and the output are each
// touched once instead of four passes over memory-sized buffers. The sums are exactly
// those of one wk_error_sums call over the whole range: that function sums blocks of 256
// from the start of its range and the last partial block pair by pair, which is what
// calling it block by block does.
#include "CKernels.h"

#define BLOCK 256

void wk_f32_to_f16_measured(const float *src, uint16_t *dst, size_t count, double sums[7]) {
    float back[BLOCK];
    for (size_t i = 0; i < count; i += BLOCK) {
        size_t n = count - i < BLOCK ? count - i : BLOCK;
        wk_f32_to_f16(src + i, dst + i, n);
        wk_f16_to_f32(dst + i, back, n);
        wk_error_sums(src + i, back, n, sums);
    }
}

void wk_f32_to_bf16_measured(const float *src, uint16_t *dst, size_t count, double sums[7]) {
    float back[BLOCK];
    for (size_t i = 0; i < count; i += BLOCK) {
        size_t n = count - i < BLOCK ? count - i : BLOCK;
        wk_f32_to_bf16(src + i, dst + i, n);
        wk_bf16_to_f32(dst + i, back, n);
        wk_error_sums(src + i, back, n, sums);
    }
}

void wk_quantize_q8_0_measured(const float *src, uint8_t *dst, size_t count, double sums[7]) {
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
                                    double sums[7]) {
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
