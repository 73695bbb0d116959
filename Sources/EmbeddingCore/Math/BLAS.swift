#if canImport(Accelerate)
internal import Accelerate
#else
internal import CBLASLoader
#endif

/// The single-precision matrix product every encoder product goes through, from the
/// platform's BLAS: Accelerate on Apple platforms; elsewhere OpenBLAS's CBLAS interface,
/// loaded on first use (`load()`; WEIGHTS_BLAS names another library, e.g. BLIS) so the
/// commands that multiply no matrix do not load it. Both take the same row-major call.
enum BLAS {
    /// Loads the library if it is not loaded yet; throws, naming the library and
    /// WEIGHTS_BLAS, when it cannot be. The encoders call it when they are built.
    static func load() throws(EncoderError) {
        #if !canImport(Accelerate)
        if let problem = wk_blas_load() { throw .blasUnavailable(String(cString: problem)) }
        #endif
    }

    /// C = alpha · A · op(B) + beta · C, row-major, with op(B) = Bᵀ when `transposeB`.
    /// A is [m, k], op(B) is [k, n], C is [m, n]; `lda`, `ldb`, `ldc` are row strides.
    static func sgemm(transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                      _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        #if canImport(Accelerate)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        #else
        wk_blas_sgemm(transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        #endif
    }

    /// Sets the library's own thread count (now, or when it loads). Accelerate schedules
    /// its own work and needs nothing here.
    static func setThreads(_ count: Int) {
        #if !canImport(Accelerate)
        wk_blas_set_threads(Int32(clamping: count))
        #endif
    }

    /// Keeps the library's own threads out of the way: the encoder splits products over
    /// the cores itself, and OpenBLAS's idle workers would spin against ours.
    static func useOneThread() {
        setThreads(1)
    }
}
