// Runs a kernel body twice compiled: once for AVX2/FMA (picked at run time when the CPU
// has them) and once portable. The body is a static inline function the compiler
// vectorises for each target; results differ between the two only by FMA contraction.
#ifndef CKERNELS_SIMD_DISPATCH_H
#define CKERNELS_SIMD_DISPATCH_H

#include "CKernels.h"

#if defined(__x86_64__)
/// 1 when the CPU has AVX2 and FMA and WEIGHTS_SIMD does not ask for the portable paths.
static inline int wk_has_avx2_fma(void) {
    static int cached = -1;
    if (cached < 0) cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && wk_simd_is_allowed();
    return cached;
}
#define WK_AVX2_FMA __attribute__((target("avx2,fma")))
#endif

/// Sum of `count` values in 8 interleaved partial sums, so the loop vectorises without
/// reassociation flags.
static inline __attribute__((always_inline)) float sum8(const float *restrict v, size_t count) {
    float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t j = 0;
    for (; j + 8 <= count; j += 8)
        for (int l = 0; l < 8; l++) partial[l] += v[j + l];
    float total = 0;
    for (; j < count; j++) total += v[j];
    for (int l = 0; l < 8; l++) total += partial[l];
    return total;
}

#endif
