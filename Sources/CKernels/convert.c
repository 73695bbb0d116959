// Float format conversions. The portable functions follow the reference algorithms
// (numpy's npy_floatbits_to_halfbits / npy_doublebits_to_halfbits, Eigen's bfloat16
// rounding used by ml_dtypes); the F16C path gives the same bits, with NaN lanes redone
// portably because vcvtps2ph quiets NaNs and numpy keeps their payload.
#include <string.h>
#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static int force_portable = 0;
void wk_force_portable(int portable) { force_portable = portable; }

static int has_f16c(void) {
#if defined(__x86_64__)
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("f16c") && __builtin_cpu_supports("avx2") && wk_simd_is_allowed();
    }
    return cached && !force_portable;
#else
    return 0;
#endif
}

int wk_f16c_is_active(void) { return has_f16c(); }

static inline uint32_t load32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t load64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline uint16_t load16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

// numpy's npy_floatbits_to_halfbits with round-half-to-even.
static inline uint16_t f32_bits_to_f16(uint32_t f) {
    uint16_t h_sgn = (uint16_t)((f & 0x80000000u) >> 16);
    uint32_t f_exp = f & 0x7f800000u;
    uint32_t f_sig;
    if (f_exp >= 0x47800000u) {
        if (f_exp == 0x7f800000u) {
            f_sig = f & 0x007fffffu;
            if (f_sig != 0) {
                uint16_t ret = (uint16_t)(0x7c00u + (f_sig >> 13));
                if (ret == 0x7c00u) ret++;
                return h_sgn + ret;
            }
            return (uint16_t)(h_sgn + 0x7c00u);
        }
        return (uint16_t)(h_sgn + 0x7c00u);
    }
    if (f_exp <= 0x38000000u) {
        if (f_exp < 0x33000000u) return h_sgn;
        f_exp >>= 23;
        f_sig = 0x00800000u + (f & 0x007fffffu);
        f_sig >>= (113 - f_exp);
        if (((f_sig & 0x00003fffu) != 0x00001000u) || (f & 0x000007ffu)) f_sig += 0x00001000u;
        return (uint16_t)(h_sgn + (uint16_t)(f_sig >> 13));
    }
    uint16_t h_exp = (uint16_t)((f_exp - 0x38000000u) >> 13);
    f_sig = f & 0x007fffffu;
    if ((f_sig & 0x00003fffu) != 0x00001000u) f_sig += 0x00001000u;
    uint16_t h_sig = (uint16_t)(f_sig >> 13);
    h_sig = (uint16_t)(h_sig + h_exp);
    return (uint16_t)(h_sgn + h_sig);
}

// numpy's npy_doublebits_to_halfbits with round-half-to-even.
static inline uint16_t f64_bits_to_f16(uint64_t d) {
    uint16_t h_sgn = (uint16_t)((d & 0x8000000000000000ULL) >> 48);
    uint64_t d_exp = d & 0x7ff0000000000000ULL;
    uint64_t d_sig;
    if (d_exp >= 0x40f0000000000000ULL) {
        if (d_exp == 0x7ff0000000000000ULL) {
            d_sig = d & 0x000fffffffffffffULL;
            if (d_sig != 0) {
                uint16_t ret = (uint16_t)(0x7c00u + (d_sig >> 42));
                if (ret == 0x7c00u) ret++;
                return h_sgn + ret;
            }
            return (uint16_t)(h_sgn + 0x7c00u);
        }
        return (uint16_t)(h_sgn + 0x7c00u);
    }
    if (d_exp <= 0x3f00000000000000ULL) {
        // Half subnormal (or zero): value = m × 2^-24, so drop 1051 - e bits of the
        // 53-bit significand, rounding to nearest even.
        if (d_exp < 0x3e60000000000000ULL) return h_sgn;
        uint64_t e = d_exp >> 52;
        uint64_t full = 0x0010000000000000ULL | (d & 0x000fffffffffffffULL);
        int shift = (int)(1051 - e);
        uint64_t kept = full >> shift;
        uint64_t rest = full & ((1ULL << shift) - 1);
        uint64_t half = 1ULL << (shift - 1);
        if (rest > half || (rest == half && (kept & 1))) kept++;
        return (uint16_t)(h_sgn + kept);
    }
    uint16_t h_exp = (uint16_t)((d_exp - 0x3f00000000000000ULL) >> 42);
    d_sig = d & 0x000fffffffffffffULL;
    if ((d_sig & 0x000007ffffffffffULL) != 0x0000020000000000ULL) d_sig += 0x0000020000000000ULL;
    uint16_t h_sig = (uint16_t)(d_sig >> 42);
    h_sig = (uint16_t)(h_sig + h_exp);
    return (uint16_t)(h_sgn + h_sig);
}

// Eigen's float_to_bfloat16_rtne (ml_dtypes): NaN becomes the quiet NaN 0x7fc0 with its sign.
static inline uint16_t f32_bits_to_bf16(uint32_t bits) {
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)(((bits >> 16) & 0x8000u) | 0x7fc0u);
    uint32_t lsb = (bits >> 16) & 1u;
    return (uint16_t)((bits + 0x7fffu + lsb) >> 16);
}

