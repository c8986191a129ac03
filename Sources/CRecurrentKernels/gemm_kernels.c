// Register-blocked GEMM micro-kernels, one per instruction level, all generated from one macro so
// the AVX-512 kernel (which this development machine cannot run) has exactly the structure of the
// AVX2 kernel that the tests exercise. Each computes an MR×(2·W) tile: MR rows of A broadcast
// against two W-wide vectors of B, accumulating with FMA over kc steps.
//   AVX-512: 8×32 (16 zmm accumulators)    AVX2+FMA: 6×16 (12 ymm of 16 registers)
//   SSE2:    6×8  (12 xmm, mul+add)        other CPUs: 4×8 with clang vector extensions
#include <string.h>

#include "CRecurrentKernels.h"
#include "gemm_internal.h"
#include "simd_math.h"

#define RK_UKERNEL(NAME, TARGET, VEC, W, MR, LOAD, STORE, BCAST, FMA, MUL, ZERO, SET1)           \
  TARGET static void NAME(int kc, const float *restrict ap, const float *restrict bp,             \
                          float *restrict c, int ldc, float alpha, float beta, int mr, int nr) {  \
    VEC acc[MR][2];                                                                             \
    _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                           \
      acc[r][0] = ZERO();                                                                       \
      acc[r][1] = ZERO();                                                                       \
    }                                                                                           \
    _Pragma("clang loop unroll_count(4)") for (int p = 0; p < kc; p++) {                        \
      VEC b0 = LOAD(bp), b1 = LOAD(bp + W);                                                     \
      _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                         \
        VEC a = BCAST(ap + r);                                                                  \
        acc[r][0] = FMA(a, b0, acc[r][0]);                                                      \
        acc[r][1] = FMA(a, b1, acc[r][1]);                                                      \
      }                                                                                         \
      ap += MR;                                                                                 \
      bp += 2 * W;                                                                              \
    }                                                                                           \
    VEC va = SET1(alpha), vb = SET1(beta);                                                      \
    float *dst = c;                                                                             \
    int ld = ldc;                                                                               \
    float tmp[MR * 2 * W] __attribute__((aligned(64)));                                         \
    int edge = mr != MR || nr != 2 * W;                                                         \
    if (edge) { /* same arithmetic on a padded copy of the tile */                              \
      dst = tmp;                                                                                \
      ld = 2 * W;                                                                               \
      memset(tmp, 0, sizeof(tmp));                                                              \
      if (beta != 0.0f)                                                                         \
        for (int r = 0; r < mr; r++) memcpy(tmp + r * ld, c + (size_t)r * ldc, nr * sizeof(float)); \
    }                                                                                           \
    if (beta == 0.0f) {                                                                         \
      _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                         \
        if (r < mr) {                                                                           \
          STORE(dst + (size_t)r * ld, MUL(va, acc[r][0]));                                      \
          STORE(dst + (size_t)r * ld + W, MUL(va, acc[r][1]));                                  \
        }                                                                                       \
      }                                                                                         \
    } else {                                                                                    \
      _Pragma("clang loop unroll(full)") for (int r = 0; r < MR; r++) {                         \
        if (r < mr) {                                                                           \
          float *row = dst + (size_t)r * ld;                                                    \
          STORE(row, FMA(acc[r][0], va, MUL(vb, LOAD(row))));                                   \
          STORE(row + W, FMA(acc[r][1], va, MUL(vb, LOAD(row + W))));                           \
        }                                                                                       \
      }                                                                                         \
    }                                                                                           \
    if (edge)                                                                                   \
      for (int r = 0; r < mr; r++) memcpy(c + (size_t)r * ldc, tmp + r * ld, nr * sizeof(float)); \
  }

#if RK_X86
#define RK_SSE_FMA(a, b, c) _mm_add_ps(_mm_mul_ps(a, b), c)
RK_TARGET_AVX512 static inline __m512 bcast16(const float *p) { return _mm512_set1_ps(*p); }
RK_UKERNEL(ukernel_avx512, RK_TARGET_AVX512, __m512, 16, 8, _mm512_loadu_ps, _mm512_storeu_ps,
           bcast16, _mm512_fmadd_ps, _mm512_mul_ps, _mm512_setzero_ps, _mm512_set1_ps)
RK_UKERNEL(ukernel_avx2, RK_TARGET_AVX2, __m256, 8, 6, _mm256_loadu_ps, _mm256_storeu_ps,
           _mm256_broadcast_ss, _mm256_fmadd_ps, _mm256_mul_ps, _mm256_setzero_ps, _mm256_set1_ps)
RK_UKERNEL(ukernel_sse2, , __m128, 4, 6, _mm_loadu_ps, _mm_storeu_ps, _mm_load1_ps, RK_SSE_FMA,
           _mm_mul_ps, _mm_setzero_ps, _mm_set1_ps)
#endif

// Portable fallback (e.g. arm64): clang/gcc vector extensions, lowered to NEON where available.
typedef float rk_v4f __attribute__((vector_size(16)));
static inline rk_v4f v4_load(const float *p) {
  rk_v4f v;
  memcpy(&v, p, sizeof(v));
  return v;
}
static inline void v4_store(float *p, rk_v4f v) { memcpy(p, &v, sizeof(v)); }
static inline rk_v4f v4_bcast(const float *p) { return (rk_v4f){*p, *p, *p, *p}; }
static inline rk_v4f v4_fma(rk_v4f a, rk_v4f b, rk_v4f c) { return a * b + c; }
static inline rk_v4f v4_mul(rk_v4f a, rk_v4f b) { return a * b; }
static inline rk_v4f v4_zero(void) { return (rk_v4f){0, 0, 0, 0}; }
static inline rk_v4f v4_set1(float x) { return (rk_v4f){x, x, x, x}; }
RK_UKERNEL(ukernel_generic, , rk_v4f, 4, 4, v4_load, v4_store, v4_bcast, v4_fma, v4_mul, v4_zero,
           v4_set1)

static const rk_gemm_arch arch_generic = {4, 8, 256, 64, 2048, ukernel_generic};
#if RK_X86
static const rk_gemm_arch arch_avx512 = {8, 32, 256, 128, 2048, ukernel_avx512};
#ifndef RK_AVX2_KC  // -D overrides exist only to tune the blocking from a test harness
#define RK_AVX2_KC 256
#define RK_AVX2_MC 144
#define RK_AVX2_NC 2048
#endif
static const rk_gemm_arch arch_avx2 = {6, 16, RK_AVX2_KC, RK_AVX2_MC, RK_AVX2_NC, ukernel_avx2};
static const rk_gemm_arch arch_sse2 = {6, 8, 256, 96, 2048, ukernel_sse2};
#endif

const rk_gemm_arch *rk_gemm_arch_for(int level) {
#if RK_X86
  switch (level) {
    case RK_SIMD_AVX512: return &arch_avx512;
    case RK_SIMD_AVX2: return &arch_avx2;
    case RK_SIMD_SSE2: return &arch_sse2;
    default: break;
  }
#endif
  (void)level;
  return &arch_generic;
}
