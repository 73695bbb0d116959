// GELU for the inference core (formula in gelu_formula.h), alone or fused with the bias
// add that precedes it in a feed-forward block.
#include "CKernels.h"
#include "gelu_formula.h"
#include "simd_dispatch.h"

#if defined(__x86_64__)
__attribute__((target_clones("avx2", "default")))
#endif
void wk_gelu(float *values, size_t count) {
    for (size_t i = 0; i < count; i++) values[i] = wk_gelu_one(values[i]);
}

static inline __attribute__((always_inline)) void bias_gelu(float *restrict x, const float *restrict bias, size_t rows, size_t columns) {
    for (size_t r = 0; r < rows; r++) {
        float *restrict row = x + r * columns;
        if (bias) {
            for (size_t j = 0; j < columns; j++) row[j] = wk_gelu_one(row[j] + bias[j]);
        } else {
            for (size_t j = 0; j < columns; j++) row[j] = wk_gelu_one(row[j]);
        }
    }
}

#if defined(__x86_64__)
WK_AVX2_FMA static void bias_gelu_avx2(float *x, const float *bias, size_t rows, size_t columns) { bias_gelu(x, bias, rows, columns); }
#endif

void wk_bias_gelu(float *x, const float *bias, size_t rows, size_t columns) {
#if defined(__x86_64__)
    if (wk_has_avx2_fma()) { bias_gelu_avx2(x, bias, rows, columns); return; }
#endif
    bias_gelu(x, bias, rows, columns);
}
