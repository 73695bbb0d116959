// Error statistics between a tensor's original values and what a conversion gives back,
// accumulated in double so the sums stay exact enough for SNR on large tensors.
#include <math.h>
#include <string.h>
#include "CKernels.h"

#if defined(__x86_64__)
__attribute__((target_clones("avx2", "default")))
#endif
void wk_error_sums(const float *reference, const float *approx, size_t count, double sums[7]) {
    double err2 = 0, ref2 = 0, app2 = 0, dot = 0, maxabs = sums[4], differing = 0, nonfinite = 0;
    for (size_t i = 0; i < count; i++) {
        float r = reference[i], a = approx[i];
        uint32_t rb, ab;
        memcpy(&rb, &r, 4);
        memcpy(&ab, &a, 4);
        differing += rb != ab;
        if (!isfinite(r) || !isfinite(a)) { nonfinite += 1; continue; }
        double d = (double)a - (double)r;
        err2 += d * d;
        ref2 += (double)r * r;
        app2 += (double)a * a;
        dot += (double)a * r;
        double m = fabs(d);
        if (m > maxabs) maxabs = m;
    }
    sums[0] += err2; sums[1] += ref2; sums[2] += app2; sums[3] += dot; sums[4] = maxabs;
    sums[5] += differing; sums[6] += nonfinite;
}
