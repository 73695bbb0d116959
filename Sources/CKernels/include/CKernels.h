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
