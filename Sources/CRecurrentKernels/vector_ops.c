// Simple elementwise helpers for the tensor ops. Plain loops that clang vectorizes; the AVX2
// copies are selected at run time like the rest of the kernels.
#include <math.h>

#include "CRecurrentKernels.h"
#include "simd_math.h"

#define RK_DEFINE_BINARY(NAME, EXPR)                                                        \
  static inline void NAME##_body(const float *x, const float *z, float *y, size_t n) {    \
    for (size_t i = 0; i < n; i++) y[i] = EXPR;                                            \
  }                                                                                        \
  RK_TARGET_AVX2 static void NAME##_avx2(const float *x, const float *z, float *y, size_t n) { \
    NAME##_body(x, z, y, n);                                                               \
  }                                                                                        \
  void NAME(const float *x, const float *z, float *y, size_t n) {                          \
    if (rk_simd_level() >= RK_SIMD_AVX2) NAME##_avx2(x, z, y, n);                           \
    else NAME##_body(x, z, y, n);                                                          \
  }

RK_DEFINE_BINARY(rk_vadd, x[i] + z[i])
RK_DEFINE_BINARY(rk_vmul, x[i] * z[i])

// The axpy product and sum are written without FMA contraction differences between levels:
// y += a·x is one multiply and one add in every level (no fused form), so results agree.
static inline void axpy_body(float a, const float *x, float *y, size_t n) {
#pragma clang fp contract(off)
  for (size_t i = 0; i < n; i++) y[i] = y[i] + a * x[i];
}
RK_TARGET_AVX2 static void axpy_avx2(float a, const float *x, float *y, size_t n) {
  axpy_body(a, x, y, n);
}
void rk_vaxpy(float a, const float *x, float *y, size_t n) {
  if (rk_simd_level() >= RK_SIMD_AVX2) axpy_avx2(a, x, y, n);
  else axpy_body(a, x, y, n);
}

static inline void relu_body(const float *x, float *y, size_t n) {
  for (size_t i = 0; i < n; i++) y[i] = x[i] > 0.0f ? x[i] : (x[i] != x[i] ? x[i] : 0.0f);
}
RK_TARGET_AVX2 static void relu_avx2(const float *x, float *y, size_t n) { relu_body(x, y, n); }
void rk_vrelu(const float *x, float *y, size_t n) {
  if (rk_simd_level() >= RK_SIMD_AVX2) relu_avx2(x, y, n);
  else relu_body(x, y, n);
}

// Sum with 16 independent partial sums in a fixed pattern (lane j takes elements i ≡ j mod 16),
// combined pairwise at the end: the order depends only on n, never on the SIMD level.
static inline float sum_body(const float *x, size_t n) {
  float acc[16] = {0};
  size_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (int j = 0; j < 16; j++) acc[j] += x[i + j];
  for (int j = 0; i < n; i++, j++) acc[j] += x[i];
  for (int w = 8; w >= 1; w /= 2)
    for (int j = 0; j < w; j++) acc[j] += acc[j + w];
  return acc[0];
}
RK_TARGET_AVX2 static float sum_avx2(const float *x, size_t n) { return sum_body(x, n); }
float rk_vsum(const float *x, size_t n) {
  return rk_simd_level() >= RK_SIMD_AVX2 ? sum_avx2(x, n) : sum_body(x, n);
}

float rk_vmax(const float *x, size_t n) {
  float m = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    if (x[i] != x[i]) return x[i];
    if (x[i] > m) m = x[i];
  }
  return m;
}
