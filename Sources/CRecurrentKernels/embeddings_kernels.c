// Kernels for word2vec / fastText training. Three versions of each loop (AVX-512F, AVX2+FMA,
// portable) chosen per call from the CPU's features, so one binary runs on any x86-64.
// Why fused: a negative-sampling step touches each output row twice (dot, then two axpys);
// fusing the axpys reads the row once and avoids three library calls per row, which is where
// BLAS-based trainers (gensim) spend a large share of their time at dim ≈ 100.
#include "embeddings_kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RK_EMB_X86 1
#endif

// ---------------------------------------------------------------- portable

void rk_emb_prefetch(const float *row, int dim) {
  const char *p = (const char *)row;
  for (int b = 0; b < dim * 4; b += 64) __builtin_prefetch(p + b, 1, 3);
}

static float dot_portable(const float *a, const float *b, int n) {
  float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

static void axpy_portable(float alpha, const float *x, float *y, int n) {
  for (int i = 0; i < n; i++) y[i] += alpha * x[i];
}

static void update_portable(float g, const float *hidden, float *row, float *grad, int n) {
  for (int i = 0; i < n; i++) {
    float r = row[i];
    grad[i] += g * r;
    row[i] = r + g * hidden[i];
  }
}

// One instantiation of the fused logistic step per instruction set (the compiler inlines the
// row kernels into it, so the whole step runs with the wide registers).
#define RK_EMB_LOGISTIC(NAME, ATTR, DOT, UPDATE)                                                 \
  ATTR static void NAME(const float *hidden, float *out, const int32_t *rows,                    \
                        const float *labels, int count, int dim, float alpha, const float *table, \
                        int table_size, float max_exp, int saturate, float *grad) {               \
    const float scale = (float)table_size / max_exp / 2.0f;                                      \
    /* The output rows are random and mostly miss the caches: ask for all of them at once so   \
       the misses overlap instead of stalling one row at a time. */                              \
    for (int k = 0; k < count; k++) rk_emb_prefetch(out + (int64_t)rows[k] * dim, dim);           \
    for (int k = 0; k < count; k++) {                                                            \
      float *row = out + (int64_t)rows[k] * dim;                                                 \
      float f = DOT(hidden, row, dim);                                                           \
      float s;                                                                                   \
      if (f <= -max_exp || f >= max_exp) {                                                       \
        if (!saturate) continue;                                                                 \
        s = f > 0 ? 1.0f : 0.0f;                                                                 \
      } else {                                                                                   \
        s = table[(int)((f + max_exp) * scale)];                                                 \
      }                                                                                          \
      float g = (labels[k] - s) * alpha;                                                         \
      UPDATE(g, hidden, row, grad, dim);                                                         \
    }                                                                                            \
  }

#ifdef RK_EMB_X86
// ---------------------------------------------------------------- AVX2 + FMA

__attribute__((target("avx2,fma"))) static float hsum256(__m256 v) {
  __m128 lo = _mm256_castps256_ps128(v);
  __m128 hi = _mm256_extractf128_ps(v, 1);
  lo = _mm_add_ps(lo, hi);
  lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
  lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 1));
  return _mm_cvtss_f32(lo);
}

__attribute__((target("avx2,fma"))) static float dot_avx2(const float *a, const float *b, int n) {
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
  }
  for (; i + 8 <= n; i += 8)
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
  float s = hsum256(_mm256_add_ps(acc0, acc1));
  for (; i < n; i++) s += a[i] * b[i];
  return s;
}

__attribute__((target("avx2,fma"))) static void axpy_avx2(float alpha, const float *x, float *y,
                                                          int n) {
  __m256 va = _mm256_set1_ps(alpha);
  int i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(y + i, _mm256_fmadd_ps(va, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
  for (; i < n; i++) y[i] += alpha * x[i];
}

__attribute__((target("avx2,fma"))) static void update_avx2(float g, const float *hidden,
                                                            float *row, float *grad, int n) {
  __m256 vg = _mm256_set1_ps(g);
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 r = _mm256_loadu_ps(row + i);
    _mm256_storeu_ps(grad + i, _mm256_fmadd_ps(vg, r, _mm256_loadu_ps(grad + i)));
    _mm256_storeu_ps(row + i, _mm256_fmadd_ps(vg, _mm256_loadu_ps(hidden + i), r));
  }
  for (; i < n; i++) {
    float r = row[i];
    grad[i] += g * r;
    row[i] = r + g * hidden[i];
  }
}

// ---------------------------------------------------------------- AVX-512F

__attribute__((target("avx512f"))) static float dot_avx512(const float *a, const float *b, int n) {
  __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
  int i = 0;
  for (; i + 32 <= n; i += 32) {
    acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
    acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), acc1);
  }
  for (; i + 16 <= n; i += 16)
    acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
  if (i < n) {
    __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
    acc1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), acc1);
  }
  return _mm512_reduce_add_ps(_mm512_add_ps(acc0, acc1));
}

