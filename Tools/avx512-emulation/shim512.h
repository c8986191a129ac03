// Emulates the AVX-512F intrinsics used by CRecurrentKernels with pairs of AVX2 operations, so the
// AVX-512 code paths (simd_math.h's rk_*_v16, the 8×32 GEMM micro-kernel, the AVX-512 gemv loops)
// can run and be checked on a machine without AVX-512. Lane semantics follow Intel's definitions
// (min/max return the second operand on NaN, mask_blend picks b where the mask bit is set).
// Used only by check.sh; never part of the package build.
#ifndef RK_SHIM512_H
#define RK_SHIM512_H
#include <immintrin.h>
#include <stdint.h>

#define SHIM __attribute__((target("avx2,fma"), always_inline)) static inline
typedef struct { __m256 lo, hi; } shim_ps;
typedef struct { __m256i lo, hi; } shim_si;
typedef uint16_t shim_mask;

#define SHIM_BIN_PS(NAME, OP) \
  SHIM shim_ps NAME(shim_ps a, shim_ps b) { return (shim_ps){OP(a.lo, b.lo), OP(a.hi, b.hi)}; }
#define SHIM_BIN_SI(NAME, OP) \
  SHIM shim_si NAME(shim_si a, shim_si b) { return (shim_si){OP(a.lo, b.lo), OP(a.hi, b.hi)}; }
SHIM_BIN_PS(shim_add_ps, _mm256_add_ps)
SHIM_BIN_PS(shim_sub_ps, _mm256_sub_ps)
SHIM_BIN_PS(shim_mul_ps, _mm256_mul_ps)
SHIM_BIN_PS(shim_div_ps, _mm256_div_ps)
SHIM_BIN_PS(shim_min_ps, _mm256_min_ps)
SHIM_BIN_PS(shim_max_ps, _mm256_max_ps)
SHIM_BIN_SI(shim_add_epi32, _mm256_add_epi32)
SHIM_BIN_SI(shim_sub_epi32, _mm256_sub_epi32)
SHIM_BIN_SI(shim_and_si, _mm256_and_si256)
SHIM_BIN_SI(shim_or_si, _mm256_or_si256)
SHIM_BIN_SI(shim_andnot_si, _mm256_andnot_si256)
SHIM shim_ps shim_fmadd(shim_ps a, shim_ps b, shim_ps c) {
  return (shim_ps){_mm256_fmadd_ps(a.lo, b.lo, c.lo), _mm256_fmadd_ps(a.hi, b.hi, c.hi)};
}
SHIM shim_ps shim_fnmadd(shim_ps a, shim_ps b, shim_ps c) {
  return (shim_ps){_mm256_fnmadd_ps(a.lo, b.lo, c.lo), _mm256_fnmadd_ps(a.hi, b.hi, c.hi)};
}
SHIM shim_ps shim_loadu(const float *p) { return (shim_ps){_mm256_loadu_ps(p), _mm256_loadu_ps(p + 8)}; }
SHIM void shim_storeu(float *p, shim_ps v) {
  _mm256_storeu_ps(p, v.lo);
  _mm256_storeu_ps(p + 8, v.hi);
}
SHIM shim_ps shim_sqrt_ps(shim_ps a) { return (shim_ps){_mm256_sqrt_ps(a.lo), _mm256_sqrt_ps(a.hi)}; }
SHIM shim_ps shim_set1_ps(float x) { return (shim_ps){_mm256_set1_ps(x), _mm256_set1_ps(x)}; }
SHIM shim_si shim_set1_epi32(int x) { return (shim_si){_mm256_set1_epi32(x), _mm256_set1_epi32(x)}; }
SHIM shim_ps shim_setzero(void) { return (shim_ps){_mm256_setzero_ps(), _mm256_setzero_ps()}; }
SHIM shim_si shim_cast_si(shim_ps a) { return (shim_si){_mm256_castps_si256(a.lo), _mm256_castps_si256(a.hi)}; }
SHIM shim_ps shim_cast_ps(shim_si a) { return (shim_ps){_mm256_castsi256_ps(a.lo), _mm256_castsi256_ps(a.hi)}; }
#define shim_srai(a, n) ((shim_si){_mm256_srai_epi32((a).lo, n), _mm256_srai_epi32((a).hi, n)})
#define shim_slli(a, n) ((shim_si){_mm256_slli_epi32((a).lo, n), _mm256_slli_epi32((a).hi, n)})
#define shim_cmp_mask(a, b, imm)                                             \
  ((shim_mask)(_mm256_movemask_ps(_mm256_cmp_ps((a).lo, (b).lo, imm)) |     \
               (_mm256_movemask_ps(_mm256_cmp_ps((a).hi, (b).hi, imm)) << 8)))
