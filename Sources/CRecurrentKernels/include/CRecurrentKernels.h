// CRecurrentKernels: the C kernels behind RecurrentTensor.
//
// Why C: Swift compiles for baseline x86-64 and `unsafeFlags` would make the package unusable as a
// dependency. C functions carry per-function `target(...)` attributes and are chosen at run time
// from the CPU's features, so one binary runs on any x86-64 and still uses AVX2/FMA or AVX-512.
// All matrices are row-major. Every function is thread-safe.
//
// Determinism: the portable kernels split work over the OUTPUT only (never the k dimension), so a
// result is bit-identical for any thread count. It may differ between SIMD levels (FMA or not).
#ifndef C_RECURRENT_KERNELS_H
#define C_RECURRENT_KERNELS_H

#include <stddef.h>

#include "rnn_pointwise.h"  // fused recurrent-cell kernels (rnn helper)
#include "embeddings_kernels.h"  // word2vec / fastText kernels (embeddings helper)
#include "optimizer_kernels.h"   // fused optimizer updates (Adam)

#ifdef __cplusplus
extern "C" {
#endif

// ---- CPU features ------------------------------------------------------------------------------

/// Instruction levels the kernels have code for, in increasing order.
enum {
  RK_SIMD_SCALAR = 0,  ///< plain C (non-x86 machines)
  RK_SIMD_SSE2 = 1,    ///< baseline x86-64
  RK_SIMD_AVX2 = 2,    ///< AVX2 + FMA
  RK_SIMD_AVX512 = 3,  ///< AVX-512F + FMA
};

/// The best level this CPU supports (detected once with __builtin_cpu_supports).
int rk_simd_level(void);
/// `level` if the CPU supports it, otherwise the best supported level below it.
int rk_simd_clamp_level(int level);
/// The number of processors online (at least 1).
int rk_cpu_count(void);

// ---- Portable GEMM -----------------------------------------------------------------------------

/// C[m×n] = alpha · op(A) · op(B) + beta · C, row-major; op(X) = Xᵀ when trans_x != 0.
/// lda/ldb/ldc are row strides in elements of the STORED matrices. beta == 0 ignores C's old
/// contents (NaN included), as BLAS does. Uses up to `threads` threads (≥ 1) when m·n·k is large;
/// the result does not depend on `threads`. `level` < 0 picks rk_simd_level().
void rk_sgemm(int level, int threads, int trans_a, int trans_b, int m, int n, int k, float alpha,
              const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);

/// The m·n·k below which rk_sgemm runs on the calling thread alone.
size_t rk_sgemm_parallel_threshold(void);

/// Backwards-compatible name: rk_sgemm at the detected level, one thread.
void rk_sgemm_portable(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                       int lda, const float *b, int ldb, float beta, float *c, int ldc);

// ---- Allocator -----------------------------------------------------------------------------------

/// Tells glibc's malloc to keep freed memory for reuse (no trimming; buffers up to 32 MiB from the
/// heap rather than fresh mmap). A training step frees and reallocates tens of megabytes of
/// per-step buffers; by default glibc returns them to the kernel every step and the next step
/// pays a page fault and a zeroed page per 4 KiB (+10–20% training throughput at the benchmark
/// configurations). Process-wide: executables call it at start (the `recurrent` and
/// `recurrent-bench` commands do); a library never calls it on its own. The process keeps its peak
/// heap size. Returns 1 when applied, 0 elsewhere (not glibc: a no-op).
int rk_keep_freed_memory(void);

// ---- OpenBLAS, loaded at run time ---------------------------------------------------------------

/// 1 when libopenblas.so.0 (or libopenblas.so) could be dlopen'ed and has cblas_sgemm.
int rk_openblas_available(void);
/// The library's own configuration string ("OpenBLAS 0.3.21 DYNAMIC_ARCH ..."), or NULL.
const char *rk_openblas_config(void);
/// Same contract as rk_sgemm, computed by OpenBLAS (cblas_sgemv when m == 1 or n == 1) on one
/// OpenBLAS thread per block: large products are split over up to `threads` threads of our pool.
/// Returns 0 on success, -1 when OpenBLAS is not available (C untouched).
int rk_openblas_sgemm(int threads, int trans_a, int trans_b, int m, int n, int k, float alpha,
                      const float *a, int lda, const float *b, int ldb, float beta, float *c,
                      int ldc);

// ---- Elementwise math (float) ------------------------------------------------------------------

enum { RK_OP_EXP = 0, RK_OP_SIGMOID = 1, RK_OP_TANH = 2 };

/// y[i] = f(x[i]) for i < n, f = exp, sigmoid or tanh (RK_OP_*). x and y may be the same buffer
/// (or not overlap at all). `level` < 0 picks rk_simd_level(); large n uses up to `threads`.
void rk_vmath(int op, int level, int threads, const float *x, float *y, size_t n);

/// y[i] = x[i] + z[i]
void rk_vadd(const float *x, const float *z, float *y, size_t n);
/// y[i] = x[i] * z[i]
void rk_vmul(const float *x, const float *z, float *y, size_t n);
/// y[i] += a · x[i]
void rk_vaxpy(float a, const float *x, float *y, size_t n);
/// y[i] = max(x[i], 0); NaN stays NaN.
void rk_vrelu(const float *x, float *y, size_t n);
/// Σ x[i], summed in a fixed order that depends only on n.
float rk_vsum(const float *x, size_t n);
/// max x[i] (−inf for n == 0; NaN if any element is NaN).
float rk_vmax(const float *x, size_t n);

// ---- Thread pool ---------------------------------------------------------------------------------

/// Calls fn(ctx, i) for every i < count on up to `threads` threads (the caller is one of them) and
/// returns when all calls are done. When the pool is busy (another caller), runs everything on the
/// calling thread: callers must therefore make results independent of which thread runs what.
void rk_parallel_for(int count, int threads, void (*fn)(void *ctx, int index), void *ctx);

#ifdef __cplusplus
}
#endif
#endif