__attribute__((target("avx512f"))) static void axpy_avx512(float alpha, const float *x, float *y,
                                                           int n) {
  __m512 va = _mm512_set1_ps(alpha);
  int i = 0;
  for (; i + 16 <= n; i += 16)
    _mm512_storeu_ps(y + i, _mm512_fmadd_ps(va, _mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i)));
  if (i < n) {
    __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
    __m512 r = _mm512_fmadd_ps(va, _mm512_maskz_loadu_ps(m, x + i), _mm512_maskz_loadu_ps(m, y + i));
    _mm512_mask_storeu_ps(y + i, m, r);
  }
}

__attribute__((target("avx512f"))) static void update_avx512(float g, const float *hidden,
                                                             float *row, float *grad, int n) {
  __m512 vg = _mm512_set1_ps(g);
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    __m512 r = _mm512_loadu_ps(row + i);
    _mm512_storeu_ps(grad + i, _mm512_fmadd_ps(vg, r, _mm512_loadu_ps(grad + i)));
    _mm512_storeu_ps(row + i, _mm512_fmadd_ps(vg, _mm512_loadu_ps(hidden + i), r));
  }
  if (i < n) {
    __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
    __m512 r = _mm512_maskz_loadu_ps(m, row + i);
    _mm512_mask_storeu_ps(grad + i, m, _mm512_fmadd_ps(vg, r, _mm512_maskz_loadu_ps(m, grad + i)));
    _mm512_mask_storeu_ps(row + i, m, _mm512_fmadd_ps(vg, _mm512_maskz_loadu_ps(m, hidden + i), r));
  }
}

RK_EMB_LOGISTIC(logistic_avx512, __attribute__((target("avx512f"))), dot_avx512, update_avx512)
RK_EMB_LOGISTIC(logistic_avx2, __attribute__((target("avx2,fma"))), dot_avx2, update_avx2)
#endif


RK_EMB_LOGISTIC(logistic_portable, , dot_portable, update_portable)

// ---------------------------------------------------------------- dispatch

int rk_emb_isa(void) {
#ifdef RK_EMB_X86
  if (__builtin_cpu_supports("avx512f")) return 2;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
#endif
  return 0;
}

float rk_emb_dot(const float *a, const float *b, int n) {
#ifdef RK_EMB_X86
  if (__builtin_cpu_supports("avx512f")) return dot_avx512(a, b, n);
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return dot_avx2(a, b, n);
#endif
  return dot_portable(a, b, n);
}

void rk_emb_axpy(float alpha, const float *x, float *y, int n) {
#ifdef RK_EMB_X86
  if (__builtin_cpu_supports("avx512f")) {
    axpy_avx512(alpha, x, y, n);
    return;
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    axpy_avx2(alpha, x, y, n);
    return;
  }
#endif
  axpy_portable(alpha, x, y, n);
}

void rk_emb_scale(float alpha, float *x, int n) {
  for (int i = 0; i < n; i++) x[i] *= alpha;
}

void rk_emb_logistic(const float *hidden, float *out, const int32_t *rows, const float *labels,
                     int count, int dim, float alpha, const float *table, int table_size,
                     float max_exp, int saturate, float *grad) {
#ifdef RK_EMB_X86
  if (__builtin_cpu_supports("avx512f")) {
    logistic_avx512(hidden, out, rows, labels, count, dim, alpha, table, table_size, max_exp,
                    saturate, grad);
    return;
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    logistic_avx2(hidden, out, rows, labels, count, dim, alpha, table, table_size, max_exp,
                  saturate, grad);
    return;
  }
#endif
  logistic_portable(hidden, out, rows, labels, count, dim, alpha, table, table_size, max_exp,
                    saturate, grad);
}

void rk_emb_gemv(const float *rows, const float *query, float *scores, int count, int dim) {
  for (int r = 0; r < count; r++) scores[r] = rk_emb_dot(rows + (int64_t)r * dim, query, dim);
}

int64_t rk_emb_atomic_add(int64_t *counter, int64_t value) {
  return __atomic_add_fetch(counter, value, __ATOMIC_RELAXED);
}

int64_t rk_emb_atomic_load(const int64_t *counter) {
  return __atomic_load_n(counter, __ATOMIC_RELAXED);
}
