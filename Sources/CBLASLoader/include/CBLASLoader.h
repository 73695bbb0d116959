// The BLAS, loaded on first use with dlopen rather than linked: commands that never
// multiply a matrix (inspect, convert, --version) do not pay for loading OpenBLAS and
// starting its threads. WEIGHTS_BLAS names another library exporting cblas_sgemm
// (a path or a soname, e.g. libblis.so.4); the default is libopenblas.so.0.
#ifndef CBLASLOADER_H
#define CBLASLOADER_H

/// Loads the BLAS once (thread-safe, later calls return at once). NULL when
/// cblas_sgemm is ready; otherwise a one-line message naming the library, the reason and
/// WEIGHTS_BLAS (static storage, valid for the process's lifetime).
const char *wk_blas_load(void);

/// Row-major C = alpha · A · op(B) + beta · C, op(B) = Bᵀ when `transpose_b`: OpenBLAS's
/// cblas_sgemm with A untransposed. Loads the library first if needed, and aborts with
/// wk_blas_load's message if it cannot be loaded (callers check wk_blas_load first).
void wk_blas_sgemm(int transpose_b, int m, int n, int k, float alpha,
                   const float *a, int lda, const float *b, int ldb,
                   float beta, float *c, int ldc);

/// Sets the library's own thread count (OpenBLAS's openblas_set_num_threads or BLIS's
/// bli_thread_set_num_threads), now if the library is loaded, else when it loads: asking
/// loads nothing. Nothing happens when the library exports neither.
void wk_blas_set_threads(int count);

#endif
