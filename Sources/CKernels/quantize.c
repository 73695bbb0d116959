// 8-bit quantization kernels, bit-identical to the references:
//   Q8_0: ggml's quantize_row_q8_0_ref / gguf-py: d = amax / 127, id = d ? 1/d : 0,
//         q = roundf(x * id) (half away from zero), d stored as F16 (numpy rounding).
//   Int8 per row: scale = amax / 127, q = round-half-away(x / scale) clamped to ±127;
//         an all-zero row has scale 0 and q 0.
// The loops are written so compilers vectorise them; every step is exact IEEE arithmetic.
// Each hot function is also compiled for AVX2 (target_clones, picked at load time), where
// floorf becomes one rounding instruction instead of a libm call.
#include <math.h>
#include <string.h>
#include "CKernels.h"

// Round half away from zero, exactly (gguf-py's np_roundf: floor(a) + floor(2(a - floor(a)))).
static inline float round_away(float v) {
    float a = fabsf(v);
    float floored = floorf(a);
    float b = floored + floorf(2.0f * (a - floored));
    return copysignf(b, v);
}

// Converting one F32 to F16 the numpy way (shared with convert.c through the public API).
static inline uint16_t to_half(float value) {
    uint16_t h;
    wk_f32_to_f16(&value, &h, 1);
    return h;
}

#if defined(__x86_64__)
#define HOT __attribute__((target_clones("avx2", "default")))
#else
#define HOT
#endif

// The largest |x| of `count` values as numpy's max gives it: NaN when any value is NaN.
// Kept in eight lanes so that compilers vectorise it (a maximum does not depend on the
// order): NaN never enters a lane, so a lane of x − x (0 for finite x, NaN for NaN or
// infinity) says whether to look for one.
static inline float abs_max(const float *x, size_t count) {
    float lanes[8] = {0}, poison[8] = {0};
    size_t j = 0;
    for (; j + 8 <= count; j += 8) {
        for (int k = 0; k < 8; k++) {
            float a = fabsf(x[j + k]);
            lanes[k] = a > lanes[k] ? a : lanes[k];
            poison[k] += x[j + k] - x[j + k];
        }
    }
    float amax = 0.0f, poisoned = 0.0f;
    for (int k = 0; k < 8; k++) { amax = lanes[k] > amax ? lanes[k] : amax; poisoned += poison[k]; }
    for (; j < count; j++) { float a = fabsf(x[j]); amax = a > amax ? a : amax; poisoned += x[j] - x[j]; }
    if (poisoned == poisoned) return amax;
    for (j = 0; j < count; j++) if (x[j] != x[j]) return NAN;  // numpy's max gives the quiet NaN, whatever the payload
    return amax;  // an infinity, no NaN: amax is +inf
}

HOT void wk_quantize_q8_0(const float *src, uint8_t *dst, size_t count) {
    for (size_t block = 0; block < count / 32; block++) {
        const float *x = src + block * 32;
        uint8_t *out = dst + block * 34;
        float amax = abs_max(x, 32);
        float d = amax / 127.0f;
        float id = d != 0.0f ? 1.0f / d : 0.0f;
        uint16_t dh = to_half(d);
        memcpy(out, &dh, 2);
        int8_t q[32];
        if (isfinite(amax)) {
            for (int j = 0; j < 32; j++) q[j] = (int8_t)round_away(x[j] * id);
        } else {
            // A NaN or infinity in the block: d is NaN or +inf and every q 0 (numpy casts
            // the NaN quotients to 0), so the block reads back as NaN.
            memset(q, 0, 32);
        }
        memcpy(out + 2, q, 32);
    }
}

HOT float wk_quantize_int8_row(const float *src, int8_t *q, size_t count) {
    float scale = abs_max(src, count) / 127.0f;
    if (scale == 0.0f || !isfinite(scale)) {
        // An all-zero row; or a NaN or infinity in it: scale NaN or +inf and every q 0
        // (numpy casts the NaN quotients to 0), so the row reads back as NaN.
        memset(q, 0, count);
        return scale;
    }
    for (size_t j = 0; j < count; j++) {
        float r = round_away(src[j] / scale);
        r = r > 127.0f ? 127.0f : r;
        r = r < -127.0f ? -127.0f : r;
        q[j] = (int8_t)r;
    }
    return scale;
}

HOT void wk_dequantize_q8_0(const uint8_t *src, float *dst, size_t count) {
    for (size_t block = 0; block < count / 32; block++) {
        const uint8_t *in = src + block * 34;
        uint16_t dh;
        memcpy(&dh, in, 2);
        float d;
        wk_f16_to_f32(&dh, &d, 1);
        for (int j = 0; j < 32; j++) dst[block * 32 + j] = (float)(int8_t)in[2 + j] * d;
    }
}

HOT void wk_dequantize_int8_row(const int8_t *q, float scale, float *dst, size_t count) {
    for (size_t j = 0; j < count; j++) dst[j] = (float)q[j] * scale;
}

HOT void wk_int8_row_scales(const float *src, float *scales, size_t rows, size_t columns) {
    for (size_t row = 0; row < rows; row++) scales[row] = abs_max(src + row * columns, columns) / 127.0f;
}
