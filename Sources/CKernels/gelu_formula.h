// GELU as x · ½ · (1 + erf(x / √2)), erf from Abramowitz & Stegun 7.1.28
// (1 − (1 + a1·x + … + a6·x⁶)^−16, absolute error ≤ 3e-7): no exp or libm call, so loops
// over it vectorise. Differs from torch's exact GELU by under 2e-7·|x|.
#ifndef CKERNELS_GELU_FORMULA_H
#define CKERNELS_GELU_FORMULA_H
#include <math.h>

static inline __attribute__((always_inline)) float wk_gelu_one(float x) {
    float z = fabsf(x) * 0.70710678118654752440f;
    float p = 1.0f + z * (0.0705230784f + z * (0.0422820123f + z * (0.0092705272f + z * (0.0001520143f + z * (0.0002765672f + z * 0.0000430638f)))));
    float p2 = p * p, p4 = p2 * p2, p8 = p4 * p4, p16 = p8 * p8;
    float e = 1.0f - 1.0f / p16;
    e = x < 0 ? -e : e;
    return x * 0.5f * (1.0f + e);
}
#endif
