// AVX-512 paths under emulation: vector math must equal the AVX2 build bit for bit (same
// operation sequence per lane) and stay within 1e-6 of libm; GEMM (8×32 micro-kernel, NR = 32
// packing) and gemv must match a double reference for every transpose, odd sizes, padding,
// alpha/beta, and give the same bits with 1, 2 and 3 threads.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "CRecurrentKernels.h"

static unsigned seed = 1;
static float rnd(void) { seed = seed * 1664525u + 1013904223u; return ((seed >> 8) / 16777216.0f) * 2 - 1; }

static int check_gemm(int threads, int ta, int tb, int m, int n, int k, float alpha, float beta, int pad, float *out) {
  int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
  int ar = ta ? k : m, br = tb ? n : k;
  seed = (unsigned)(m * 131 + n * 7 + k);
  float *a = malloc(sizeof(float) * (ar * lda + 1)), *b = malloc(sizeof(float) * (br * ldb + 1));
  float *c = malloc(sizeof(float) * (m * ldc + 1)), *c0 = malloc(sizeof(float) * (m * ldc + 1));
  for (int i = 0; i < ar * lda; i++) a[i] = rnd();
  for (int i = 0; i < br * ldb; i++) b[i] = rnd();
  for (int i = 0; i < m * ldc; i++) c0[i] = c[i] = rnd();
  rk_sgemm(RK_SIMD_AVX512, threads, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  int bad = 0;
  for (int i = 0; i < m; i++)
    for (int j = 0; j < ldc; j++) {
      if (j >= n) { bad += c[i * ldc + j] != c0[i * ldc + j]; continue; }
      double s = 0, mag = 0;
      for (int p = 0; p < k; p++) {
        double x = ta ? a[p * lda + i] : a[i * lda + p], y = tb ? b[j * ldb + p] : b[p * ldb + j];
        s += x * y; mag += fabs(x * y);
      }
      double want = alpha * s + (beta == 0 ? 0 : beta * (double)c0[i * ldc + j]);
      if (fabs(c[i * ldc + j] - want) > 4e-7 * (k + 2) * (fabs(alpha) * mag + fabs(beta * c0[i * ldc + j])) + 1e-30) bad++;
    }
  if (out) memcpy(out, c, sizeof(float) * m * ldc);
  free(a); free(b); free(c); free(c0);
  if (bad) printf("FAIL gemm t%d ta%d tb%d %dx%dx%d alpha %g beta %g pad %d: %d wrong\n", threads, ta, tb, m, n, k, alpha, beta, pad, bad);
  return bad != 0;
}

int main(void) {
  int fails = 0, cases = 0;
  // Vector math.
  size_t n = 0;
  float *x = malloc(sizeof(float) * 3000000);
  for (float v = -110; v <= 110; v += 1e-4f * fmaxf(1, fabsf(v))) x[n++] = v;
  for (int e = -149; e < 0; e++) { x[n++] = ldexpf(1, e); x[n++] = -ldexpf(1.37f, e); }
  float sp[] = {0, -0.0f, INFINITY, -INFINITY, NAN, 88.7228f, 88.72284f, -103.97f, -104};
  for (unsigned i = 0; i < sizeof(sp) / sizeof(sp[0]); i++) x[n++] = sp[i];
  float *y = malloc(sizeof(float) * n), *y8 = malloc(sizeof(float) * n);
  for (int op = 0; op < 3; op++) {
    rk_vmath(op, RK_SIMD_AVX512, 1, x, y, n);
    rk_vmath(op, RK_SIMD_AVX2, 1, x, y8, n);
    size_t diff = 0, bad = 0;
    for (size_t i = 0; i < n; i++) {
      if (memcmp(&y[i], &y8[i], 4)) diff++;
      double r = op == 0 ? exp((double)x[i]) : op == 1 ? 1 / (1 + exp(-(double)x[i])) : tanh((double)x[i]);
      if (isnan(r) ? !isnan(y[i]) : isinf((float)r) ? y[i] != (float)r : fabs(y[i] - r) > 1e-6 * fabs(r) + 2.9e-45) bad++;
    }
    printf("vmath op %d: %zu inputs, %zu differ from AVX2 bits, %zu outside 1e-6\n", op, n, diff, bad);
    fails += diff != 0 || bad != 0;
    cases++;
  }
  // GEMM and gemv.
  int sizes[] = {1, 7, 17, 33, 65};
  for (int ta = 0; ta < 2; ta++)
    for (int tb = 0; tb < 2; tb++)
      for (int mi = 0; mi < 5; mi++)
        for (int ni = 0; ni < 5; ni++)
          for (int ki = 0; ki < 5; ki += 2) {
            float alpha = (mi + ki) % 2 ? 1.5f : 1.0f, beta = (ni % 3) == 0 ? 0 : (ni % 3 == 1 ? 1 : -0.5f);
            fails += check_gemm(2, ta, tb, sizes[mi], sizes[ni], sizes[ki], alpha, beta, (mi * ni) % 3, NULL);
            cases++;
          }
  int big[][3] = {{150, 70, 300}, {3, 2100, 5}, {130, 131, 200}, {1, 2100, 1000}, {2100, 1, 1000}};
  for (int s = 0; s < 5; s++)
    for (int t = 0; t < 4; t++) {
      int m = big[s][0], nn = big[s][1], k = big[s][2], pad = 1, ldc = nn + pad;
      float *r1 = malloc(sizeof(float) * m * ldc), *r2 = malloc(sizeof(float) * m * ldc), *r3 = malloc(sizeof(float) * m * ldc);
      fails += check_gemm(1, t & 1, t >> 1, m, nn, k, 1, 0.5f, pad, r1);
      fails += check_gemm(2, t & 1, t >> 1, m, nn, k, 1, 0.5f, pad, r2);
      fails += check_gemm(3, t & 1, t >> 1, m, nn, k, 1, 0.5f, pad, r3);
      if (memcmp(r1, r2, sizeof(float) * m * ldc) || memcmp(r1, r3, sizeof(float) * m * ldc)) {
        printf("FAIL thread invariance %dx%dx%d t%d\n", m, nn, k, t);
        fails++;
      }
      cases += 3;
      free(r1); free(r2); free(r3);
    }
  printf("%d cases, %d failures\n", cases, fails);
  return fails != 0;
}
