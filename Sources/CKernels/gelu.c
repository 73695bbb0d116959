// GELU for the inference core: x · ½ · (1 + erf(x / √2)), with erf from Abramowitz &
// Stegun 7.1.28 (1 − (1 + a1·x + … + a6·x⁶)^−16, absolute error ≤ 3e-7): no exp or libm
// call, so it vectorises. The resulting GELU differs from torch's exact one by under 2e-7·|x|,
// far inside the encoder's 1e-4 agreement with transformers.
#include <math.h>
#include "CKernels.h"

#if defined(__x86_64__)
__attribute__((target_clones("avx2", "default")))
#endif
void wk_gelu(float *values, size_t count) {
    for (size_t i = 0; i < count; i++) {
        float x = values[i];
        float z = fabsf(x) * 0.70710678118654752440f;
        float p = 1.0f + z * (0.0705230784f + z * (0.0422820123f + z * (0.0092705272f + z * (0.0001520143f + z * (0.0002765672f + z * 0.0000430638f)))));
        float p2 = p * p, p4 = p2 * p2, p8 = p4 * p4, p16 = p8 * p8;
        float e = 1.0f - 1.0f / p16;
        e = x < 0 ? -e : e;
        values[i] = x * 0.5f * (1.0f + e);
    }
}
