// Hot loops that need CPU instructions Swift cannot ask for without build flags users
// would have to pass (PCLMULQDQ, F16C, AVX2). Each entry point checks the CPU at run time
// and falls back to portable code with bit-identical results.
#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Continues a CRC-32 (zlib polynomial) `crc` over `length` bytes, using carry-less
/// multiplication when the CPU has it; `fallback` computes the same CRC portably.
uint32_t wk_crc32(uint32_t crc, const uint8_t *bytes, size_t length,
                  uint32_t (*fallback)(uint32_t crc, const uint8_t *bytes, size_t length));

/// 1 when the accelerated CRC-32 path is in use on this CPU.
int wk_crc32_is_accelerated(void);

#endif

#ifndef CKERNELS_CONVERT_H
#define CKERNELS_CONVERT_H
// Float conversions, bit-identical to the reference libraries (see
// Sources/WeightsKit/Quantization/FloatConversion.swift for the table):
// to F16 as numpy's astype(float16), to BF16 as ml_dtypes.bfloat16.
// `src` may be unaligned. F16C/AVX2 are used when the CPU has them.
void wk_f32_to_f16(const void *src, uint16_t *dst, size_t count);
void wk_f64_to_f16(const void *src, uint16_t *dst, size_t count);
void wk_bf16_to_f16(const void *src, uint16_t *dst, size_t count);
void wk_f32_to_bf16(const void *src, uint16_t *dst, size_t count);
void wk_f64_to_bf16(const void *src, uint16_t *dst, size_t count);
void wk_f16_to_bf16(const void *src, uint16_t *dst, size_t count);
void wk_f16_to_f32(const void *src, float *dst, size_t count);
void wk_bf16_to_f32(const void *src, float *dst, size_t count);
/// 0 when WEIGHTS_SIMD=portable asks every dispatched kernel to take its portable path.
int wk_simd_is_allowed(void);
/// 1 when the F16C/AVX2 paths are in use; `wk_force_portable(1)` turns them off (tests).
int wk_f16c_is_active(void);
void wk_force_portable(int portable);

// Quantization, bit-identical to the references: Q8_0 as gguf-py's quants.py (ggml's
// quantize_row_q8_0_ref on finite input), Int8 per row as the documented numpy formula.
// A block (Q8_0) or row (Int8) holding a NaN or an infinity gets numpy's answer: scale NaN
// (any NaN) or +inf (else), every q 0, so every value reads back as NaN.
/// `count` values (a multiple of 32) of F32 `src` into `count / 32` 34-byte blocks.
void wk_quantize_q8_0(const float *src, uint8_t *dst, size_t count);
/// One row of `count` F32 values: int8 values into `q`, returns the F32 scale.
float wk_quantize_int8_row(const float *src, int8_t *q, size_t count);
void wk_dequantize_q8_0(const uint8_t *src, float *dst, size_t count);
void wk_dequantize_int8_row(const int8_t *q, float scale, float *dst, size_t count);
/// The Int8 scales alone (what wk_quantize_int8_row returns) of `rows` rows.
void wk_int8_row_scales(const float *src, float *scales, size_t rows, size_t columns);
#endif

#ifndef CKERNELS_MEASURED_H
#define CKERNELS_MEASURED_H
/// How many doubles every `sums` array below holds (see wk_error_sums).
#define WK_ERROR_SUM_COUNT 9
// One pass: convert or quantize aligned F32 `src` into `dst` and add the error between the
// values and what the output gives back to `sums` (as wk_error_sums over the whole range).
void wk_f32_to_f16_measured(const float *src, uint16_t *dst, size_t count, double sums[WK_ERROR_SUM_COUNT]);
void wk_f32_to_bf16_measured(const float *src, uint16_t *dst, size_t count, double sums[WK_ERROR_SUM_COUNT]);
/// `count` a multiple of 32.
void wk_quantize_q8_0_measured(const float *src, uint8_t *dst, size_t count, double sums[WK_ERROR_SUM_COUNT]);
/// `rows` whole rows; their scales into `scales`.
void wk_quantize_int8_rows_measured(const float *src, int8_t *dst, float *scales, size_t rows, size_t columns,
                                    double sums[WK_ERROR_SUM_COUNT]);
#endif

#ifndef CKERNELS_ERROR_H
#define CKERNELS_ERROR_H
/// Accumulates the difference between `reference` and `approx` (count values) into
/// `sums`: [0] Σ(a-r)², [1] Σr², [2] Σa², [3] Σ a·r, [4] max |a-r| (over finite pairs),
/// [5] count of differing elements (bitwise), [6] count of pairs where either is non-finite,
/// [7] count of pairs whose class differs (finite, NaN, +inf, -inf), [8] count of
/// non-finite references.
void wk_error_sums(const float *reference, const float *approx, size_t count, double sums[WK_ERROR_SUM_COUNT]);
#endif
double wk_log10(double value);
/// GELU in place (erf by Abramowitz & Stegun 7.1.28, |error| ≤ 3e-7), vectorised.
void wk_gelu(float *values, size_t count);

#ifndef CKERNELS_PUBLISH_H
#define CKERNELS_PUBLISH_H
// Publishing outputs (Sources/CKernels/publish.c) and what signal handlers clean up.
// Handlers must be async-signal-safe, so they and the tables they read live in C.

/// An unnamed file (O_TMPFILE) in `directory`, open for writing; -1 with errno set when
/// the system or filesystem has none (EOPNOTSUPP, EISDIR, EINVAL) or on any other error.
int wk_open_unnamed(const char *directory);
/// Gives the unnamed file `fd` the name `path`; fails with EEXIST if `path` exists (even
/// as a dangling symlink). Tries linkat(AT_EMPTY_PATH), then /proc/self/fd/N.
int wk_link_unnamed(int fd, const char *path);
/// Renames `from` to `to` unless `to` exists (EEXIST): renameat2(RENAME_NOREPLACE), or
/// link + unlink where renameat2 is unsupported.
int wk_rename_noreplace(const char *from, const char *to);

/// Adds `path` to the names the signal handlers unlink (a directory: rmdir, once emptied
/// of the other registered names); returns a slot, or -1 when the
/// table is full or the path too long.
int wk_cleanup_register(const char *path);
void wk_cleanup_unregister(int slot);
/// Records that [start, start+length) maps `path`, so a SIGBUS there names the file.
int wk_mapping_register(const void *start, size_t length, const char *path);
void wk_mapping_unregister(int slot);
/// The registered path whose mapping contains `address`, copied into `buffer`
/// (NUL-terminated); 0 when found, -1 when no mapping contains it.
int wk_mapping_path(const void *address, char *buffer, size_t capacity);
/// Installs the handlers: SIGINT, SIGTERM, SIGHUP unlink the registered names and
/// re-raise the signal with its default action; SIGBUS inside a registered mapping
/// writes "<prefix><path>: the file shrank while being read (truncated by another
/// process?)" to stderr, unlinks the registered names and exits 1. Unblocks these
/// signals in the calling thread (a mask inherited from the parent would hold them back).
void wk_install_signal_cleanup(const char *error_prefix);
#endif
#include "encoder_kernels.h"