static inline uint32_t f16_bits_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exponent = (h >> 10) & 0x1f;
    uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0x1f) return sign | 0x7f800000u | (mantissa << 13);
    if (exponent == 0) {
        if (mantissa == 0) return sign;
        // Normalise the subnormal.
        int e = -1;
        do { e++; mantissa <<= 1; } while ((mantissa & 0x400u) == 0);
        return sign | ((uint32_t)(112 - e) << 23) | ((mantissa & 0x3ffu) << 13);
    }
    return sign | ((exponent + 112) << 23) | (mantissa << 13);
}

static inline float bits_to_float(uint32_t bits) { float f; memcpy(&f, &bits, 4); return f; }
static inline uint32_t float_to_bits(float f) { uint32_t b; memcpy(&b, &f, 4); return b; }

static void f32_to_f16_portable(const uint8_t *src, uint16_t *dst, size_t count) {
    for (size_t i = 0; i < count; i++) dst[i] = f32_bits_to_f16(load32(src + 4 * i));
}

#if defined(__x86_64__)
__attribute__((target("f16c,avx2")))
static void f32_to_f16_f16c(const uint8_t *src, uint16_t *dst, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 x = _mm256_loadu_ps((const float *)(src + 4 * i));
        __m128i h = _mm256_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        _mm_storeu_si128((__m128i *)(dst + i), h);
        if (_mm256_movemask_ps(_mm256_cmp_ps(x, x, _CMP_UNORD_Q))) {
            for (size_t j = i; j < i + 8; j++) dst[j] = f32_bits_to_f16(load32(src + 4 * j));
        }
    }
    f32_to_f16_portable(src + 4 * i, dst + i, count - i);
}

__attribute__((target("f16c,avx2")))
static void f16_to_f32_f16c(const uint8_t *src, float *dst, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m128i h = _mm_loadu_si128((const __m128i *)(src + 2 * i));
        __m256 x = _mm256_cvtph_ps(h);
        _mm256_storeu_ps(dst + i, x);
        if (_mm256_movemask_ps(_mm256_cmp_ps(x, x, _CMP_UNORD_Q))) {
            for (size_t j = i; j < i + 8; j++) dst[j] = bits_to_float(f16_bits_to_f32(load16(src + 2 * j)));
        }
    }
    for (; i < count; i++) dst[i] = bits_to_float(f16_bits_to_f32(load16(src + 2 * i)));
}

__attribute__((target("avx2")))
static void f32_to_bf16_avx2(const uint8_t *src, uint16_t *dst, size_t count) {
    for (size_t i = 0; i < count; i++) dst[i] = f32_bits_to_bf16(load32(src + 4 * i));
}
#endif

void wk_f32_to_f16(const void *src, uint16_t *dst, size_t count) {
#if defined(__x86_64__)
    if (has_f16c()) { f32_to_f16_f16c(src, dst, count); return; }
#endif
    f32_to_f16_portable(src, dst, count);
}

void wk_f16_to_f32(const void *src, float *dst, size_t count) {
#if defined(__x86_64__)
    if (has_f16c()) { f16_to_f32_f16c(src, dst, count); return; }
#endif
    for (size_t i = 0; i < count; i++) dst[i] = bits_to_float(f16_bits_to_f32(load16((const uint8_t *)src + 2 * i)));
}

void wk_f64_to_f16(const void *src, uint16_t *dst, size_t count) {
    for (size_t i = 0; i < count; i++) dst[i] = f64_bits_to_f16(load64((const uint8_t *)src + 8 * i));
}

void wk_bf16_to_f16(const void *src, uint16_t *dst, size_t count) {
    for (size_t i = 0; i < count; i++) {
        uint16_t b = load16((const uint8_t *)src + 2 * i);
        // NaN: Eigen's half conversion gives the canonical quiet NaN with the sign.
        if ((b & 0x7fffu) > 0x7f80u) { dst[i] = (uint16_t)((b & 0x8000u) | 0x7e00u); continue; }
        dst[i] = f32_bits_to_f16((uint32_t)b << 16);
    }
}

void wk_f32_to_bf16(const void *src, uint16_t *dst, size_t count) {
#if defined(__x86_64__)
    if (has_f16c()) { f32_to_bf16_avx2(src, dst, count); return; }
#endif
    for (size_t i = 0; i < count; i++) dst[i] = f32_bits_to_bf16(load32((const uint8_t *)src + 4 * i));
}

void wk_f64_to_bf16(const void *src, uint16_t *dst, size_t count) {
    // Eigen converts double to float first, then rounds to bfloat16 (two roundings).
    for (size_t i = 0; i < count; i++) {
        uint64_t bits = load64((const uint8_t *)src + 8 * i);
        double d;
        memcpy(&d, &bits, 8);
        dst[i] = f32_bits_to_bf16(float_to_bits((float)d));
    }
}

void wk_f16_to_bf16(const void *src, uint16_t *dst, size_t count) {
    for (size_t i = 0; i < count; i++) dst[i] = f32_bits_to_bf16(f16_bits_to_f32(load16((const uint8_t *)src + 2 * i)));
}

void wk_bf16_to_f32(const void *src, float *dst, size_t count) {
    for (size_t i = 0; i < count; i++) dst[i] = bits_to_float((uint32_t)load16((const uint8_t *)src + 2 * i) << 16);
}
