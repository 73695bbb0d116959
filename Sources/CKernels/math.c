#include <math.h>
#include "CKernels.h"
double wk_log10(double value) { return log10(value); }
