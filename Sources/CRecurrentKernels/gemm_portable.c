// Portable single-precision GEMM. Reference loop order (i, p, j) so the inner loop is contiguous
// in B and C; the kernels issue replaces this with register-blocked SIMD micro-kernels.
#include "CRecurrentKernels.h"

void rk_sgemm_portable(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                       int lda, const float *b, int ldb, float beta, float *c, int ldc) {
  for (int i = 0; i < m; i++) {
    float *crow = c + (size_t)i * ldc;
    if (beta == 0.0f) {
      for (int j = 0; j < n; j++) crow[j] = 0.0f;
    } else if (beta != 1.0f) {
      for (int j = 0; j < n; j++) crow[j] *= beta;
    }
    for (int p = 0; p < k; p++) {
      float aip = trans_a ? a[(size_t)p * lda + i] : a[(size_t)i * lda + p];
      aip *= alpha;
      if (aip == 0.0f) continue;
      if (trans_b) {
        for (int j = 0; j < n; j++) crow[j] += aip * b[(size_t)j * ldb + p];
      } else {
        const float *brow = b + (size_t)p * ldb;
        for (int j = 0; j < n; j++) crow[j] += aip * brow[j];
      }
    }
  }
}
