// simd_math.h — inline SIMD exp / sigmoid / tanh for float, one set per instruction level.
//
// INTERNAL header of CRecurrentKernels (not in include/, so Swift never sees it). Any .c file of
// this target may include it, e.g. the fused LSTM/GRU pointwise kernels in rnn_*.c:
//
//   #include "simd_math.h"
//
//   RK_TARGET_AVX2 static void lstm_gates_avx2(float *g, size_t n) {  // one copy per level
//     size_t i = 0;
//     for (; i + 8 <= n; i += 8) {
//       __m256 v = _mm256_loadu_ps(g + i);
//       _mm256_storeu_ps(g + i, rk_sigmoid_v8(v));                  // also rk_tanh_v8, rk_exp_v8
//     }
//     for (; i < n; i++) g[i] = rk_sigmoid_f32(g[i]);                // scalar tail, same formula
//   }
//   // AVX-512: RK_TARGET_AVX512 + __m512 + rk_*_v16; baseline: __m128 + rk_*_v4 (SSE2, no attr).
//   // Choose at run time with rk_simd_level() (declared in CRecurrentKernels.h):
//   //   RK_SIMD_AVX512 / RK_SIMD_AVX2 / RK_SIMD_SSE2 / RK_SIMD_SCALAR.
//
// The caller's function must carry the same (or a wider) target attribute as the helper it calls,
// otherwise the compiler refuses to inline it. Never use build flags (-mavx2, -march): one binary
// must run on every x86-64 (see ../shared/PERF-NOTES.md).
//
// Accuracy (tested against Foundation over a dense sweep): relative error ≤ 1e-6 (typically
// ≤ 3e-7) for normal results; results that are subnormal are correctly rounded from the
// polynomial (error ≤ 1 subnormal ulp); ±0, ±inf and NaN behave as libm (NaN propagates).
// Algorithms (Cephes): exp = 2^n · P(r), r = x − n·ln2 with ln2 split in two, |r| ≤ ln2/2, and
// 2^n applied as two factors so that subnormal results are rounded once. sigmoid(x) = 1/(1+e) or
// e/(1+e) with e = exp(−|x|) (no overflow, accurate for very negative x). tanh(x) = odd
// polynomial for |x| < 0.625, else sign(x)·(1 − 2/(exp(2|x|)+1)) (the exp branch is skipped when
// every lane is small).
#ifndef RK_SIMD_MATH_H
#define RK_SIMD_MATH_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) || defined(__i386__)
#define RK_X86 1
#include <immintrin.h>
// Overridable only so Tools/check_avx512_emulated.sh can run the AVX-512 code on an AVX2 machine.
#ifndef RK_TARGET_AVX512
#define RK_TARGET_AVX512 __attribute__((target("avx512f,fma")))
#endif
#define RK_TARGET_AVX2 __attribute__((target("avx2,fma")))
#else
#define RK_X86 0
#define RK_TARGET_AVX512
#define RK_TARGET_AVX2
#endif

// Cephes expf coefficients and the two-part ln 2.
#define RK_EXP_HI 89.0f     // exp(x) = +inf beyond ln(FLT_MAX) ≈ 88.72; 89 keeps n ≤ 128
#define RK_EXP_LO (-104.0f)  // exp(x) rounds to 0 below ≈ −103.97; keeps n ≥ −150
#define RK_LOG2E 1.44269504088896341f
#define RK_LN2_HI 0.693359375f
#define RK_LN2_LO (-2.12194440e-4f)
#define RK_EXP_P0 1.9875691500e-4f
#define RK_EXP_P1 1.3981999507e-3f
#define RK_EXP_P2 8.3334519073e-3f
#define RK_EXP_P3 4.1665795894e-2f
#define RK_EXP_P4 1.6666665459e-1f
#define RK_EXP_P5 5.0000001201e-1f
#define RK_ROUND_MAGIC 12582912.0f  // 1.5·2^23: adding it rounds |v| < 2^22 to an integer
// Cephes tanhf odd polynomial for |x| < 0.625.
#define RK_TANH_SMALL 0.625f
#define RK_TANH_P0 (-5.70498872745e-3f)
#define RK_TANH_P1 2.06390887954e-2f
#define RK_TANH_P2 (-5.37397155531e-2f)
#define RK_TANH_P3 1.33314422036e-1f
#define RK_TANH_P4 (-3.33332819422e-1f)

