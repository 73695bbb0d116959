// The one place that decides whether the vector paths may run. WEIGHTS_SIMD=portable turns
// every run-time-dispatched kernel (F16C conversion, PCLMUL CRC-32, the AVX2/FMA encoder
// passes) to its portable path, as a CPU without those features would run it; like
// OpenBLAS's OPENBLAS_CORETYPE, it lets one machine stand in for another (make test-portable).
#include <stdlib.h>
#include <string.h>
#include "CKernels.h"

int wk_simd_is_allowed(void) {
    static int cached = -1;
    if (cached < 0) {
        const char *setting = getenv("WEIGHTS_SIMD");
        cached = !(setting && strcmp(setting, "portable") == 0);
    }
    return cached;
}
