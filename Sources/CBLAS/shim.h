// OpenBLAS's CBLAS interface, for EmbeddingCore's matrix products. Nothing else imports it.
#include <cblas.h>
