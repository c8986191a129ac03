// Elementwise float math with run-time dispatch over the SIMD levels of simd_math.h.
// Tails are padded into one vector so every element goes through the same lane arithmetic.
#include <math.h>
#include <string.h>

#include "CRecurrentKernels.h"
#include "simd_math.h"

#if RK_X86
#define RK_VMATH_LEVEL(SUFFIX, TARGET, VEC, W, LOAD, STORE)                                      \
  TARGET static void vmath_##SUFFIX(int op, const float *x, float *y, size_t n) {               \
    size_t i = 0;                                                                               \
    switch (op) {                                                                               \
      case RK_OP_EXP:                                                                           \
        for (; i + W <= n; i += W) STORE(y + i, rk_exp_##SUFFIX(LOAD(x + i)));                  \
        break;                                                                                  \
      case RK_OP_SIGMOID:                                                                       \
        for (; i + W <= n; i += W) STORE(y + i, rk_sigmoid_##SUFFIX(LOAD(x + i)));              \
        break;                                                                                  \
      default:                                                                                  \
        for (; i + W <= n; i += W) STORE(y + i, rk_tanh_##SUFFIX(LOAD(x + i)));                 \
        break;                                                                                  \
    }                                                                                           \
    if (i < n) {                                                                                \
      float buf[W] = {0};                                                                       \
      memcpy(buf, x + i, (n - i) * sizeof(float));                                              \
      VEC v = LOAD(buf);                                                                        \
      v = op == RK_OP_EXP ? rk_exp_##SUFFIX(v)                                                  \
                          : (op == RK_OP_SIGMOID ? rk_sigmoid_##SUFFIX(v) : rk_tanh_##SUFFIX(v)); \
      STORE(buf, v);                                                                            \
      memcpy(y + i, buf, (n - i) * sizeof(float));                                              \
    }                                                                                           \
  }

RK_VMATH_LEVEL(v4, , __m128, 4, _mm_loadu_ps, _mm_storeu_ps)
RK_VMATH_LEVEL(v8, RK_TARGET_AVX2, __m256, 8, _mm256_loadu_ps, _mm256_storeu_ps)
RK_VMATH_LEVEL(v16, RK_TARGET_AVX512, __m512, 16, _mm512_loadu_ps, _mm512_storeu_ps)
#endif

static void vmath_scalar(int op, const float *x, float *y, size_t n) {
  for (size_t i = 0; i < n; i++) {
    float v = x[i];
    y[i] = op == RK_OP_EXP ? rk_exp_f32(v) : (op == RK_OP_SIGMOID ? rk_sigmoid_f32(v) : rk_tanh_f32(v));
  }
}

static void vmath_serial(int op, int level, const float *x, float *y, size_t n) {
#if RK_X86
  switch (level) {
    case RK_SIMD_AVX512: vmath_v16(op, x, y, n); return;
    case RK_SIMD_AVX2: vmath_v8(op, x, y, n); return;
    case RK_SIMD_SSE2: vmath_v4(op, x, y, n); return;
    default: break;
  }
#endif
  vmath_scalar(op, x, y, n);
}

typedef struct {
  int op, level;
  const float *x;
  float *y;
  size_t n, chunk;
} vmath_job;

static void vmath_task(void *ctx, int index) {
  vmath_job *job = (vmath_job *)ctx;
  size_t start = (size_t)index * job->chunk;
  size_t len = job->n - start < job->chunk ? job->n - start : job->chunk;
  vmath_serial(job->op, job->level, job->x + start, job->y + start, len);
}

// Below this many elements a second thread costs more (wake-up ≈ 10–50 µs) than it saves.
#define RK_VMATH_PARALLEL_MIN 65536

void rk_vmath(int op, int level, int threads, const float *x, float *y, size_t n) {
  level = rk_simd_clamp_level(level);
  if (threads <= 1 || n < RK_VMATH_PARALLEL_MIN) {
    vmath_serial(op, level, x, y, n);
    return;
  }
  // Chunks are multiples of 64 elements so no chunk boundary falls inside a vector.
  size_t chunk = ((n + (size_t)threads - 1) / (size_t)threads + 63) / 64 * 64;
  vmath_job job = {op, level, x, y, n, chunk};
  rk_parallel_for((int)((n + chunk - 1) / chunk), threads, vmath_task, &job);
}
