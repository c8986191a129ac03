// The per-time-step matrix product of a recurrent layer, C[m×n] = beta·C + A[m×k]·B[k×n], for
// small m (the batch) and B read in place, row-major (see include/rnn_pointwise.h).
//
// Why not the general GEMM: a recurrent layer calls this T times per sequence with the SAME B
// (W_hhᵀ forward, W_hh backward). A general GEMM packs B on every call, which for m = 32 costs
// about as much as the multiply. Here B is already laid out for the micro-kernel: each k-row of
// a column block is contiguous, so the kernel streams it straight from cache.
//
// Micro-kernels: MR rows × 32 columns (AVX-512, 2 zmm per row) or MR × 16 (AVX2, 2 ymm per row)
// with MR ≤ 6 accumulating rows, masked loads/stores for the column tail; m = 1 (batch-1
// inference) uses a 1 × 128 kernel so eight FMA chains hide the FMA latency. Columns are split
// across threads with rk_parallel_for when the product is large enough to pay for the wake-up;
// each column belongs to one thread, so results do not depend on the thread count.
#include <stdint.h>

#include "CRecurrentKernels.h"
#include "rnn_pointwise.h"
#include "simd_math.h"

enum { RNN_STEP_SCALAR = 0, RNN_STEP_AVX2 = 1, RNN_STEP_AVX512 = 2 };

static int step_level(void) {
  int level = rk_simd_level();
  if (level >= RK_SIMD_AVX512) return RNN_STEP_AVX512;
  if (level >= RK_SIMD_AVX2) return RNN_STEP_AVX2;
  return RNN_STEP_SCALAR;
}

static void step_scalar(int m, int n0, int n1, int k, const float *a, int lda, const float *b,
                        int ldb, float beta, float *c, int ldc) {
  for (int r = 0; r < m; r++) {
    float *cr = c + (size_t)r * ldc;
    for (int j = n0; j < n1; j++) cr[j] = beta == 0.0f ? 0.0f : cr[j];
    for (int p = 0; p < k; p++) {
      float av = a[(size_t)r * lda + p];
      const float *bp = b + (size_t)p * ldb;
      for (int j = n0; j < n1; j++) cr[j] += av * bp[j];
    }
  }
}

#if RK_X86
// ---------------------------------------------------------------------------------------------
// AVX-512: MR × 32.

// FULL variants use plain loads/stores (the masks are ignored); MASKED ones handle the column
// tail. Keeping masks out of the main loop frees registers and avoids masked-load latency.
#define L512_FULL(p, m) _mm512_loadu_ps(p)
#define S512_FULL(p, m, v) _mm512_storeu_ps(p, v)
#define L512_MASK(p, m) _mm512_maskz_loadu_ps(m, p)
#define S512_MASK(p, m, v) _mm512_mask_storeu_ps(p, m, v)

#define K512(MR, NAME, LD, ST)                                                                     \
  RK_TARGET_AVX512 static inline void NAME(int k, const float *a, int lda, const float *b,        \
                                           int ldb, float beta, float *c, int ldc, __mmask16 m0,  \
                                           __mmask16 m1) {                                        \
    __m512 acc0[MR], acc1[MR];                                                                     \
    for (int r = 0; r < (MR); r++) {                                                               \
      if (beta == 0.0f) {                                                                          \
        acc0[r] = _mm512_setzero_ps();                                                             \
        acc1[r] = _mm512_setzero_ps();                                                             \
      } else {                                                                                     \
        acc0[r] = LD(c + (size_t)r * ldc, m0);                                                     \
        acc1[r] = LD(c + (size_t)r * ldc + 16, m1);                                                \
      }                                                                                            \
    }                                                                                              \
    for (int p = 0; p < k; p++) {                                                                  \
      __m512 b0 = LD(b + (size_t)p * ldb, m0);                                                     \
      __m512 b1 = LD(b + (size_t)p * ldb + 16, m1);                                                \
      for (int r = 0; r < (MR); r++) {                                                             \
        __m512 av = _mm512_set1_ps(a[(size_t)r * lda + p]);                                        \
        acc0[r] = _mm512_fmadd_ps(av, b0, acc0[r]);                                                \
        acc1[r] = _mm512_fmadd_ps(av, b1, acc1[r]);                                                \
      }                                                                                            \
    }                                                                                              \
    for (int r = 0; r < (MR); r++) {                                                               \
      ST(c + (size_t)r * ldc, m0, acc0[r]);                                                        \
      ST(c + (size_t)r * ldc + 16, m1, acc1[r]);                                                   \
    }                                                                                              \
  }
