// LayerNorm fused with what precedes it in every encoder block: the dense layer's bias
// and the residual connection, in one pass over the activations (then one to normalise).
#include "CKernels.h"
#include "simd_dispatch.h"
#include <math.h>

static inline __attribute__((always_inline)) float squared_deviation8(const float *restrict v, size_t count, float mean) {
    float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t j = 0;
    for (; j + 8 <= count; j += 8)
        for (int l = 0; l < 8; l++) { float d = v[j + l] - mean; partial[l] += d * d; }
    float total = 0;
    for (; j < count; j++) { float d = v[j] - mean; total += d * d; }
    for (int l = 0; l < 8; l++) total += partial[l];
    return total;
}

static inline __attribute__((always_inline)) void add_layer_norm(float *restrict x, const float *restrict residual, const float *restrict bias,
                                                                size_t rows, size_t columns, const float *restrict gamma,
                                                                const float *restrict beta, float epsilon) {
    for (size_t r = 0; r < rows; r++) {
        float *restrict row = x + r * columns;
        if (bias) for (size_t j = 0; j < columns; j++) row[j] += bias[j];
        if (residual) {
            const float *restrict add = residual + r * columns;
            for (size_t j = 0; j < columns; j++) row[j] += add[j];
        }
        float mean = sum8(row, columns) / (float)columns;
        float variance = squared_deviation8(row, columns, mean) / (float)columns;
        float inverse = 1.0f / sqrtf(variance + epsilon);
        for (size_t j = 0; j < columns; j++) row[j] = (row[j] - mean) * inverse * gamma[j] + beta[j];
    }
}

#if defined(__x86_64__)
WK_AVX2_FMA static void add_layer_norm_avx2(float *x, const float *residual, const float *bias, size_t rows, size_t columns,
                                            const float *gamma, const float *beta, float epsilon) {
    add_layer_norm(x, residual, bias, rows, columns, gamma, beta, epsilon);
}
#endif

void wk_add_layer_norm(float *x, const float *residual, const float *bias, size_t rows, size_t columns,
                       const float *gamma, const float *beta, float epsilon) {
#if defined(__x86_64__)
    if (wk_has_avx2_fma()) { add_layer_norm_avx2(x, residual, bias, rows, columns, gamma, beta, epsilon); return; }
#endif
    add_layer_norm(x, residual, bias, rows, columns, gamma, beta, epsilon);
}
