// zlib: CRC-32 and deflate for WeightPack. Wrapped by WeightsKit's Checksum and Deflate.
#include <zlib.h>
