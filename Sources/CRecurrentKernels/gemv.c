// Matrix–vector products for the m == 1 (batch 1) and n == 1 cases of rk_sgemm: a GEMM would
// pack a whole panel to use one row of it (OpenBLAS's sgemm is 2–3× slower than sgemv there).
// Plain C loops that clang vectorizes; one copy per instruction level via target attributes.
// Each output's arithmetic is a fixed sequence that depends only on k (not on which block or
// thread computes it), so results are the same for any thread count.
#include "CRecurrentKernels.h"
#include "gemm_internal.h"
#include "simd_math.h"

#define RK_GEMV_BLOCK 64

// Rows form: y[j] = alpha·Σ_p x[p]·M[p][j] + beta·y[j]. Each y[j] is one running sum over p
// (acc = acc + x·m, fused where the level has FMA), kept for 64 columns at a time in registers.
static inline void gemv_rows_body(int k, float alpha, const float *restrict mat, int ldm,
                                  const float *restrict x, float beta, float *y, int incy,
                                  int j0, int j1) {
  for (int jb = j0; jb < j1; jb += RK_GEMV_BLOCK) {
    int w = j1 - jb < RK_GEMV_BLOCK ? j1 - jb : RK_GEMV_BLOCK;
    float acc[RK_GEMV_BLOCK];
    for (int j = 0; j < RK_GEMV_BLOCK; j++) acc[j] = 0.0f;
    if (w == RK_GEMV_BLOCK) {
      for (int p = 0; p < k; p++) {
        float xp = x[p];
        const float *restrict row = mat + (size_t)p * ldm + jb;
        for (int j = 0; j < RK_GEMV_BLOCK; j++) acc[j] = acc[j] + xp * row[j];
      }
    } else {
      for (int p = 0; p < k; p++) {
        float xp = x[p];
        const float *restrict row = mat + (size_t)p * ldm + jb;
        for (int j = 0; j < w; j++) acc[j] = acc[j] + xp * row[j];
      }
    }
    for (int j = 0; j < w; j++) {
      float *yj = y + (size_t)(jb + j) * incy;
      *yj = beta == 0.0f ? alpha * acc[j] : alpha * acc[j] + beta * *yj;
    }
  }
}

// Dots form: y[i] = alpha·Σ_p M[i][p]·x[p] + beta·y[i]. 16 partial sums (lane l takes
// p ≡ l mod 16), combined pairwise; R rows at a time share the loads of x.
#define RK_DOT_LANES 16
#define RK_GEMV_DOTS_R(R)                                                                     \
  static inline void gemv_dots_##R(int k, const float *restrict mat, int ldm,                \
                                   const float *restrict x, float *out) {                     \
    float acc[R][RK_DOT_LANES];                                                               \
    for (int r = 0; r < R; r++)                                                               \
      for (int l = 0; l < RK_DOT_LANES; l++) acc[r][l] = 0.0f;                                \
    int p = 0;                                                                                \
    for (; p + RK_DOT_LANES <= k; p += RK_DOT_LANES)                                          \
      for (int r = 0; r < R; r++) {                                                           \
        const float *restrict row = mat + (size_t)r * ldm + p;                                \
        for (int l = 0; l < RK_DOT_LANES; l++) acc[r][l] = acc[r][l] + row[l] * x[p + l];     \
      }                                                                                       \
    for (int l = 0; p < k; p++, l++)                                                          \
      for (int r = 0; r < R; r++) acc[r][l] = acc[r][l] + mat[(size_t)r * ldm + p] * x[p];    \
    for (int r = 0; r < R; r++) {                                                             \
      for (int w = RK_DOT_LANES / 2; w >= 1; w /= 2)                                          \
        for (int l = 0; l < w; l++) acc[r][l] += acc[r][l + w];                               \
      out[r] = acc[r][0];                                                                     \
    }                                                                                         \
  }
RK_GEMV_DOTS_R(4)
RK_GEMV_DOTS_R(1)

static inline void gemv_dots_body(int k, float alpha, const float *restrict mat, int ldm,
                                  const float *restrict x, float beta, float *y, int incy,
                                  int i0, int i1) {
  float s[4];
  int i = i0;
  for (; i < i1; i += 4) {
    int rows = i1 - i < 4 ? i1 - i : 4;
    if (rows == 4)
      gemv_dots_4(k, mat + (size_t)i * ldm, ldm, x, s);
    else
      for (int r = 0; r < rows; r++) gemv_dots_1(k, mat + (size_t)(i + r) * ldm, ldm, x, s + r);
    for (int r = 0; r < rows; r++) {
      float *yi = y + (size_t)(i + r) * incy;
      *yi = beta == 0.0f ? alpha * s[r] : alpha * s[r] + beta * *yi;
    }
  }
}

RK_TARGET_AVX512 static void gemv_rows_avx512(int k, float alpha, const float *mat, int ldm,
                                              const float *x, float beta, float *y, int incy,
                                              int j0, int j1) {
  gemv_rows_body(k, alpha, mat, ldm, x, beta, y, incy, j0, j1);
}
RK_TARGET_AVX2 static void gemv_rows_avx2(int k, float alpha, const float *mat, int ldm,
                                          const float *x, float beta, float *y, int incy, int j0,
                                          int j1) {
  gemv_rows_body(k, alpha, mat, ldm, x, beta, y, incy, j0, j1);
}
RK_TARGET_AVX512 static void gemv_dots_avx512(int k, float alpha, const float *mat, int ldm,
                                              const float *x, float beta, float *y, int incy,
                                              int i0, int i1) {
  gemv_dots_body(k, alpha, mat, ldm, x, beta, y, incy, i0, i1);
}
RK_TARGET_AVX2 static void gemv_dots_avx2(int k, float alpha, const float *mat, int ldm,
                                          const float *x, float beta, float *y, int incy, int i0,
                                          int i1) {
  gemv_dots_body(k, alpha, mat, ldm, x, beta, y, incy, i0, i1);
}

void rk_gemv_rows(int level, int k, float alpha, const float *m, int ldm, const float *x,
                  float beta, float *y, int incy, int j0, int j1) {
#if RK_X86
  if (level == RK_SIMD_AVX512) return gemv_rows_avx512(k, alpha, m, ldm, x, beta, y, incy, j0, j1);
  if (level == RK_SIMD_AVX2) return gemv_rows_avx2(k, alpha, m, ldm, x, beta, y, incy, j0, j1);
#endif
  gemv_rows_body(k, alpha, m, ldm, x, beta, y, incy, j0, j1);
}

void rk_gemv_dots(int level, int k, float alpha, const float *m, int ldm, const float *x,
                  float beta, float *y, int incy, int i0, int i1) {
#if RK_X86
  if (level == RK_SIMD_AVX512) return gemv_dots_avx512(k, alpha, m, ldm, x, beta, y, incy, i0, i1);
  if (level == RK_SIMD_AVX2) return gemv_dots_avx2(k, alpha, m, ldm, x, beta, y, incy, i0, i1);
#endif
  gemv_dots_body(k, alpha, m, ldm, x, beta, y, incy, i0, i1);
}
