// The portable SGEMM driver: BLIS-style cache blocking around the micro-kernels of
// gemm_kernels.c, matrix–vector paths for m == 1 or n == 1, and threading over the OUTPUT.
//
// Loop nest (per thread, on its own block of C):
//   for jc (NC columns) / for pc (KC of k) : pack B[pc.., jc..] into NR-wide panels
//     for ic (MC rows) : pack A[ic.., pc..] into MR-tall panels
//       for jr, ir : micro-kernel on an MR×NR tile of C
// Every element of C is accumulated over p = 0, 1, … in the same order whatever the blocking of
// m and n, so splitting C between threads cannot change a single bit of the result.
#include <stdlib.h>
#include <string.h>

#include "CRecurrentKernels.h"
#include "gemm_internal.h"

// m·n·k below this runs on the calling thread: waking a worker costs ≈ 10–50 µs on a busy
// machine, about the time of a 64×256×256 product.
#define RK_GEMM_PARALLEL_MIN ((size_t)1 << 21)

size_t rk_sgemm_parallel_threshold(void) { return RK_GEMM_PARALLEL_MIN; }

static inline int imin(int a, int b) { return a < b ? a : b; }

// Packs rows [i0, i0+mc) × columns [p0, p0+kc) of op(A) into MR-tall panels, zero-padded.
static void pack_a(int MR, int trans, const float *a, int lda, int i0, int mc, int p0, int kc,
                   float *out) {
  for (int ir = 0; ir < mc; ir += MR) {
    int mr = imin(MR, mc - ir);
    if (trans) {  // op(A)[i][p] = a[p·lda + i]: MR contiguous values per p
      for (int p = 0; p < kc; p++) {
        const float *src = a + (size_t)(p0 + p) * lda + i0 + ir;
        float *dst = out + (size_t)p * MR;
        int r = 0;
        for (; r < mr; r++) dst[r] = src[r];
        for (; r < MR; r++) dst[r] = 0.0f;
      }
    } else {  // op(A)[i][p] = a[i·lda + p]: one strided stream per row
      for (int r = 0; r < MR; r++) {
        float *dst = out + r;
        if (r < mr) {
          const float *src = a + (size_t)(i0 + ir + r) * lda + p0;
          for (int p = 0; p < kc; p++) dst[(size_t)p * MR] = src[p];
        } else {
          for (int p = 0; p < kc; p++) dst[(size_t)p * MR] = 0.0f;
        }
      }
    }
    out += (size_t)MR * kc;
  }
}

// Packs rows [p0, p0+kc) × columns [j0, j0+nc) of op(B) into NR-wide panels, zero-padded.
static void pack_b(int NR, int trans, const float *b, int ldb, int p0, int kc, int j0, int nc,
                   float *out) {
  for (int jr = 0; jr < nc; jr += NR) {
    int nr = imin(NR, nc - jr);
    if (trans) {  // op(B)[p][j] = b[j·ldb + p]
      for (int col = 0; col < NR; col++) {
        float *dst = out + col;
        if (col < nr) {
          const float *src = b + (size_t)(j0 + jr + col) * ldb + p0;
          for (int p = 0; p < kc; p++) dst[(size_t)p * NR] = src[p];
        } else {
          for (int p = 0; p < kc; p++) dst[(size_t)p * NR] = 0.0f;
        }
      }
    } else {  // op(B)[p][j] = b[p·ldb + j]: NR contiguous values per p
      for (int p = 0; p < kc; p++) {
        const float *src = b + (size_t)(p0 + p) * ldb + j0 + jr;
        float *dst = out + (size_t)p * NR;
        if (nr == NR) {
          memcpy(dst, src, (size_t)NR * sizeof(float));
        } else {
          int col = 0;
          for (; col < nr; col++) dst[col] = src[col];
          for (; col < NR; col++) dst[col] = 0.0f;
        }
      }
    }
    out += (size_t)NR * kc;
  }
}

typedef struct {
  const rk_gemm_arch *arch;
  int trans_a, trans_b, m, n, k;
  float alpha, beta;
  const float *a, *b;
  int lda, ldb, ldc;
  float *c;
} gemm_problem;

static void *aligned_buffer(size_t floats) {
  void *p = NULL;
  if (posix_memalign(&p, 64, floats * sizeof(float) + 64) != 0) return NULL;
  return p;
}