// ---------------------------------------------------------------------------------------------
// Scalar versions: the same formulas, for loop tails and non-x86 machines. The compiler may
// contract a*b+c into an FMA inside an FMA-targeted caller, so a scalar result can differ from
// the vector lane by an ulp; callers that need lane-identical tails should pad the tail into a
// vector instead (as vmath.c does).

static inline float rk_exp_f32(float x) {
  if (x != x) return x;
  if (x > RK_EXP_HI) x = RK_EXP_HI;
  if (x < RK_EXP_LO) x = RK_EXP_LO;
  float t = x * RK_LOG2E + RK_ROUND_MAGIC;
  float n = t - RK_ROUND_MAGIC;
  float r = x - n * RK_LN2_HI;
  r = r - n * RK_LN2_LO;
  float p = RK_EXP_P0;
  p = p * r + RK_EXP_P1;
  p = p * r + RK_EXP_P2;
  p = p * r + RK_EXP_P3;
  p = p * r + RK_EXP_P4;
  p = p * r + RK_EXP_P5;
  p = p * (r * r) + r;
  p = p + 1.0f;
  int ni = (int)n;
  int n1 = ni >> 1, n2 = ni - n1;
  union { uint32_t u; float f; } s1, s2;
  s1.u = (uint32_t)(n1 + 127) << 23;
  s2.u = (uint32_t)(n2 + 127) << 23;
  return p * s1.f * s2.f;
}

static inline float rk_sigmoid_f32(float x) {
  float e = rk_exp_f32(-fabsf(x));
  float num = x < 0.0f ? e : 1.0f;
  return num / (1.0f + e);
}

static inline float rk_tanh_f32(float x) {
  float ax = fabsf(x);
  if (ax < RK_TANH_SMALL) {
    float z = x * x;
    float p = RK_TANH_P0;
    p = p * z + RK_TANH_P1;
    p = p * z + RK_TANH_P2;
    p = p * z + RK_TANH_P3;
    p = p * z + RK_TANH_P4;
    return copysignf((p * z) * ax + ax, x);
  }
  float e = rk_exp_f32(2.0f * ax);
  float r = 1.0f - 2.0f / (e + 1.0f);
  return copysignf(r, x);
}

#if RK_X86

// ---------------------------------------------------------------------------------------------
// SSE2 (baseline x86-64): 4 lanes, no FMA, selects by and/andnot/or.

static inline __m128 rk_select_v4(__m128 mask, __m128 a, __m128 b) {  // mask ? a : b
  return _mm_or_ps(_mm_and_ps(mask, a), _mm_andnot_ps(mask, b));
}

static inline __m128 rk_exp_v4(__m128 x) {
  // min/max return their SECOND operand when either is NaN: constant first lets NaN through.
  x = _mm_min_ps(_mm_set1_ps(RK_EXP_HI), x);
  x = _mm_max_ps(_mm_set1_ps(RK_EXP_LO), x);
  const __m128 magic = _mm_set1_ps(RK_ROUND_MAGIC);
  __m128 t = _mm_add_ps(_mm_mul_ps(x, _mm_set1_ps(RK_LOG2E)), magic);
  __m128 n = _mm_sub_ps(t, magic);
  __m128 r = _mm_sub_ps(x, _mm_mul_ps(n, _mm_set1_ps(RK_LN2_HI)));
  r = _mm_sub_ps(r, _mm_mul_ps(n, _mm_set1_ps(RK_LN2_LO)));
  __m128 p = _mm_set1_ps(RK_EXP_P0);
  p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(RK_EXP_P1));
  p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(RK_EXP_P2));
  p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(RK_EXP_P3));
  p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(RK_EXP_P4));
  p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(RK_EXP_P5));
  p = _mm_add_ps(_mm_mul_ps(p, _mm_mul_ps(r, r)), r);
  p = _mm_add_ps(p, _mm_set1_ps(1.0f));
  __m128i ni = _mm_sub_epi32(_mm_castps_si128(t), _mm_castps_si128(magic));
  __m128i n1 = _mm_srai_epi32(ni, 1);
  __m128i n2 = _mm_sub_epi32(ni, n1);
  const __m128i bias = _mm_set1_epi32(127);
  __m128 s1 = _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(n1, bias), 23));
  __m128 s2 = _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(n2, bias), 23));
  return _mm_mul_ps(_mm_mul_ps(p, s1), s2);
}

