#if canImport(Accelerate)
internal import Accelerate
#else
internal import CBLAS
#endif

/// The single-precision matrix product every encoder product goes through, from the
/// platform's BLAS: Accelerate on Apple platforms, OpenBLAS's CBLAS interface elsewhere
/// (chosen at compile time; both take the same row-major `cblas_sgemm` call).
enum BLAS {
    /// C = alpha · A · op(B) + beta · C, row-major, with op(B) = Bᵀ when `transposeB`.
    /// A is [m, k], op(B) is [k, n], C is [m, n]; `lda`, `ldb`, `ldc` are row strides.
    static func sgemm(transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Keeps the library's own threads out of the way: the encoder splits products over
    /// the cores itself, and OpenBLAS's idle workers would spin against ours. Accelerate
    /// schedules its own work and needs nothing here.
    static func useOneThread() {
        #if !canImport(Accelerate)
        openblas_set_num_threads(1)
        #endif
    }
}
