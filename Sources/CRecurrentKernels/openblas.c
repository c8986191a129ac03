// OpenBLAS found at run time: dlopen("libopenblas.so.0") so the package builds and runs on
// machines without it (a system-library target would break `swift build` there). Calling
// through the pointers costs 16–40 ns, the same as linking (PERF-NOTES).
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
  set_threads_fn set_threads;
  get_config_fn get_config;
  int threads;  // last count given to openblas_set_num_threads (it is process-wide)
  pthread_mutex_t threads_lock;
} blas = {PTHREAD_ONCE_INIT, NULL, NULL, NULL, NULL, 0, PTHREAD_MUTEX_INITIALIZER};

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
    blas.set_threads = (set_threads_fn)dlsym(h, "openblas_set_num_threads");
    blas.get_config = (get_config_fn)dlsym(h, "openblas_get_config");
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

static void use_threads(int threads) {
  if (!blas.set_threads) return;
  pthread_mutex_lock(&blas.threads_lock);
  if (blas.threads != threads) {
    blas.set_threads(threads);
    blas.threads = threads;
  }
  pthread_mutex_unlock(&blas.threads_lock);
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
  use_threads(threads < 1 ? 1 : threads);
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
  blas.sgemm(R, trans_a ? T : N, trans_b ? T : N, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  return 0;
}