// C[i0:i1, j0:j1] on the calling thread. Returns 0, or -1 if a pack buffer could not be allocated.
static int gemm_block(const gemm_problem *g, int i0, int i1, int j0, int j1) {
  const rk_gemm_arch *arch = g->arch;
  const int MR = arch->mr, NR = arch->nr;
  int m = i1 - i0, n = j1 - j0;
  int kcmax = imin(arch->kc, g->k);
  int mcmax = imin(arch->mc, (m + MR - 1) / MR * MR);
  int ncmax = imin(arch->nc, (n + NR - 1) / NR * NR);
  float *abuf = aligned_buffer((size_t)mcmax * kcmax);
  float *bbuf = aligned_buffer((size_t)ncmax * kcmax);
  if (!abuf || !bbuf) {
    free(abuf);
    free(bbuf);
    return -1;
  }
  for (int jc = j0; jc < j1; jc += arch->nc) {
    int nc = imin(arch->nc, j1 - jc);
    for (int pc = 0; pc < g->k; pc += arch->kc) {
      int kc = imin(arch->kc, g->k - pc);
      float beta = pc == 0 ? g->beta : 1.0f;  // later k blocks add to what the first wrote
      pack_b(NR, g->trans_b, g->b, g->ldb, pc, kc, jc, nc, bbuf);
      for (int ic = i0; ic < i1; ic += arch->mc) {
        int mc = imin(arch->mc, i1 - ic);
        pack_a(MR, g->trans_a, g->a, g->lda, ic, mc, pc, kc, abuf);
        for (int jr = 0; jr < nc; jr += NR) {
          const float *bp = bbuf + (size_t)jr * kc;
          for (int ir = 0; ir < mc; ir += MR) {
            float *ct = g->c + (size_t)(ic + ir) * g->ldc + jc + jr;
            arch->kernel(kc, abuf + (size_t)ir * kc, bp, ct, g->ldc, g->alpha, beta,
                         imin(MR, mc - ir), imin(NR, nc - jr));
          }
        }
      }
    }
  }
  free(abuf);
  free(bbuf);
  return 0;
}

// Scalar fallback used only if memory for the pack buffers runs out: same contract, slow.
static void gemm_reference(const gemm_problem *g, int i0, int i1, int j0, int j1) {
  for (int i = i0; i < i1; i++)
    for (int j = j0; j < j1; j++) {
      float s = 0.0f;
      for (int p = 0; p < g->k; p++) {
        float x = g->trans_a ? g->a[(size_t)p * g->lda + i] : g->a[(size_t)i * g->lda + p];
        float y = g->trans_b ? g->b[(size_t)j * g->ldb + p] : g->b[(size_t)p * g->ldb + j];
        s += x * y;
      }
      float *cij = g->c + (size_t)i * g->ldc + j;
      *cij = g->beta == 0.0f ? g->alpha * s : g->alpha * s + g->beta * *cij;
    }
}

typedef struct {
  const gemm_problem *g;
  int split_rows;  // 1: tasks own row blocks; 0: column blocks
  int unit;        // rows (MR) or columns (NR) per unit
  int units, tasks;
} gemm_split;

static void gemm_task(void *ctx, int index) {
  const gemm_split *s = (const gemm_split *)ctx;
  // Contiguous, balanced ranges of whole units.
  int u0 = (int)((long)s->units * index / s->tasks);
  int u1 = (int)((long)s->units * (index + 1) / s->tasks);
  int extent = s->split_rows ? s->g->m : s->g->n;
  int lo = imin(u0 * s->unit, extent), hi = imin(u1 * s->unit, extent);
  if (lo >= hi) return;
  int i0 = 0, i1 = s->g->m, j0 = 0, j1 = s->g->n;
  if (s->split_rows) {
    i0 = lo;
    i1 = hi;
  } else {
    j0 = lo;
    j1 = hi;
  }
  if (gemm_block(s->g, i0, i1, j0, j1) != 0) gemm_reference(s->g, i0, i1, j0, j1);
}

// ---- m == 1 or n == 1 -------------------------------------------------------------------------

typedef struct {
  int level, rows_form, k;
  float alpha, beta;
  const float *mat, *x;
  int ldm, incy;
  float *y;
  int count, tasks;
} gemv_job;

#define RK_GEMV_UNIT 64

static void gemv_task(void *ctx, int index) {
  const gemv_job *j = (const gemv_job *)ctx;
  int units = (j->count + RK_GEMV_UNIT - 1) / RK_GEMV_UNIT;
  int lo = imin(units * index / j->tasks * RK_GEMV_UNIT, j->count);
  int hi = imin(units * (index + 1) / j->tasks * RK_GEMV_UNIT, j->count);
  if (lo >= hi) return;
  if (j->rows_form)
    rk_gemv_rows(j->level, j->k, j->alpha, j->mat, j->ldm, j->x, j->beta, j->y, j->incy, lo, hi);
  else
    rk_gemv_dots(j->level, j->k, j->alpha, j->mat, j->ldm, j->x, j->beta, j->y, j->incy, lo, hi);
}