SHIM __m256 shim_mask_vec(int bits) {
  const __m256i lane = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
  __m256i k = _mm256_and_si256(_mm256_set1_epi32(bits), lane);
  return _mm256_castsi256_ps(_mm256_cmpeq_epi32(k, lane));
}
SHIM shim_ps shim_mask_blend(shim_mask k, shim_ps a, shim_ps b) {
  return (shim_ps){_mm256_blendv_ps(a.lo, b.lo, shim_mask_vec(k & 0xFF)),
                   _mm256_blendv_ps(a.hi, b.hi, shim_mask_vec(k >> 8))};
}

#undef __m512
#define __m512 shim_ps
#undef __m512i
#define __m512i shim_si
#undef __mmask16
#define __mmask16 shim_mask
#undef _mm512_add_ps
#define _mm512_add_ps shim_add_ps
#undef _mm512_sub_ps
#define _mm512_sub_ps shim_sub_ps
#undef _mm512_mul_ps
#define _mm512_mul_ps shim_mul_ps
#undef _mm512_div_ps
#define _mm512_div_ps shim_div_ps
#undef _mm512_sqrt_ps
#define _mm512_sqrt_ps shim_sqrt_ps
#undef _mm512_min_ps
#define _mm512_min_ps shim_min_ps
#undef _mm512_max_ps
#define _mm512_max_ps shim_max_ps
#undef _mm512_fmadd_ps
#define _mm512_fmadd_ps shim_fmadd
#undef _mm512_fnmadd_ps
#define _mm512_fnmadd_ps shim_fnmadd
#undef _mm512_loadu_ps
#define _mm512_loadu_ps shim_loadu
#undef _mm512_storeu_ps
#define _mm512_storeu_ps shim_storeu
#undef _mm512_set1_ps
#define _mm512_set1_ps shim_set1_ps
#undef _mm512_set1_epi32
#define _mm512_set1_epi32 shim_set1_epi32
#undef _mm512_setzero_ps
#define _mm512_setzero_ps shim_setzero
#undef _mm512_castps_si512
#define _mm512_castps_si512 shim_cast_si
#undef _mm512_castsi512_ps
#define _mm512_castsi512_ps shim_cast_ps
#undef _mm512_add_epi32
#define _mm512_add_epi32 shim_add_epi32
#undef _mm512_sub_epi32
#define _mm512_sub_epi32 shim_sub_epi32
#undef _mm512_and_si512
#define _mm512_and_si512 shim_and_si
#undef _mm512_or_si512
#define _mm512_or_si512 shim_or_si
#undef _mm512_andnot_si512
#define _mm512_andnot_si512 shim_andnot_si
#undef _mm512_srai_epi32
#define _mm512_srai_epi32 shim_srai
#undef _mm512_slli_epi32
#define _mm512_slli_epi32 shim_slli
#undef _mm512_cmp_ps_mask
#define _mm512_cmp_ps_mask shim_cmp_mask
#undef _mm512_mask_blend_ps
#define _mm512_mask_blend_ps shim_mask_blend

// Run the "AVX-512" functions as AVX2 code, and make the dispatcher believe the CPU has AVX-512.
#define RK_TARGET_AVX512 __attribute__((target("avx2,fma")))
#endif
