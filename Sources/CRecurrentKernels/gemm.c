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

// From this m·n·k on, C is cut into several tasks per thread (see gemm_grid).
#define RK_GEMM_OVERSPLIT_MIN ((size_t)1 << 23)
#define RK_GEMM_TASKS_PER_THREAD 2

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
    } else {  // op(A)[i][p] = a[i·lda + p]: MR read streams, one contiguous write stream
      const float *rows[64];  // MR ≤ 64
      for (int r = 0; r < mr; r++) rows[r] = a + (size_t)(i0 + ir + r) * lda + p0;
      for (int p = 0; p < kc; p++) {
        float *dst = out + (size_t)p * MR;
        int r = 0;
        for (; r < mr; r++) dst[r] = rows[r][p];
        for (; r < MR; r++) dst[r] = 0.0f;
      }
    }
    out += (size_t)MR * kc;
  }
}

// Packs rows [p0, p0+kc) × columns [j0, j0+nc) of op(B) into NR-wide panels, zero-padded.
static void pack_b(int NR, int trans, const float *b, int ldb, int p0, int kc, int j0, int nc,
                   float *out) {
  int full = nc / NR * NR;
  if (!trans) {
    // op(B)[p][j] = b[p·ldb + j]: read each row of B once, front to back (prefetch-friendly),
    // scattering NR-wide pieces into the panels.
    for (int p = 0; p < kc; p++) {
      const float *src = b + (size_t)(p0 + p) * ldb + j0;
      float *dst = out + (size_t)p * NR;
      for (int jr = 0; jr < full; jr += NR) memcpy(dst + (size_t)jr * kc, src + jr, (size_t)NR * sizeof(float));
      if (full < nc) {
        float *d = dst + (size_t)full * kc;
        int col = 0;
        for (; col < nc - full; col++) d[col] = src[full + col];
        for (; col < NR; col++) d[col] = 0.0f;
      }
    }
    return;
  }
  // op(B)[p][j] = b[j·ldb + p]: NR read streams (one per column, each contiguous in p), one
  // contiguous write stream.
  const float *cols[64];  // NR ≤ 64
  for (int jr = 0; jr < nc; jr += NR) {
    int nr = imin(NR, nc - jr);
    for (int col = 0; col < nr; col++) cols[col] = b + (size_t)(j0 + jr + col) * ldb + p0;
    for (int p = 0; p < kc; p++) {
      float *dst = out + (size_t)p * NR;
      int col = 0;
      for (; col < nr; col++) dst[col] = cols[col][p];
      for (; col < NR; col++) dst[col] = 0.0f;
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

// C is cut into a tm × tn grid of blocks, one task each, claimed dynamically by the threads:
// more tasks than threads keeps both busy when the (shared) machine deschedules one of them.
typedef struct {
  const gemm_problem *g;
  int tm, tn;              // grid
  int row_units, col_units;  // MR-tall / NR-wide units of C
} gemm_grid;

static void gemm_task(void *ctx, int index) {
  const gemm_grid *s = (const gemm_grid *)ctx;
  const gemm_problem *g = s->g;
  int ti = index / s->tn, tj = index % s->tn;
  // Contiguous, balanced ranges of whole units.
  int i0 = imin((int)((long)s->row_units * ti / s->tm) * g->arch->mr, g->m);
  int i1 = imin((int)((long)s->row_units * (ti + 1) / s->tm) * g->arch->mr, g->m);
  int j0 = imin((int)((long)s->col_units * tj / s->tn) * g->arch->nr, g->n);
  int j1 = imin((int)((long)s->col_units * (tj + 1) / s->tn) * g->arch->nr, g->n);
  if (i0 >= i1 || j0 >= j1) return;
  if (gemm_block(g, i0, i1, j0, j1) != 0) gemm_reference(g, i0, i1, j0, j1);
}

// Picks tm × tn = tasks (or fewer) minimising the packing traffic: each task packs its rows of A
// and its columns of B, so the cost is ∝ tn·m + tm·n.
static void choose_grid(gemm_grid *s, int tasks) {
  const gemm_problem *g = s->g;
  s->tm = 1;
  s->tn = 1;
  double best = -1;
  for (int tm = 1; tm <= tasks; tm++) {
    if (tasks % tm) continue;
    int tn = tasks / tm;
    if (tm > s->row_units || tn > s->col_units) continue;
    double cost = (double)tn * g->m + (double)tm * g->n;
    if (best < 0 || cost < best) {
      best = cost;
      s->tm = tm;
      s->tn = tn;
    }
  }
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
  gemm_grid s = {&g, 1, 1, (m + g.arch->mr - 1) / g.arch->mr, (n + g.arch->nr - 1) / g.arch->nr};
  if (threads > 1 && work >= RK_GEMM_PARALLEL_MIN) {
    int per_thread = work >= RK_GEMM_OVERSPLIT_MIN ? RK_GEMM_TASKS_PER_THREAD : 1;
    choose_grid(&s, threads * per_thread);
    if (s.tm * s.tn == 1) choose_grid(&s, threads);
  }
  if (s.tm * s.tn > 1)
    rk_parallel_for(s.tm * s.tn, threads, gemm_task, &s);
  else
    gemm_task(&s, 0);
}

void rk_sgemm_portable(int trans_a, int trans_b, int m, int n, int k, float alpha, const float *a,
                       int lda, const float *b, int ldb, float beta, float *c, int ldc) {
  rk_sgemm(-1, 1, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
