// CRecurrentKernels: the C kernels behind RecurrentTensor.
//
// Why C: Swift compiles for baseline x86-64 and `unsafeFlags` would make the package unusable as a
// dependency. C functions carry per-function `target(...)` attributes and are chosen at run time
// from the CPU's features, so one binary runs on any x86-64 and still uses AVX2/FMA or AVX-512.
// All matrices are row-major. Every function is thread-safe and allocates nothing it keeps.
#ifndef C_RECURRENT_KERNELS_H
#define C_RECURRENT_KERNELS_H

#include <stddef.h>

#include "embeddings_kernels.h"

#ifdef __cplusplus
extern "C" {
#endif

/// C[m×n] = alpha · op(A) · op(B) + beta · C, row-major; op(X) = Xᵀ when trans_x != 0.
/// The portable kernel (no BLAS). lda/ldb/ldc are row strides in elements.
void rk_sgemm_portable(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                       int lda, const float *b, int ldb, float beta, float *c, int ldc);

#ifdef __cplusplus
}
#endif
#endif
