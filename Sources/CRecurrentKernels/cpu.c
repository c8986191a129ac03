// Run-time CPU feature detection: picks the kernels' instruction level once per process.
#include <unistd.h>

#include "CRecurrentKernels.h"

static int detect_level(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  // __builtin_cpu_supports also checks that the OS saves the wide registers (XGETBV).
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) return RK_SIMD_AVX512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return RK_SIMD_AVX2;
  return RK_SIMD_SSE2;
#else
  return RK_SIMD_SCALAR;
#endif
}

int rk_simd_level(void) {
  // Benign race: every thread computes the same value.
  static volatile int cached = -1;
  int v = cached;
  if (v < 0) {
    v = detect_level();
    cached = v;
  }
  return v;
}

int rk_simd_clamp_level(int level) {
  int best = rk_simd_level();
  if (level < 0 || level > best) return best;
#if !(defined(__x86_64__) || defined(__i386__))
  return RK_SIMD_SCALAR;
#endif
  return level;
}

int rk_cpu_count(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : (int)n;
}
