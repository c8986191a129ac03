// The per-time-step matrix product of a recurrent layer, C[m×n] = beta·C + A[m×k]·B[k×n], for
// small m (the batch), with B packed once per layer call (see include/rnn_pointwise.h).
//
// Why not the general GEMM: a recurrent layer calls this T times per sequence with the SAME B
// (W_hhᵀ forward, W_hh backward). A general GEMM packs B on every call, which for m = 32 costs
// about as much as the multiply. Here B is packed once per call into column panels of NR
// columns, each panel k × NR contiguous, so the micro-kernel streams it with unit stride.
// (Reading W_hhᵀ in place instead, row stride 4H floats = 2 KiB at H = 128, maps every row of a
// column block to the same two L1 sets: each load then missed L1, and the kernel ran at 40% of
// the FMA peak.)
//
// Micro-kernels: MR ≤ 6 rows × 32 columns (AVX-512, 2 zmm per row) or × 16 (AVX2, 2 ymm per
// row), masked C loads/stores for the last panel's column tail (the packed tail is zero-padded);
// m = 1 (batch-1 inference) runs four panels at once so eight FMA chains hide the FMA latency.
// Every output element is the same chain acc = fma(a[p], b[p][j], acc) for p = 0, 1, …, k−1
// whichever kernel or thread computes it, so results do not depend on the thread count.
// Columns are split across threads (whole panels) when the product is large enough to pay for
// the wake-up.
#include <stdint.h>
#include <string.h>

#include "CRecurrentKernels.h"
#include "rnn_internal.h"
#include "rnn_pointwise.h"
#include "simd_math.h"

enum { RNN_STEP_SCALAR = 0, RNN_STEP_AVX2 = 1, RNN_STEP_AVX512 = 2 };

static int step_level(void) {
  int level = rk_simd_level();
  if (level >= RK_SIMD_AVX512) return RNN_STEP_AVX512;
  if (level >= RK_SIMD_AVX2) return RNN_STEP_AVX2;
  return RNN_STEP_SCALAR;
}

int rnn_step_panel_width(void) { return step_level() == RNN_STEP_AVX512 ? 32 : 16; }

size_t rnn_step_packed_size(int k, int n) {
  int nr = rnn_step_panel_width();
  size_t panels = n <= 0 ? 0 : (size_t)(n + nr - 1) / nr;
  return panels * (size_t)nr * (size_t)(k > 0 ? k : 0);
}

void rnn_step_pack_f32(int k, int n, const float *b, int ldb, int trans, float *packed) {
  int nr = rnn_step_panel_width();
  for (int j0 = 0; j0 < n; j0 += nr) {
    float *panel = packed + (size_t)j0 * k;  // panel j0/nr starts at (j0/nr)·k·nr = j0·k
    int w = n - j0 < nr ? n - j0 : nr;
    if (w < nr) memset(panel, 0, sizeof(float) * (size_t)k * nr);
    if (trans) {
      // Element (p, j) = b[j·ldb + p]: read each source row once, contiguously.
      for (int jj = 0; jj < w; jj++) {
        const float *src = b + (size_t)(j0 + jj) * ldb;
        for (int p = 0; p < k; p++) panel[(size_t)p * nr + jj] = src[p];
      }
    } else {
      for (int p = 0; p < k; p++)
        memcpy(panel + (size_t)p * nr, b + (size_t)p * ldb + j0, sizeof(float) * w);
    }
  }
}

// Portable: the same per-element chain, with fmaf so every level rounds alike where it can.
static void step_scalar(int m, int n0, int n1, int k, const float *a, int lda, const float *bp,
                        float beta, float *c, int ldc) {
  const int nr = 16;
  for (int r = 0; r < m; r++) {
    float *cr = c + (size_t)r * ldc;
    const float *ar = a + (size_t)r * lda;
    for (int j = n0; j < n1; j++) {
      const float *col = bp + (size_t)(j / nr) * nr * k + (j % nr);
      float acc = beta == 0.0f ? 0.0f : cr[j];
      for (int p = 0; p < k; p++) acc = fmaf(ar[p], col[(size_t)p * nr], acc);
      cr[j] = acc;
    }
  }
}

#if RK_X86
// ---------------------------------------------------------------------------------------------
// AVX-512: MR × 32 over one packed panel (b points at the panel, row stride 32).

#define S512_FULL(p, m, v) _mm512_storeu_ps(p, v)
#define L512_FULL(p, m) _mm512_loadu_ps(p)
#define L512_MASK(p, m) _mm512_maskz_loadu_ps(m, p)
#define S512_MASK(p, m, v) _mm512_mask_storeu_ps(p, m, v)

