// Optimizer update kernels (float), one pass over memory per parameter tensor. The arithmetic is
// Optimizer.swift's reference loop operation for operation (no FMA contraction), so every SIMD
// level and every thread count gives the same bits. See optimizer_kernels.c.
#ifndef OPTIMIZER_KERNELS_H
#define OPTIMIZER_KERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Keras Adam on n elements; the new weights go to w_out, which may be w itself:
///   w ← w − w·decay (only when decay ≠ 0: AdamW's decoupled weight decay)
///   m ← m + (g − m)·one_minus_b1,  v ← v + (g·g − v)·one_minus_b2
///   v̂ ← max(vmax, v) and vmax ← v̂ when vmax ≠ NULL (AMSGrad), else v̂ = v
///   w ← w − m·alpha / (√v̂ + eps)
/// `level` < 0 picks rk_simd_level(); uses up to `threads` threads for large n (fixed chunks).
void rk_adam_f32(int level, int threads, size_t n, const float *w, const float *g, float *w_out,
                 float *m, float *v, float *vmax, float alpha, float one_minus_b1,
                 float one_minus_b2, float eps, float decay);

#ifdef __cplusplus
}
#endif
#endif