// exp(x) for x ≥ 0 (or NaN), saturating at exp(88): see rk_exp_nonneg_v8.
static inline __m128 rk_exp_nonneg_v4(__m128 x) {
  x = _mm_min_ps(_mm_set1_ps(88.0f), x);
  const __m128 magic = _mm_set1_ps(RK_ROUND_MAGIC);
  __m128 t = _mm_add_ps(_mm_mul_ps(x, _mm_set1_ps(RK_LOG2E)), magic);
  __m128 n = _mm_sub_ps(t, magic);
  __m128 r = _mm_sub_ps(x, _mm_mul_ps(n, _mm_set1_ps(RK_LN2_HI)));
  r = _mm_sub_ps(r, _mm_mul_ps(n, _mm_set1_ps(RK_LN2_LO)));
  __m128 p = _mm_set1_ps(RK_EXP_P0);
  p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(RK_EXP_P1));
  p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(RK_EXP_P2));
  p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(RK_EXP_P3));
  p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(RK_EXP_P4));
  p = _mm_add_ps(_mm_mul_ps(p, r), _mm_set1_ps(RK_EXP_P5));
  p = _mm_add_ps(_mm_mul_ps(p, _mm_mul_ps(r, r)), r);
  p = _mm_add_ps(p, _mm_set1_ps(1.0f));
  __m128i ni = _mm_sub_epi32(_mm_castps_si128(t), _mm_castps_si128(magic));
  __m128 scale = _mm_castsi128_ps(_mm_slli_epi32(_mm_add_epi32(ni, _mm_set1_epi32(127)), 23));
  return _mm_mul_ps(p, scale);
}

static inline __m128 rk_sigmoid_v4(__m128 x) {
  const __m128 sign = _mm_set1_ps(-0.0f);
  __m128 negabs = _mm_or_ps(x, sign);  // −|x|
  __m128 e = rk_exp_v4(negabs);
  __m128 neg = _mm_cmplt_ps(x, _mm_setzero_ps());
  __m128 num = rk_select_v4(neg, e, _mm_set1_ps(1.0f));
  return _mm_div_ps(num, _mm_add_ps(_mm_set1_ps(1.0f), e));
}

static inline __m128 rk_tanh_v4(__m128 x) {
  const __m128 sign = _mm_set1_ps(-0.0f);
  __m128 ax = _mm_andnot_ps(sign, x);
  __m128 z = _mm_mul_ps(x, x);
  __m128 p = _mm_set1_ps(RK_TANH_P0);
  p = _mm_add_ps(_mm_mul_ps(p, z), _mm_set1_ps(RK_TANH_P1));
  p = _mm_add_ps(_mm_mul_ps(p, z), _mm_set1_ps(RK_TANH_P2));
  p = _mm_add_ps(_mm_mul_ps(p, z), _mm_set1_ps(RK_TANH_P3));
  p = _mm_add_ps(_mm_mul_ps(p, z), _mm_set1_ps(RK_TANH_P4));
  __m128 small = _mm_add_ps(_mm_mul_ps(_mm_mul_ps(p, z), ax), ax);  // |tanh|; sign set below
  __m128 isSmall = _mm_cmplt_ps(ax, _mm_set1_ps(RK_TANH_SMALL));
  __m128 r = small;
  if (_mm_movemask_ps(isSmall) != 0xF) {  // some lane needs the exp branch
    __m128 e = rk_exp_nonneg_v4(_mm_add_ps(ax, ax));
    __m128 one = _mm_set1_ps(1.0f);
    __m128 large = _mm_sub_ps(one, _mm_div_ps(_mm_set1_ps(2.0f), _mm_add_ps(e, one)));
    r = rk_select_v4(isSmall, small, large);
  }
  return _mm_or_ps(r, _mm_and_ps(sign, x));  // odd function; keeps tanh(−0) = −0
}

// ---------------------------------------------------------------------------------------------
// AVX2 + FMA: 8 lanes.