#define K512(MR, NAME, LD, ST)                                                                     \
  RK_TARGET_AVX512 static inline void NAME(int k, const float *a, int lda, const float *b,        \
                                           float beta, float *c, int ldc, __mmask16 m0,           \
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
      __m512 b0 = _mm512_loadu_ps(b + (size_t)p * 32);                                             \
      __m512 b1 = _mm512_loadu_ps(b + (size_t)p * 32 + 16);                                        \
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

// One row, four panels (128 columns) at a time: eight independent accumulators.
RK_TARGET_AVX512 static void row512(int n0, int n1, int k, const float *a, const float *bp,
                                    float beta, float *c) {
  int j = n0;
  for (; j + 128 <= n1; j += 128) {
    const float *b = bp + (size_t)j * k;
    __m512 acc[8];
    for (int v = 0; v < 8; v++)
      acc[v] = beta == 0.0f ? _mm512_setzero_ps()
                            : _mm512_loadu_ps(c + j + 32 * (v / 2) + 16 * (v % 2));
    for (int p = 0; p < k; p++) {
      __m512 av = _mm512_set1_ps(a[p]);
      for (int q = 0; q < 4; q++) {
        const float *row = b + (size_t)q * 32 * k + (size_t)p * 32;
        acc[2 * q] = _mm512_fmadd_ps(av, _mm512_loadu_ps(row), acc[2 * q]);
        acc[2 * q + 1] = _mm512_fmadd_ps(av, _mm512_loadu_ps(row + 16), acc[2 * q + 1]);
      }
    }
    for (int v = 0; v < 8; v++) _mm512_storeu_ps(c + j + 32 * (v / 2) + 16 * (v % 2), acc[v]);
  }
  for (; j < n1; j += 32)
    k512m_1(k, a, 0, bp + (size_t)j * k, beta, c + j, 0, mask16(n1 - j), mask16(n1 - j - 16));
}

RK_TARGET_AVX512 static void step512(int m, int n0, int n1, int k, const float *a, int lda,
                                     const float *bp, float beta, float *c, int ldc) {
  if (m == 1) {
    row512(n0, n1, k, a, bp, beta, c);
    return;
  }
  for (int j = n0; j < n1; j += 32) {
    const float *b = bp + (size_t)j * k;
    __mmask16 m0 = mask16(n1 - j), m1 = mask16(n1 - j - 16);
    int full = n1 - j >= 32;
    int r = 0;
    for (; r + 6 <= m; r += 6) {
      const float *ar = a + (size_t)r * lda;
      float *cr = c + (size_t)r * ldc + j;
      if (full)
        k512_6(k, ar, lda, b, beta, cr, ldc, m0, m1);
      else
        k512m_6(k, ar, lda, b, beta, cr, ldc, m0, m1);
    }
    const float *ar = a + (size_t)r * lda;
    float *cr = c + (size_t)r * ldc + j;
#define CASE512(MR)                                                                                \
  case MR:                                                                                         \
    if (full)                                                                                      \
      k512_##MR(k, ar, lda, b, beta, cr, ldc, m0, m1);                                             \
    else                                                                                           \
      k512m_##MR(k, ar, lda, b, beta, cr, ldc, m0, m1);                                            \
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
// AVX2 + FMA: MR × 16 over one packed panel (row stride 16).

RK_TARGET_AVX2 static inline __m256i mask8(int valid) {
  const int32_t lanes[8] = {0, 1, 2, 3, 4, 5, 6, 7};
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(valid), _mm256_loadu_si256((const __m256i *)lanes));
}

#define L256_FULL(p, m) _mm256_loadu_ps(p)
#define S256_FULL(p, m, v) _mm256_storeu_ps(p, v)
#define L256_MASK(p, m) _mm256_maskload_ps(p, m)
#define S256_MASK(p, m, v) _mm256_maskstore_ps(p, m, v)

#define K256(MR, NAME, LD, ST)                                                                     \
  RK_TARGET_AVX2 static inline void NAME(int k, const float *a, int lda, const float *b,          \
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
      __m256 b0 = _mm256_loadu_ps(b + (size_t)p * 16);                                             \
      __m256 b1 = _mm256_loadu_ps(b + (size_t)p * 16 + 8);                                         \
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

// One row, four panels (64 columns) at a time: eight independent accumulators.
RK_TARGET_AVX2 static void row256(int n0, int n1, int k, const float *a, const float *bp,
                                  float beta, float *c) {
  int j = n0;
  for (; j + 64 <= n1; j += 64) {
    const float *b = bp + (size_t)j * k;
    __m256 acc[8];
    for (int v = 0; v < 8; v++)
      acc[v] = beta == 0.0f ? _mm256_setzero_ps() : _mm256_loadu_ps(c + j + 8 * v);
    for (int p = 0; p < k; p++) {
      __m256 av = _mm256_broadcast_ss(a + p);
      for (int q = 0; q < 4; q++) {
        const float *row = b + (size_t)q * 16 * k + (size_t)p * 16;
        acc[2 * q] = _mm256_fmadd_ps(av, _mm256_loadu_ps(row), acc[2 * q]);
        acc[2 * q + 1] = _mm256_fmadd_ps(av, _mm256_loadu_ps(row + 8), acc[2 * q + 1]);
      }
    }
    for (int v = 0; v < 8; v++) _mm256_storeu_ps(c + j + 8 * v, acc[v]);
  }
  for (; j < n1; j += 16)
    k256m_1(k, a, 0, bp + (size_t)j * k, beta, c + j, 0, mask8(n1 - j), mask8(n1 - j - 8));
}

RK_TARGET_AVX2 static void step256(int m, int n0, int n1, int k, const float *a, int lda,
                                   const float *bp, float beta, float *c, int ldc) {
  if (m == 1) {
    row256(n0, n1, k, a, bp, beta, c);
    return;
  }
  // Row blocks of 5 or 6 rows (m = 32: 6+6+5+5+5+5, not 6·5+2): a block of r rows keeps 2r
  // FMA chains in flight and the FMA latency (5 cycles, 2 per cycle) needs ≥ 10 to hide.
  int blocks = (m + 5) / 6;
  for (int j = n0; j < n1; j += 16) {
    const float *b = bp + (size_t)j * k;
    int full = n1 - j >= 16;
    __m256i m0 = full ? _mm256_setzero_si256() : mask8(n1 - j);
    __m256i m1 = full ? _mm256_setzero_si256() : mask8(n1 - j - 8);
    int r = 0;
    for (int blk = 0; blk < blocks; blk++) {
      int rows = (m - r) / (blocks - blk);  // the remaining rows, spread evenly
      if ((m - r) % (blocks - blk)) rows++;
      const float *ar = a + (size_t)r * lda;
      float *cr = c + (size_t)r * ldc + j;
#define CASE256(MR)                                                                                \
  case MR:                                                                                         \
    if (full)                                                                                      \
      k256_##MR(k, ar, lda, b, beta, cr, ldc, m0, m1);                                             \
    else                                                                                           \
      k256m_##MR(k, ar, lda, b, beta, cr, ldc, m0, m1);                                            \
    break;
      switch (rows) {
        CASE256(6)
        CASE256(5)
        CASE256(4)
        CASE256(3)
        CASE256(2)
        CASE256(1)
        default: break;
      }
      r += rows;
    }
  }
}
#endif

// ---------------------------------------------------------------------------------------------

typedef struct {
  int level, m, n, k, lda, ldc, chunk;
  const float *a, *b;
  float beta;
  float *c;
} step_job;

static void run_columns(const step_job *job, int n0, int n1) {
#if RK_X86
  if (job->level == RNN_STEP_AVX512) {
    step512(job->m, n0, n1, job->k, job->a, job->lda, job->b, job->beta, job->c, job->ldc);
    return;
  }
  if (job->level == RNN_STEP_AVX2) {
    step256(job->m, n0, n1, job->k, job->a, job->lda, job->b, job->beta, job->c, job->ldc);
    return;
  }
#endif
  step_scalar(job->m, n0, n1, job->k, job->a, job->lda, job->b, job->beta, job->c, job->ldc);
}

static void run_task(void *ctx, int index) {
  const step_job *job = (const step_job *)ctx;
  int n0 = index * job->chunk;
  int n1 = n0 + job->chunk < job->n ? n0 + job->chunk : job->n;
  if (n0 < n1) run_columns(job, n0, n1);
}

int rnn_step_tasks(int threads, int m, int n, int k) {
  if (threads <= 1) return 1;
  // Below ~1 MFLOP waking a second thread costs more than it saves, except when B is too large
  // for one core's L2 (batch 1 at H = 256: W_hh is 1 MiB): then each core reads its half.
  double flops = 2.0 * m * n * (double)k;
  double bytes = 4.0 * n * (double)k;
  return flops >= 1.0e6 || bytes >= 512.0 * 1024 ? threads : 1;
}

void rnn_step_gemm_packed_f32(int threads, int m, int n, int k, const float *a, int lda,
                              const float *packed, float beta, float *c, int ldc) {
  if (m <= 0 || n <= 0) return;
  step_job job = {step_level(), m, n, k, lda, ldc, n, a, packed, beta, c};
  int tasks = rnn_step_tasks(threads, m, n, k);
  if (tasks == 1) {
    run_columns(&job, 0, n);
    return;
  }
  // Whole groups of four panels per task (the batch-1 kernel's unit), so every task runs full
  // micro-kernel blocks but the last.
  int unit = 4 * rnn_step_panel_width();
  int chunk = (n + tasks - 1) / tasks;
  chunk = (chunk + unit - 1) / unit * unit;
  job.chunk = chunk;
  rk_parallel_for((n + chunk - 1) / chunk, threads, run_task, &job);
}

void rnn_step_columns_f32(int m, int n0, int n1, int k, const float *a, int lda,
                          const float *packed, float beta, float *c, int ldc) {
  if (m <= 0 || n0 >= n1) return;
  step_job job = {step_level(), m, n1, k, lda, ldc, n1, a, packed, beta, c};
  run_columns(&job, n0, n1);
}