// y = alpha·op(M)·x + beta·y with x possibly strided (copied to a contiguous buffer first).
static void gemv(int level, int threads, int rows_form, int count, int k, float alpha,
                 const float *mat, int ldm, const float *x, int incx, float beta, float *y,
                 int incy) {
  float stackbuf[1024];
  float *xc = (float *)x;
  float *heap = NULL;
  if (incx != 1) {
    xc = k <= 1024 ? stackbuf : (heap = malloc((size_t)k * sizeof(float)));
    if (!xc) {  // out of memory: fall back to a strided scalar loop
      for (int i = 0; i < count; i++) {
        float s = 0.0f;
        for (int p = 0; p < k; p++)
          s += x[(size_t)p * incx] *
               (rows_form ? mat[(size_t)p * ldm + i] : mat[(size_t)i * ldm + p]);
        float *yi = y + (size_t)i * incy;
        *yi = beta == 0.0f ? alpha * s : alpha * s + beta * *yi;
      }
      return;
    }
    for (int p = 0; p < k; p++) xc[p] = x[(size_t)p * incx];
  }
  gemv_job job = {level, rows_form, k, alpha, beta, mat, xc, ldm, incy, y, count, 1};
  size_t work = (size_t)count * (size_t)k;
  int units = (count + RK_GEMV_UNIT - 1) / RK_GEMV_UNIT;
  if (threads > 1 && work >= RK_GEMM_PARALLEL_MIN && units > 1) {
    job.tasks = imin(threads, units);
    rk_parallel_for(job.tasks, threads, gemv_task, &job);
  } else {
    gemv_task(&job, 0);
  }
  free(heap);
}

// ---- Entry points ---------------------------------------------------------------------------------

static void scale_c(int m, int n, float beta, float *c, int ldc) {
  for (int i = 0; i < m; i++) {
    float *row = c + (size_t)i * ldc;
    if (beta == 0.0f)
      memset(row, 0, (size_t)n * sizeof(float));
    else if (beta != 1.0f)
      for (int j = 0; j < n; j++) row[j] *= beta;
  }
}

void rk_sgemm(int level, int threads, int trans_a, int trans_b, int m, int n, int k, float alpha,
              const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc) {
  if (m <= 0 || n <= 0) return;
  if (k <= 0 || alpha == 0.0f) {  // BLAS: A and B are not read
    scale_c(m, n, beta, c, ldc);
    return;
  }
  level = rk_simd_clamp_level(level);
  if (threads < 1) threads = 1;
  if (m == 1) {
    // c[0, j] = Σ_p op(A)[0][p] · op(B)[p][j]; x = the single row of op(A).
    int incx = trans_a ? lda : 1;
    if (trans_b)  // op(B)[p][j] = b[j·ldb + p]: one dot product per output
      gemv(level, threads, 0, n, k, alpha, b, ldb, a, incx, beta, c, 1);
    else
      gemv(level, threads, 1, n, k, alpha, b, ldb, a, incx, beta, c, 1);
    return;
  }
  if (n == 1) {
    // c[i, 0] = Σ_p op(A)[i][p] · op(B)[p][0]; x = the single column of op(B).
    int incx = trans_b ? 1 : ldb;
    if (trans_a)  // op(A)[i][p] = a[p·lda + i]
      gemv(level, threads, 1, m, k, alpha, a, lda, b, incx, beta, c, ldc);
    else
      gemv(level, threads, 0, m, k, alpha, a, lda, b, incx, beta, c, ldc);
    return;
  }
  gemm_problem g = {rk_gemm_arch_for(level), trans_a, trans_b, m, n, k, alpha, beta, a, b,
                    lda,  ldb,                 ldc,     c};
  size_t work = (size_t)m * (size_t)n * (size_t)k;
  gemm_split s = {&g, 0, g.arch->nr, (n + g.arch->nr - 1) / g.arch->nr, 1};
  // Split the longer side of C; rows if n has too few NR-wide panels to go around.
  if (m > n || s.units < threads) {
    int row_units = (m + g.arch->mr - 1) / g.arch->mr;
    if (row_units > s.units) {
      s.split_rows = 1;
      s.unit = g.arch->mr;
      s.units = row_units;
    }
  }
  if (threads > 1 && work >= RK_GEMM_PARALLEL_MIN && s.units > 1) {
    s.tasks = imin(threads, s.units);
    rk_parallel_for(s.tasks, threads, gemm_task, &s);
  } else {
    gemm_task(&s, 0);
  }
}

void rk_sgemm_portable(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                       int lda, const float *b, int ldb, float beta, float *c, int ldc) {
  rk_sgemm(-1, 1, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