RK_TARGET_AVX2 static inline __m256 rk_exp_v8(__m256 x) {
  x = _mm256_min_ps(_mm256_set1_ps(RK_EXP_HI), x);  // constant first: NaN passes through
  x = _mm256_max_ps(_mm256_set1_ps(RK_EXP_LO), x);
  const __m256 magic = _mm256_set1_ps(RK_ROUND_MAGIC);
  __m256 t = _mm256_fmadd_ps(x, _mm256_set1_ps(RK_LOG2E), magic);
  __m256 n = _mm256_sub_ps(t, magic);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(RK_LN2_HI), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(RK_LN2_LO), r);
  __m256 p = _mm256_set1_ps(RK_EXP_P0);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(RK_EXP_P1));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(RK_EXP_P2));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(RK_EXP_P3));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(RK_EXP_P4));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(RK_EXP_P5));
  p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r);
  p = _mm256_add_ps(p, _mm256_set1_ps(1.0f));
  __m256i ni = _mm256_sub_epi32(_mm256_castps_si256(t), _mm256_castps_si256(magic));
  __m256i n1 = _mm256_srai_epi32(ni, 1);
  __m256i n2 = _mm256_sub_epi32(ni, n1);
  const __m256i bias = _mm256_set1_epi32(127);
  __m256 s1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n1, bias), 23));
  __m256 s2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(n2, bias), 23));
  return _mm256_mul_ps(_mm256_mul_ps(p, s1), s2);
}

// exp(x) for x ≥ 0 (or NaN), saturating at exp(88) ≈ 1.65e38: tanh's large-|x| branch needs
// no subnormal handling, so 2^n is applied as one factor (5 instructions fewer than rk_exp_v8).
RK_TARGET_AVX2 static inline __m256 rk_exp_nonneg_v8(__m256 x) {
  x = _mm256_min_ps(_mm256_set1_ps(88.0f), x);  // constant first: NaN passes through
  const __m256 magic = _mm256_set1_ps(RK_ROUND_MAGIC);
  __m256 t = _mm256_fmadd_ps(x, _mm256_set1_ps(RK_LOG2E), magic);
  __m256 n = _mm256_sub_ps(t, magic);
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(RK_LN2_HI), x);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(RK_LN2_LO), r);
  __m256 p = _mm256_set1_ps(RK_EXP_P0);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(RK_EXP_P1));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(RK_EXP_P2));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(RK_EXP_P3));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(RK_EXP_P4));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(RK_EXP_P5));
  p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), r);
  p = _mm256_add_ps(p, _mm256_set1_ps(1.0f));
  // t's low mantissa bits hold n + 0x400000; adding 127 and shifting builds 2^n directly.
  __m256i ni = _mm256_sub_epi32(_mm256_castps_si256(t), _mm256_castps_si256(magic));
  __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(ni, _mm256_set1_epi32(127)), 23));
  return _mm256_mul_ps(p, scale);
}

RK_TARGET_AVX2 static inline __m256 rk_sigmoid_v8(__m256 x) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  __m256 e = rk_exp_v8(_mm256_or_ps(x, sign));  // exp(−|x|) ∈ [0, 1]
  __m256 neg = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ);
  __m256 num = _mm256_blendv_ps(_mm256_set1_ps(1.0f), e, neg);
  return _mm256_div_ps(num, _mm256_add_ps(_mm256_set1_ps(1.0f), e));
}

RK_TARGET_AVX2 static inline __m256 rk_tanh_v8(__m256 x) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  __m256 ax = _mm256_andnot_ps(sign, x);
  __m256 z = _mm256_mul_ps(x, x);
  __m256 p = _mm256_set1_ps(RK_TANH_P0);
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(RK_TANH_P1));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(RK_TANH_P2));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(RK_TANH_P3));
  p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(RK_TANH_P4));
  __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(p, z), ax, ax);  // |tanh|; sign set below
  __m256 isSmall = _mm256_cmp_ps(ax, _mm256_set1_ps(RK_TANH_SMALL), _CMP_LT_OQ);
  __m256 r = small;
  if (_mm256_movemask_ps(isSmall) != 0xFF) {  // some lane needs the exp branch
    __m256 e = rk_exp_nonneg_v8(_mm256_add_ps(ax, ax));
    __m256 one = _mm256_set1_ps(1.0f);
    __m256 large = _mm256_sub_ps(one, _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, one)));
    r = _mm256_blendv_ps(large, small, isSmall);
  }
  return _mm256_or_ps(r, _mm256_and_ps(sign, x));  // odd function; keeps tanh(−0) = −0
}

// ---------------------------------------------------------------------------------------------
// AVX-512F + FMA: 16 lanes. Only AVX512F instructions (bitwise float ops go through the integer
// forms, since _mm512_and_ps etc. need AVX512DQ).

