#ifndef CKERNELS_ENCODER_H
#define CKERNELS_ENCODER_H
// The inference core's elementwise passes (Sources/CKernels/encoder_*.c), each one pass
// over memory, vectorised (AVX2/FMA when the CPU has them, portable code otherwise).

/// Softmax of one row of `count` scores in place. Keys with `keep[j] == 0` get
/// −FLT_MAX first (`keep` may be NULL: all kept); `row_kept == 0` masks the whole row,
/// which softmax turns into the uniform 1/count (as torch does for a row of −FLT_MAX).
void wk_softmax_masked(float *row, size_t count, const uint8_t *keep, int row_kept);

/// For each of `rows` rows of `columns` values: x = LayerNorm(x + bias + residual) · γ + β,
/// with `bias` (one row) and `residual` (rows × columns) optional (NULL), biased variance.
void wk_add_layer_norm(float *x, const float *residual, const float *bias, size_t rows, size_t columns,
                       const float *gamma, const float *beta, float epsilon);

/// x = GELU(x + bias) over `rows` rows of `columns` values (`bias` one row, may be NULL).
void wk_bias_gelu(float *x, const float *bias, size_t rows, size_t columns);

/// DeBERTa's disentangled scores for one (sequence, head): to each score[i][j] adds
/// c2p[i][c2p_index[i][j]] and p2c[j][p2c_index[i][j]] (either table may be NULL), with the
/// position tables `positions` wide; then masks and softmaxes each row as
/// `wk_softmax_masked` does with key and query masks both `keep`.
void wk_disentangled_softmax(float *scores, size_t length, const float *c2p, const float *p2c,
                             const int32_t *c2p_index, const int32_t *p2c_index, size_t positions,
                             const uint8_t *keep);
#endif
