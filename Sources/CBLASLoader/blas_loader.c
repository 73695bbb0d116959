// See CBLASLoader.h. The CBLAS prototype is declared here (the values of the CBLAS
// enums are fixed by the standard interface), so no BLAS headers are needed to build.
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "CBLASLoader.h"

enum { CBLAS_ROW_MAJOR = 101, CBLAS_NO_TRANS = 111, CBLAS_TRANS = 112 };

typedef void (*sgemm_fn)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha,
                         const float *a, int lda, const float *b, int ldb,
                         float beta, float *c, int ldc);
typedef void (*openblas_threads_fn)(int count);
typedef void (*blis_threads_fn)(int64_t count);  // BLIS's dim_t is 64-bit

static pthread_once_t once = PTHREAD_ONCE_INIT;
static sgemm_fn sgemm;
static openblas_threads_fn openblas_threads;
static blis_threads_fn blis_threads;
static char failure[512];
static atomic_int loaded;     // 1 once cblas_sgemm and the thread setters are resolved
static atomic_int requested;  // the last wk_blas_set_threads count, 0 for none

static void apply_threads(int count) {
    if (count <= 0) return;
    if (openblas_threads) openblas_threads(count);
    else if (blis_threads) blis_threads(count);
}

static void load(void) {
    const char *chosen = getenv("WEIGHTS_BLAS");
    const char *name = (chosen && *chosen) ? chosen : "libopenblas.so.0";
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *reason = dlerror();
        snprintf(failure, sizeof failure,
                 "cannot load the BLAS library %s (%s); install OpenBLAS (apt-get install libopenblas0) "
                 "or set WEIGHTS_BLAS to a library that exports cblas_sgemm",
                 name, reason ? reason : "unknown error");
        return;
    }
    sgemm = (sgemm_fn)dlsym(library, "cblas_sgemm");
    if (!sgemm) {
        snprintf(failure, sizeof failure,
                 "the BLAS library %s does not export cblas_sgemm; set WEIGHTS_BLAS to one that does "
                 "(libopenblas.so.0, libblis.so.4)", name);
        return;
    }
    openblas_threads = (openblas_threads_fn)dlsym(library, "openblas_set_num_threads");
    blis_threads = (blis_threads_fn)dlsym(library, "bli_thread_set_num_threads");
    atomic_store(&loaded, 1);
    apply_threads(atomic_load(&requested));
}

const char *wk_blas_load(void) {
    pthread_once(&once, load);
    return sgemm ? NULL : failure;
}

void wk_blas_sgemm(int transpose_b, int m, int n, int k, float alpha,
                   const float *a, int lda, const float *b, int ldb,
                   float beta, float *c, int ldc) {
    const char *problem = wk_blas_load();
    if (problem) {
        fprintf(stderr, "error: %s\n", problem);
        abort();
    }
    sgemm(CBLAS_ROW_MAJOR, CBLAS_NO_TRANS, transpose_b ? CBLAS_TRANS : CBLAS_NO_TRANS,
          m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// Stored and applied when the library loads, so asking for a count loads nothing; both
// sides store then check (sequentially consistent), so the count is applied at least once.
void wk_blas_set_threads(int count) {
    atomic_store(&requested, count);
    if (atomic_load(&loaded)) apply_threads(count);
}