RK_TARGET_AVX512 static inline __m512 rk_exp_v16(__m512 x) {
  x = _mm512_min_ps(_mm512_set1_ps(RK_EXP_HI), x);  // constant first: NaN passes through
  x = _mm512_max_ps(_mm512_set1_ps(RK_EXP_LO), x);
  const __m512 magic = _mm512_set1_ps(RK_ROUND_MAGIC);
  __m512 t = _mm512_fmadd_ps(x, _mm512_set1_ps(RK_LOG2E), magic);
  __m512 n = _mm512_sub_ps(t, magic);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(RK_LN2_HI), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(RK_LN2_LO), r);
  __m512 p = _mm512_set1_ps(RK_EXP_P0);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(RK_EXP_P1));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(RK_EXP_P2));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(RK_EXP_P3));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(RK_EXP_P4));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(RK_EXP_P5));
  p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r);
  p = _mm512_add_ps(p, _mm512_set1_ps(1.0f));
  __m512i ni = _mm512_sub_epi32(_mm512_castps_si512(t), _mm512_castps_si512(magic));
  __m512i n1 = _mm512_srai_epi32(ni, 1);
  __m512i n2 = _mm512_sub_epi32(ni, n1);
  const __m512i bias = _mm512_set1_epi32(127);
  __m512 s1 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(n1, bias), 23));
  __m512 s2 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(n2, bias), 23));
  return _mm512_mul_ps(_mm512_mul_ps(p, s1), s2);
}

// exp(x) for x ≥ 0 (or NaN), saturating at exp(88): see rk_exp_nonneg_v8.
RK_TARGET_AVX512 static inline __m512 rk_exp_nonneg_v16(__m512 x) {
  x = _mm512_min_ps(_mm512_set1_ps(88.0f), x);
  const __m512 magic = _mm512_set1_ps(RK_ROUND_MAGIC);
  __m512 t = _mm512_fmadd_ps(x, _mm512_set1_ps(RK_LOG2E), magic);
  __m512 n = _mm512_sub_ps(t, magic);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(RK_LN2_HI), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(RK_LN2_LO), r);
  __m512 p = _mm512_set1_ps(RK_EXP_P0);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(RK_EXP_P1));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(RK_EXP_P2));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(RK_EXP_P3));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(RK_EXP_P4));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(RK_EXP_P5));
  p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r);
  p = _mm512_add_ps(p, _mm512_set1_ps(1.0f));
  __m512i ni = _mm512_sub_epi32(_mm512_castps_si512(t), _mm512_castps_si512(magic));
  __m512 scale =
      _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(ni, _mm512_set1_epi32(127)), 23));
  return _mm512_mul_ps(p, scale);
}

RK_TARGET_AVX512 static inline __m512 rk_sigmoid_v16(__m512 x) {
  const __m512i sign = _mm512_set1_epi32((int)0x80000000u);
  __m512 negabs = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(x), sign));
  __m512 e = rk_exp_v16(negabs);
  __mmask16 neg = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ);
  __m512 num = _mm512_mask_blend_ps(neg, _mm512_set1_ps(1.0f), e);
  return _mm512_div_ps(num, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

RK_TARGET_AVX512 static inline __m512 rk_tanh_v16(__m512 x) {
  const __m512i sign = _mm512_set1_epi32((int)0x80000000u);
  __m512i xi = _mm512_castps_si512(x);
  __m512 ax = _mm512_castsi512_ps(_mm512_andnot_si512(sign, xi));
  __m512 z = _mm512_mul_ps(x, x);
  __m512 p = _mm512_set1_ps(RK_TANH_P0);
  p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(RK_TANH_P1));
  p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(RK_TANH_P2));
  p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(RK_TANH_P3));
  p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(RK_TANH_P4));
  __m512 small = _mm512_fmadd_ps(_mm512_mul_ps(p, z), ax, ax);  // |tanh|; sign set below
  __mmask16 isSmall = _mm512_cmp_ps_mask(ax, _mm512_set1_ps(RK_TANH_SMALL), _CMP_LT_OQ);
  __m512 r = small;
  if (isSmall != 0xFFFF) {  // some lane needs the exp branch
    __m512 e = rk_exp_nonneg_v16(_mm512_add_ps(ax, ax));
    __m512 one = _mm512_set1_ps(1.0f);
    __m512 large =
        _mm512_sub_ps(one, _mm512_div_ps(_mm512_set1_ps(2.0f), _mm512_add_ps(e, one)));
    r = _mm512_mask_blend_ps(isSmall, large, small);
  }
  // odd function; keeps tanh(−0) = −0
  return _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(r), _mm512_and_si512(sign, xi)));
}

#endif  // RK_X86
#endif  // RK_SIMD_MATH_H
