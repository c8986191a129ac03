// OpenBLAS found at run time: dlopen("libopenblas.so.0") so the package builds and runs on
// machines without it (a system-library target would break `swift build` there). Calling
// through the pointers costs 16–40 ns, the same as linking (PERF-NOTES).
//
// Threads: OpenBLAS always runs on one thread here, and a large product is split into row or
// column blocks over our own thread pool, one single-threaded OpenBLAS call per block. OpenBLAS's
// own workers spin with sched_yield for up to 2^28 cycles (≈ 0.1 s) after every threaded call;
// a training step calls it several times between recurrent loops, so its worker kept one of two
// cores busy yielding while our threads ran the loop (≈ 20% of a config-A training profile was
// the scheduler). With one pool for everything no thread ever competes with another of ours.
#include <dlfcn.h>
#include <pthread.h>

#include "CRecurrentKernels.h"

// CBLAS enum values (cblas.h), fixed by the standard.
enum { RK_CBLAS_ROW_MAJOR = 101, RK_CBLAS_NO_TRANS = 111, RK_CBLAS_TRANS = 112 };

typedef void (*sgemm_fn)(int order, int ta, int tb, int m, int n, int k, float alpha,
                         const float *a, int lda, const float *b, int ldb, float beta, float *c,
                         int ldc);
typedef void (*sgemv_fn)(int order, int trans, int m, int n, float alpha, const float *a, int lda,
                         const float *x, int incx, float beta, float *y, int incy);
typedef void (*set_threads_fn)(int);
typedef char *(*get_config_fn)(void);

static struct {
  pthread_once_t once;
  sgemm_fn sgemm;
  sgemv_fn sgemv;
  get_config_fn get_config;
} blas = {PTHREAD_ONCE_INIT, NULL, NULL, NULL};

static void load_openblas(void) {
  const char *names[] = {"libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"};
  for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    void *h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) continue;
    sgemm_fn g = (sgemm_fn)dlsym(h, "cblas_sgemm");
    sgemv_fn v = (sgemv_fn)dlsym(h, "cblas_sgemv");
    if (!g || !v) {
      dlclose(h);
      continue;
    }
    blas.sgemm = g;
    blas.sgemv = v;
    blas.get_config = (get_config_fn)dlsym(h, "openblas_get_config");
    // One OpenBLAS thread, for the whole process and once: see the top of this file.
    set_threads_fn set_threads = (set_threads_fn)dlsym(h, "openblas_set_num_threads");
    if (set_threads) set_threads(1);
    return;
  }
}

int rk_openblas_available(void) {
  pthread_once(&blas.once, load_openblas);
  return blas.sgemm != NULL;
}

const char *rk_openblas_config(void) {
  if (!rk_openblas_available() || !blas.get_config) return NULL;
  return blas.get_config();
}

// Products below this many flops run as one call: a block per thread costs a pool dispatch
// (a batch-1 forward pass's input projection, 3.3 MFLOP at config A, is worth splitting).
#define RK_BLAS_SPLIT_FLOPS 1.0e6

typedef struct {
  int trans_a, trans_b, m, n, k;
  float alpha;
  const float *a;
  int lda;
  const float *b;
  int ldb;
  float beta;
  float *c;
  int ldc;
  int split_rows;  // 1: blocks of C's rows, 0: of its columns
  int chunk;
} blas_job;

static void blas_block(void *ctx, int index) {
  const blas_job *j = (const blas_job *)ctx;
  const int R = RK_CBLAS_ROW_MAJOR, N = RK_CBLAS_NO_TRANS, T = RK_CBLAS_TRANS;
  int side = j->split_rows ? j->m : j->n;
  int lo = index * j->chunk, hi = lo + j->chunk < side ? lo + j->chunk : side;
  if (lo >= hi) return;
  const float *a = j->a, *b = j->b;
  float *c = j->c;
  int m = j->m, n = j->n;
  if (j->split_rows) {  // rows lo..<hi of op(A) and C
    a += j->trans_a ? (size_t)lo : (size_t)lo * j->lda;
    c += (size_t)lo * j->ldc;
    m = hi - lo;
  } else {  // columns lo..<hi of op(B) and C
    b += j->trans_b ? (size_t)lo * j->ldb : (size_t)lo;
    c += lo;
    n = hi - lo;
  }
  blas.sgemm(R, j->trans_a ? T : N, j->trans_b ? T : N, m, n, j->k, j->alpha, a, j->lda, b,
             j->ldb, j->beta, c, j->ldc);
}

int rk_openblas_sgemm(int threads, int trans_a, int trans_b, int m, int n, int k, float alpha,
                      const float *a, int lda, const float *b, int ldb, float beta, float *c,
                      int ldc) {
  if (!rk_openblas_available()) return -1;
  if (m <= 0 || n <= 0) return 0;
  if (k <= 0 || alpha == 0.0f) {  // only C = beta·C: no need to wake OpenBLAS
    rk_sgemm(-1, 1, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return 0;
  }
  const int R = RK_CBLAS_ROW_MAJOR, N = RK_CBLAS_NO_TRANS, T = RK_CBLAS_TRANS;
  if (m == 1) {
    // c (1×n) = x (1×k) · op(B): y = op(B)ᵀ·x. x is A's single row (stride lda if transposed).
    int incx = trans_a ? lda : 1;
    if (trans_b)  // B stored n×k
      blas.sgemv(R, N, n, k, alpha, b, ldb, a, incx, beta, c, 1);
    else  // B stored k×n
      blas.sgemv(R, T, k, n, alpha, b, ldb, a, incx, beta, c, 1);
    return 0;
  }
  if (n == 1) {
    // c (m×1, stride ldc) = op(A) · x, x = B's single column.
    int incx = trans_b ? 1 : ldb;
    if (trans_a)  // A stored k×m
      blas.sgemv(R, T, k, m, alpha, a, lda, b, incx, beta, c, ldc);
    else
      blas.sgemv(R, N, m, k, alpha, a, lda, b, incx, beta, c, ldc);
    return 0;
  }
  int tasks = threads > 1 && 2.0 * m * (double)n * k >= RK_BLAS_SPLIT_FLOPS ? threads : 1;
  if (tasks == 1) {
    blas.sgemm(R, trans_a ? T : N, trans_b ? T : N, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return 0;
  }
  // Split the longer side of C into blocks of whole 16-row/column groups, one per task.
  blas_job job = {trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, m >= n, 0};
  int side = job.split_rows ? m : n;
  int chunk = (side + tasks - 1) / tasks;
  job.chunk = (chunk + 15) / 16 * 16;
  rk_parallel_for((side + job.chunk - 1) / job.chunk, threads, blas_block, &job);
  return 0;
}
