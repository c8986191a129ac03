// Internal interface between the GEMM driver (gemm.c), the micro-kernels (gemm_kernels.c) and the
// matrix–vector paths (gemv.c).
#ifndef RK_GEMM_INTERNAL_H
#define RK_GEMM_INTERNAL_H

#include <stddef.h>

/// C[mr×nr] (row stride ldc) = alpha · Ap·Bp + beta · C, where Ap is a packed MR×kc panel (MR
/// values per k step) and Bp a packed kc×NR panel (NR values per k step), both zero-padded.
/// beta == 0 ignores C's old contents. mr ≤ MR and nr ≤ NR (edge tiles go through a buffer with
/// the SAME vector arithmetic, so an element's bits do not depend on where the tile boundaries are).
typedef void (*rk_ukernel_fn)(int kc, const float *ap, const float *bp, float *c, int ldc,
                              float alpha, float beta, int mr, int nr);

/// One instruction level's micro-kernel and cache blocking.
typedef struct {
  int mr, nr;  // register tile
  int kc;      // k block: a kc×NR panel of B stays in L1
  int mc;      // rows of A packed per block (stays in L2), multiple of mr
  int nc;      // columns of B packed per block (stays in L3), multiple of nr
  rk_ukernel_fn kernel;
} rk_gemm_arch;

/// The micro-kernel and blocking for `level` (an RK_SIMD_* value the CPU supports).
const rk_gemm_arch *rk_gemm_arch_for(int level);

/// y[j·incy] = alpha · Σ_p x[p]·M[p·ldm + j] + beta · y[j·incy], for j in [j0, j1): M is k×n.
void rk_gemv_rows(int level, int k, float alpha, const float *m, int ldm, const float *x,
                  float beta, float *y, int incy, int j0, int j1);
/// y[i·incy] = alpha · Σ_p M[i·ldm + p]·x[p] + beta · y[i·incy], for i in [i0, i1): M is m×k.
void rk_gemv_dots(int level, int k, float alpha, const float *m, int ldm, const float *x,
                  float beta, float *y, int incy, int i0, int i1);

#endif
