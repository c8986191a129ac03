// Replaces cpu.c in the emulation check: reports AVX-512 so every dispatcher takes that path.
#include <unistd.h>
#include "CRecurrentKernels.h"
int rk_simd_level(void) { return RK_SIMD_AVX512; }
int rk_simd_clamp_level(int level) { return level < 0 || level > RK_SIMD_AVX512 ? RK_SIMD_AVX512 : level; }
int rk_cpu_count(void) { return 2; }