#define K512_BOTH(MR)                                                                              \
  K512(MR, k512_##MR, L512_FULL, S512_FULL)                                                        \
  K512(MR, k512m_##MR, L512_MASK, S512_MASK)
K512_BOTH(1)
K512_BOTH(2)
K512_BOTH(3)
K512_BOTH(4)
K512_BOTH(5)
K512_BOTH(6)

static inline __mmask16 mask16(int valid) {
  return valid >= 16 ? (__mmask16)0xFFFF : valid <= 0 ? 0 : (__mmask16)((1u << valid) - 1u);
}

// One row, 128 columns at a time: eight independent accumulators.
RK_TARGET_AVX512 static void row512(int n0, int n1, int k, const float *a, const float *b,
                                    int ldb, float beta, float *c) {
  int j = n0;
  for (; j + 128 <= n1; j += 128) {
    __m512 acc[8];
    for (int v = 0; v < 8; v++)
      acc[v] = beta == 0.0f ? _mm512_setzero_ps() : _mm512_loadu_ps(c + j + 16 * v);
    for (int p = 0; p < k; p++) {
      __m512 av = _mm512_set1_ps(a[p]);
      const float *bp = b + (size_t)p * ldb + j;
      for (int v = 0; v < 8; v++) acc[v] = _mm512_fmadd_ps(av, _mm512_loadu_ps(bp + 16 * v), acc[v]);
    }
    for (int v = 0; v < 8; v++) _mm512_storeu_ps(c + j + 16 * v, acc[v]);
  }
  for (; j < n1; j += 32)
    k512m_1(k, a, 0, b + j, ldb, beta, c + j, 0, mask16(n1 - j), mask16(n1 - j - 16));
}

RK_TARGET_AVX512 static void step512(int m, int n0, int n1, int k, const float *a, int lda,
                                     const float *b, int ldb, float beta, float *c, int ldc) {
  if (m == 1) {
    row512(n0, n1, k, a, b, ldb, beta, c);
    return;
  }
  for (int j = n0; j < n1; j += 32) {
    __mmask16 m0 = mask16(n1 - j), m1 = mask16(n1 - j - 16);
    int full = n1 - j >= 32;
    int r = 0;
    for (; r + 6 <= m; r += 6) {
      const float *ar = a + (size_t)r * lda;
      float *cr = c + (size_t)r * ldc + j;
      if (full)
        k512_6(k, ar, lda, b + j, ldb, beta, cr, ldc, m0, m1);
      else
        k512m_6(k, ar, lda, b + j, ldb, beta, cr, ldc, m0, m1);
    }
    const float *ar = a + (size_t)r * lda;
    float *cr = c + (size_t)r * ldc + j;
#define CASE512(MR)                                                                                \
  case MR:                                                                                         \
    if (full)                                                                                      \
      k512_##MR(k, ar, lda, b + j, ldb, beta, cr, ldc, m0, m1);                                    \
    else                                                                                           \
      k512m_##MR(k, ar, lda, b + j, ldb, beta, cr, ldc, m0, m1);                                   \
    break;
    switch (m - r) {
      CASE512(5)
      CASE512(4)
      CASE512(3)
      CASE512(2)
      CASE512(1)
      default: break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// AVX2 + FMA: MR × 16.

RK_TARGET_AVX2 static inline __m256i mask8(int valid) {
  const int32_t lanes[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(valid), _mm256_loadu_si256((const __m256i *)lanes));
}

#define L256_FULL(p, m) _mm256_loadu_ps(p)
#define S256_FULL(p, m, v) _mm256_storeu_ps(p, v)
#define L256_MASK(p, m) _mm256_maskload_ps(p, m)
#define S256_MASK(p, m, v) _mm256_maskstore_ps(p, m, v)

#define K256(MR, NAME, LD, ST)                                                                     \
  RK_TARGET_AVX2 static inline void NAME(int k, const float *a, int lda, const float *b, int ldb, \
                                         float beta, float *c, int ldc, __m256i m0, __m256i m1) { \
    __m256 acc0[MR], acc1[MR];                                                                     \
    for (int r = 0; r < (MR); r++) {                                                               \
      if (beta == 0.0f) {                                                                          \
        acc0[r] = _mm256_setzero_ps();                                                             \
        acc1[r] = _mm256_setzero_ps();                                                             \
      } else {                                                                                     \
        acc0[r] = LD(c + (size_t)r * ldc, m0);                                                     \
        acc1[r] = LD(c + (size_t)r * ldc + 8, m1);                                                 \
      }                                                                                            \
    }                                                                                              \
    for (int p = 0; p < k; p++) {                                                                  \
      __m256 b0 = LD(b + (size_t)p * ldb, m0);                                                     \
      __m256 b1 = LD(b + (size_t)p * ldb + 8, m1);                                                 \
      for (int r = 0; r < (MR); r++) {                                                             \
        __m256 av = _mm256_broadcast_ss(a + (size_t)r * lda + p);                                  \
        acc0[r] = _mm256_fmadd_ps(av, b0, acc0[r]);                                                \
        acc1[r] = _mm256_fmadd_ps(av, b1, acc1[r]);                                                \
      }                                                                                            \
    }                                                                                              \
    for (int r = 0; r < (MR); r++) {                                                               \
      ST(c + (size_t)r * ldc, m0, acc0[r]);                                                        \
      ST(c + (size_t)r * ldc + 8, m1, acc1[r]);                                                    \
    }                                                                                              \
  }
#define K256_BOTH(MR)                                                                              \
  K256(MR, k256_##MR, L256_FULL, S256_FULL)                                                        \
  K256(MR, k256m_##MR, L256_MASK, S256_MASK)
K256_BOTH(1)
K256_BOTH(2)
K256_BOTH(3)
K256_BOTH(4)
K256_BOTH(5)
K256_BOTH(6)

RK_TARGET_AVX2 static void row256(int n0, int n1, int k, const float *a, const float *b, int ldb,
                                  float beta, float *c) {
  int j = n0;
  for (; j + 64 <= n1; j += 64) {
    __m256 acc[8];
    for (int v = 0; v < 8; v++)
      acc[v] = beta == 0.0f ? _mm256_setzero_ps() : _mm256_loadu_ps(c + j + 8 * v);
    for (int p = 0; p < k; p++) {
      __m256 av = _mm256_broadcast_ss(a + p);
      const float *bp = b + (size_t)p * ldb + j;
      for (int v = 0; v < 8; v++) acc[v] = _mm256_fmadd_ps(av, _mm256_loadu_ps(bp + 8 * v), acc[v]);
    }
    for (int v = 0; v < 8; v++) _mm256_storeu_ps(c + j + 8 * v, acc[v]);
  }
  for (; j < n1; j += 16)
    k256m_1(k, a, 0, b + j, ldb, beta, c + j, 0, mask8(n1 - j), mask8(n1 - j - 8));
}

RK_TARGET_AVX2 static void step256(int m, int n0, int n1, int k, const float *a, int lda,
                                   const float *b, int ldb, float beta, float *c, int ldc) {
  if (m == 1) {
    row256(n0, n1, k, a, b, ldb, beta, c);
    return;
  }
  for (int j = n0; j < n1; j += 16) {
    int full = n1 - j >= 16;
    __m256i m0 = full ? _mm256_setzero_si256() : mask8(n1 - j);
    __m256i m1 = full ? _mm256_setzero_si256() : mask8(n1 - j - 8);
    int r = 0;
    for (; r + 6 <= m; r += 6) {
      const float *ar = a + (size_t)r * lda;
      float *cr = c + (size_t)r * ldc + j;
      if (full)
        k256_6(k, ar, lda, b + j, ldb, beta, cr, ldc, m0, m1);
      else
        k256m_6(k, ar, lda, b + j, ldb, beta, cr, ldc, m0, m1);
    }
    const float *ar = a + (size_t)r * lda;
    float *cr = c + (size_t)r * ldc + j;
#define CASE256(MR)                                                                                \
  case MR:                                                                                         \
    if (full)                                                                                      \
      k256_##MR(k, ar, lda, b + j, ldb, beta, cr, ldc, m0, m1);                                    \
    else                                                                                           \
      k256m_##MR(k, ar, lda, b + j, ldb, beta, cr, ldc, m0, m1);                                   \
    break;
    switch (m - r) {
      CASE256(5)
      CASE256(4)
      CASE256(3)
      CASE256(2)
      CASE256(1)
      default: break;
    }
  }
}
#endif

// ---------------------------------------------------------------------------------------------

typedef struct {
  int level, m, n, k, lda, ldb, ldc, chunk;
  const float *a, *b;
  float beta;
  float *c;
} step_job;

static void run_columns(const step_job *job, int n0, int n1) {
#if RK_X86
  if (job->level == RNN_STEP_AVX512) {
    step512(job->m, n0, n1, job->k, job->a, job->lda, job->b, job->ldb, job->beta, job->c,
            job->ldc);
    return;
  }
  if (job->level == RNN_STEP_AVX2) {
    step256(job->m, n0, n1, job->k, job->a, job->lda, job->b, job->ldb, job->beta, job->c,
            job->ldc);
    return;
  }
#endif
  step_scalar(job->m, n0, n1, job->k, job->a, job->lda, job->b, job->ldb, job->beta, job->c,
              job->ldc);
}

static void run_task(void *ctx, int index) {
  const step_job *job = (const step_job *)ctx;
  int n0 = index * job->chunk;
  int n1 = n0 + job->chunk < job->n ? n0 + job->chunk : job->n;
  if (n0 < n1) run_columns(job, n0, n1);
}

void rnn_step_gemm_f32(int threads, int m, int n, int k, const float *a, int lda, const float *b,
                       int ldb, float beta, float *c, int ldc) {
  if (m <= 0 || n <= 0) return;
  step_job job = {step_level(), m, n, k, lda, ldb, ldc, n, a, b, beta, c};
  // Below ~1 MFLOP waking a second thread costs more than it saves.
  double flops = 2.0 * m * n * (double)k;
  int tasks = threads > 1 && flops >= 1.0e6 ? threads : 1;
  if (tasks == 1) {
    run_columns(&job, 0, n);
    return;
  }
  // Column chunks aligned to 32 so every task runs full micro-kernel blocks but the last.
  int chunk = (n + tasks - 1) / tasks;
  chunk = (chunk + 31) / 32 * 32;
  job.chunk = chunk;
  rk_parallel_for((n + chunk - 1) / chunk, threads, run_task, &job);
}
