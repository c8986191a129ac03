// The Adam / AdamW update as one pass over memory (see include/optimizer_kernels.h).
//
// Why C: the update reads four arrays and writes three per parameter; the embedding table of a
// text model has millions of entries, so the step is memory-bound and must run at SIMD width on
// both cores. The arithmetic is exactly Optimizer.swift's reference loop, operation for
// operation, with no contraction into FMA: IEEE add, multiply, divide and square root are
// correctly rounded at every width, so the AVX-512, AVX2, SSE2 and scalar paths give the same
// bits, and splitting the elements over threads (fixed chunks) cannot change a result.
#include "CRecurrentKernels.h"
#include "simd_math.h"

#pragma clang fp contract(off)

// Elements per task: 64 KiB of each array, so a task's seven streams stay in L2.
enum { ADAM_CHUNK = 16384 };

typedef struct {
  const float *w, *g;
  float *w_out;
  float *m, *v, *vmax;
  float alpha, one_minus_b1, one_minus_b2, eps, decay;
} adam_args;

// One element, the reference formula (also the vector loops' tail).
static inline void adam_one(const adam_args *p, size_t j) {
  float g = p->g[j];
  float w = p->w[j];
  if (p->decay != 0.0f) w = w - w * p->decay;
  float m = p->m[j] + (g - p->m[j]) * p->one_minus_b1;
  float v = p->v[j] + (g * g - p->v[j]) * p->one_minus_b2;
  p->m[j] = m;
  p->v[j] = v;
  if (p->vmax) {
    float vm = p->vmax[j];
    v = v >= vm ? v : vm;  // Swift.max(vmax, v)
    p->vmax[j] = v;
  }
  p->w_out[j] = w - m * p->alpha / (sqrtf(v) + p->eps);
}

static void adam_scalar(const adam_args *p, size_t j0, size_t j1) {
  for (size_t j = j0; j < j1; j++) adam_one(p, j);
}

#if RK_X86
// Swift.max(vm, v) = v >= vm ? v : vm, NaN-for-NaN: blend on the same comparison.
#define ADAM_BODY(VEC, LOAD, STORE, SET1, ADD, SUB, MUL, DIV, SQRT, GE_SELECT)                    \
  VEC one_minus_b1 = SET1(p->one_minus_b1), one_minus_b2 = SET1(p->one_minus_b2);                \
  VEC alpha = SET1(p->alpha), eps = SET1(p->eps), decay = SET1(p->decay);                        \
  int has_decay = p->decay != 0.0f;                                                               \
  for (; j + W <= j1; j += W) {                                                                    \
    VEC g = LOAD(p->g + j), w = LOAD(p->w + j);                                                    \
    if (has_decay) w = SUB(w, MUL(w, decay));                                                      \
    VEC m0 = LOAD(p->m + j), v0 = LOAD(p->v + j);                                                  \
    VEC m = ADD(m0, MUL(SUB(g, m0), one_minus_b1));                                                \
    VEC v = ADD(v0, MUL(SUB(MUL(g, g), v0), one_minus_b2));                                        \
    STORE(p->m + j, m);                                                                            \
    STORE(p->v + j, v);                                                                            \
    if (p->vmax) {                                                                                 \
      VEC vm = LOAD(p->vmax + j);                                                                  \
      v = GE_SELECT(v, vm);                                                                        \
      STORE(p->vmax + j, v);                                                                       \
    }                                                                                              \
    STORE(p->w_out + j, SUB(w, DIV(MUL(m, alpha), ADD(SQRT(v), eps))));                               \
  }                                                                                                \
  adam_scalar(p, j, j1);

#define GE512(v, vm) _mm512_mask_blend_ps(_mm512_cmp_ps_mask(v, vm, _CMP_GE_OQ), vm, v)
RK_TARGET_AVX512 static void adam_avx512(const adam_args *p, size_t j, size_t j1) {
  enum { W = 16 };
  ADAM_BODY(__m512, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_set1_ps, _mm512_add_ps,
            _mm512_sub_ps, _mm512_mul_ps, _mm512_div_ps, _mm512_sqrt_ps, GE512)
}

#define GE256(v, vm) _mm256_blendv_ps(vm, v, _mm256_cmp_ps(v, vm, _CMP_GE_OQ))
RK_TARGET_AVX2 static void adam_avx2(const adam_args *p, size_t j, size_t j1) {
  enum { W = 8 };
  ADAM_BODY(__m256, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_set1_ps, _mm256_add_ps,
            _mm256_sub_ps, _mm256_mul_ps, _mm256_div_ps, _mm256_sqrt_ps, GE256)
}

#define GE128(v, vm) _mm_or_ps(_mm_and_ps(_mm_cmpge_ps(v, vm), v), _mm_andnot_ps(_mm_cmpge_ps(v, vm), vm))
static void adam_sse2(const adam_args *p, size_t j, size_t j1) {
  enum { W = 4 };
  ADAM_BODY(__m128, _mm_loadu_ps, _mm_storeu_ps, _mm_set1_ps, _mm_add_ps, _mm_sub_ps, _mm_mul_ps,
            _mm_div_ps, _mm_sqrt_ps, GE128)
}
#endif

typedef struct {
  adam_args args;
  size_t n;
  int level;
} adam_job;

static void adam_range(const adam_job *job, size_t j0, size_t j1) {
#if RK_X86
  if (job->level >= RK_SIMD_AVX512) {
    adam_avx512(&job->args, j0, j1);
    return;
  }
  if (job->level >= RK_SIMD_AVX2) {
    adam_avx2(&job->args, j0, j1);
    return;
  }
  if (job->level >= RK_SIMD_SSE2) {
    adam_sse2(&job->args, j0, j1);
    return;
  }
#endif
  adam_scalar(&job->args, j0, j1);
}

static void adam_task(void *ctx, int index) {
  const adam_job *job = (const adam_job *)ctx;
  size_t j0 = (size_t)index * ADAM_CHUNK;
  size_t j1 = j0 + ADAM_CHUNK < job->n ? j0 + ADAM_CHUNK : job->n;
  adam_range(job, j0, j1);
}

void rk_adam_f32(int level, int threads, size_t n, const float *w, const float *g, float *w_out,
                 float *m, float *v, float *vmax, float alpha, float one_minus_b1,
                 float one_minus_b2, float eps, float decay) {
  if (n == 0) return;
  adam_job job = {{w, g, w_out, m, v, vmax, alpha, one_minus_b1, one_minus_b2, eps, decay}, n,
                  rk_simd_clamp_level(level)};
  size_t chunks = (n + ADAM_CHUNK - 1) / ADAM_CHUNK;
  if (threads <= 1 || chunks < 2 || chunks > 0x7fffffff) {
    adam_range(&job, 0, n);
    return;
  }
  rk_parallel_for((int)chunks, threads, adam_task, &job);
}
