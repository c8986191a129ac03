// Fused pointwise kernels of the recurrent cells (see include/rnn_pointwise.h).
//
// Each kernel body is written once as a macro over the vector operations and instantiated for
// AVX-512 (16 lanes) and AVX2+FMA (8 lanes) with per-function target attributes; the remainder of
// a row (H not a multiple of the width) and CPUs without AVX2 take the scalar body. The level is
// chosen at run time from the CPU's features, so the package needs no build flags (PERF-NOTES.md).
// Nonlinearities come from simd_math.h (relative error ≤ 1e-6 against libm).
#include "rnn_pointwise.h"
#include "rnn_internal.h"

#include "simd_math.h"

enum { RNN_SCALAR = 0, RNN_AVX2 = 1, RNN_AVX512 = 2 };

static int rnn_level(void) {
  // Benign race: every thread computes the same value.
  static volatile int cached = -1;
  int v = cached;
  if (v < 0) {
#if RK_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma"))
      v = RNN_AVX512;
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
      v = RNN_AVX2;
    else
      v = RNN_SCALAR;
#else
    v = RNN_SCALAR;
#endif
    cached = v;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Bodies. Each runs j from its current value while a full vector fits; the scalar instantiation
// (W = 1) finishes the row. Names: H hidden units, j column within a gate block.

#define LSTM_FWD_BODY(V, LD, ST, MUL, FMA, SIG, TANH, W)                                           \
  for (; j + (W) <= u1; j += (W)) {                                                                \
    V i = SIG(LD(g + j));                                                                          \
    V f = SIG(LD(g + H + j));                                                                      \
    V gg = TANH(LD(g + 2 * H + j));                                                                \
    V o = SIG(LD(g + 3 * H + j));                                                                  \
    ST(g + j, i);                                                                                  \
    ST(g + H + j, f);                                                                              \
    ST(g + 2 * H + j, gg);                                                                         \
    ST(g + 3 * H + j, o);                                                                          \
    V c = FMA(f, LD(cp + j), MUL(i, gg));                                                          \
    V tc = TANH(c);                                                                                \
    ST(cn + j, c);                                                                                 \
    ST(tcr + j, tc);                                                                               \
    ST(hn + j, MUL(o, tc));                                                                        \
  }

#define LSTM_BWD_BODY(V, LD, ST, ADD, SUB, MUL, FMA, SET1, W)                                      \
  for (; j + (W) <= u1; j += (W)) {                                                                \
    V one = SET1(1.0f);                                                                            \
    V i = LD(g + j);                                                                               \
    V f = LD(g + H + j);                                                                           \
    V gg = LD(g + 2 * H + j);                                                                      \
    V o = LD(g + 3 * H + j);                                                                       \
    V tc = LD(tcr + j);                                                                            \
    V dhv = LD(dhr + j);                                                                           \
    V dc = FMA(MUL(dhv, o), SUB(one, MUL(tc, tc)), LD(dcn + j));                                   \
    ST(dg + j, MUL(MUL(dc, gg), MUL(i, SUB(one, i))));                                             \
    ST(dg + H + j, MUL(MUL(dc, LD(cp + j)), MUL(f, SUB(one, f))));                                 \
    ST(dg + 2 * H + j, MUL(MUL(dc, i), SUB(one, MUL(gg, gg))));                                    \
    ST(dg + 3 * H + j, MUL(MUL(dhv, tc), MUL(o, SUB(one, o))));                                    \
    ST(dcp + j, MUL(dc, f));                                                                       \
  }

#define GRU_FWD_BODY(V, LD, ST, ADD, SUB, MUL, FMA, SIG, TANH, W)                                  \
  for (; j + (W) <= u1; j += (W)) {                                                                \
    V r = SIG(ADD(LD(g + j), LD(hp + j)));                                                         \
    V z = SIG(ADD(LD(g + H + j), LD(hp + H + j)));                                                 \
    V ghnv = ADD(LD(hp + 2 * H + j), LD(bhn + j));                                                 \
    V n = TANH(FMA(r, ghnv, LD(g + 2 * H + j)));                                                   \
    V hprev = LD(hpr + j);                                                                         \
    ST(g + j, r);                                                                                  \
    ST(g + H + j, z);                                                                              \
    ST(g + 2 * H + j, n);                                                                          \
    ST(ghr + j, ghnv);                                                                             \
    ST(hn + j, FMA(z, SUB(hprev, n), n));                                                          \
  }

#define GRU_BWD_BODY(V, LD, ST, ADD, SUB, MUL, FMA, SET1, W)                                       \
  for (; j + (W) <= u1; j += (W)) {                                                                \
    V one = SET1(1.0f);                                                                            \
    V r = LD(g + j);                                                                               \
    V z = LD(g + H + j);                                                                           \
    V n = LD(g + 2 * H + j);                                                                       \
    V dhv = LD(dhr + j);                                                                           \
    V dan = MUL(MUL(dhv, SUB(one, z)), SUB(one, MUL(n, n)));                                       \
    V dar = MUL(MUL(dan, LD(ghr + j)), MUL(r, SUB(one, r)));                                       \
    V daz = MUL(MUL(dhv, SUB(LD(hpr + j), n)), MUL(z, SUB(one, z)));                               \
    ST(dhp + j, MUL(dhv, z));                                                                      \
    ST(dgi + j, dar);                                                                              \
    ST(dgi + H + j, daz);                                                                          \
    ST(dgi + 2 * H + j, dan);                                                                      \
    ST(dgh + j, dar);                                                                              \
    ST(dgh + H + j, daz);                                                                          \
    ST(dgh + 2 * H + j, MUL(dan, r));                                                              \
  }

#define COLSUM_BODY(V, LD, ST, ADD, W)                                                             \
  for (; j + (W) <= columns; j += (W)) ST(sums + j, ADD(LD(sums + j), LD(row + j)));

// Scalar operations (W = 1).
#define S_LD(p) (*(p))
#define S_ST(p, v) (*(p) = (v))
#define S_ADD(a, b) ((a) + (b))
#define S_SUB(a, b) ((a) - (b))
#define S_MUL(a, b) ((a) * (b))
#define S_FMA(a, b, c) ((a) * (b) + (c))
#define S_SET1(x) (x)

// The row pointers every body uses, set up per batch row.
#define LSTM_FWD_ROW                                                                               \
  float *g = gates + (size_t)b * 4 * H;                                                            \
  const float *cp = c_prev + (size_t)b * H;                                                        \
  float *hn = h_next + (size_t)b * H;                                                              \
  float *cn = c_next + (size_t)b * H;                                                              \
  float *tcr = tanh_c + (size_t)b * H;                                                             \
  int j = u0;
#define LSTM_BWD_ROW                                                                               \
  const float *g = gates + (size_t)b * 4 * H;                                                      \
  const float *tcr = tanh_c + (size_t)b * H;                                                       \
  const float *cp = c_prev + (size_t)b * H;                                                        \
  const float *dhr = dh + (size_t)b * H;                                                           \
  const float *dcn = dc_next + (size_t)b * H;                                                      \
  float *dcp = dc_prev + (size_t)b * H;                                                            \
  float *dg = dgates + (size_t)b * 4 * H;                                                          \
  int j = u0;
#define GRU_FWD_ROW                                                                                \
  float *g = gates + (size_t)b * 3 * H;                                                            \
  const float *hp = hproj + (size_t)b * 3 * H;                                                     \
  const float *bhn = bias_hn;                                                                      \
  const float *hpr = h_prev + (size_t)b * H;                                                       \
  float *hn = h_next + (size_t)b * H;                                                              \
  float *ghr = ghn + (size_t)b * H;                                                                \
  int j = u0;
#define GRU_BWD_ROW                                                                                \
  const float *g = gates + (size_t)b * 3 * H;                                                      \
  const float *ghr = ghn + (size_t)b * H;                                                          \
  const float *hpr = h_prev + (size_t)b * H;                                                       \
  const float *dhr = dh + (size_t)b * H;                                                           \
  float *dhp = dh_prev + (size_t)b * H;                                                            \
  float *dgi = dgi_all + (size_t)b * 3 * H;                                                        \
  float *dgh = dgh_all + (size_t)b * 3 * H;                                                        \
  int j = u0;

#define SCALAR_LSTM_FWD                                                                            \
  LSTM_FWD_BODY(float, S_LD, S_ST, S_MUL, S_FMA, rk_sigmoid_f32, rk_tanh_f32, 1)
#define SCALAR_LSTM_BWD LSTM_BWD_BODY(float, S_LD, S_ST, S_ADD, S_SUB, S_MUL, S_FMA, S_SET1, 1)
#define SCALAR_GRU_FWD                                                                             \
  GRU_FWD_BODY(float, S_LD, S_ST, S_ADD, S_SUB, S_MUL, S_FMA, rk_sigmoid_f32, rk_tanh_f32, 1)
#define SCALAR_GRU_BWD GRU_BWD_BODY(float, S_LD, S_ST, S_ADD, S_SUB, S_MUL, S_FMA, S_SET1, 1)

// ---------------------------------------------------------------------------------------------
// Portable versions.

static void lstm_fwd_scalar(int B, int H, int u0, int u1, float *gates, const float *c_prev, float *h_next,
                            float *c_next, float *tanh_c) {
  for (int b = 0; b < B; b++) {
    LSTM_FWD_ROW
    SCALAR_LSTM_FWD
  }
}

static void lstm_bwd_scalar(int B, int H, int u0, int u1, const float *gates, const float *tanh_c,
                            const float *c_prev, const float *dh, const float *dc_next,
                            float *dc_prev, float *dgates) {
  for (int b = 0; b < B; b++) {
    LSTM_BWD_ROW
    SCALAR_LSTM_BWD
  }
}

static void gru_fwd_scalar(int B, int H, int u0, int u1, float *gates, const float *hproj, const float *bias_hn,
                           const float *h_prev, float *h_next, float *ghn) {
  for (int b = 0; b < B; b++) {
    GRU_FWD_ROW
    SCALAR_GRU_FWD
  }
}

static void gru_bwd_scalar(int B, int H, int u0, int u1, const float *gates, const float *ghn, const float *h_prev,
                           const float *dh, float *dh_prev, float *dgi_all, float *dgh_all) {
  for (int b = 0; b < B; b++) {
    GRU_BWD_ROW
    SCALAR_GRU_BWD
  }
}

static void colsum_scalar(const float *m, int rows, int columns, float *sums) {
  for (int r = 0; r < rows; r++) {
    const float *row = m + (size_t)r * columns;
    int j = 0;
    COLSUM_BODY(float, S_LD, S_ST, S_ADD, 1)
  }
}

#if RK_X86
// ---------------------------------------------------------------------------------------------
// AVX2 + FMA (8 lanes).

#define A2_FMA(a, b, c) _mm256_fmadd_ps(a, b, c)

RK_TARGET_AVX2 static void lstm_fwd_avx2(int B, int H, int u0, int u1, float *gates, const float *c_prev,
                                         float *h_next, float *c_next, float *tanh_c) {
  for (int b = 0; b < B; b++) {
    LSTM_FWD_ROW
    LSTM_FWD_BODY(__m256, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_mul_ps, A2_FMA, rk_sigmoid_v8,
                  rk_tanh_v8, 8)
    SCALAR_LSTM_FWD
  }
}

RK_TARGET_AVX2 static void lstm_bwd_avx2(int B, int H, int u0, int u1, const float *gates, const float *tanh_c,
                                         const float *c_prev, const float *dh,
                                         const float *dc_next, float *dc_prev, float *dgates) {
  for (int b = 0; b < B; b++) {
    LSTM_BWD_ROW
    LSTM_BWD_BODY(__m256, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_add_ps, _mm256_sub_ps,
                  _mm256_mul_ps, A2_FMA, _mm256_set1_ps, 8)
    SCALAR_LSTM_BWD
  }
}

RK_TARGET_AVX2 static void gru_fwd_avx2(int B, int H, int u0, int u1, float *gates, const float *hproj,
                                        const float *bias_hn, const float *h_prev, float *h_next,
                                        float *ghn) {
  for (int b = 0; b < B; b++) {
    GRU_FWD_ROW
    GRU_FWD_BODY(__m256, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_add_ps, _mm256_sub_ps,
                 _mm256_mul_ps, A2_FMA, rk_sigmoid_v8, rk_tanh_v8, 8)
    SCALAR_GRU_FWD
  }
}

RK_TARGET_AVX2 static void gru_bwd_avx2(int B, int H, int u0, int u1, const float *gates, const float *ghn,
                                        const float *h_prev, const float *dh, float *dh_prev,
                                        float *dgi_all, float *dgh_all) {
  for (int b = 0; b < B; b++) {
    GRU_BWD_ROW
    GRU_BWD_BODY(__m256, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_add_ps, _mm256_sub_ps,
                 _mm256_mul_ps, A2_FMA, _mm256_set1_ps, 8)
    SCALAR_GRU_BWD
  }
}

RK_TARGET_AVX2 static void colsum_avx2(const float *m, int rows, int columns, float *sums) {
  for (int r = 0; r < rows; r++) {
    const float *row = m + (size_t)r * columns;
    int j = 0;
    COLSUM_BODY(__m256, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_add_ps, 8)
    COLSUM_BODY(float, S_LD, S_ST, S_ADD, 1)
  }
}

// ---------------------------------------------------------------------------------------------
// AVX-512 (16 lanes).

#define A5_FMA(a, b, c) _mm512_fmadd_ps(a, b, c)

RK_TARGET_AVX512 static void lstm_fwd_avx512(int B, int H, int u0, int u1, float *gates, const float *c_prev,
                                             float *h_next, float *c_next, float *tanh_c) {
  for (int b = 0; b < B; b++) {
    LSTM_FWD_ROW
    LSTM_FWD_BODY(__m512, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_mul_ps, A5_FMA,
                  rk_sigmoid_v16, rk_tanh_v16, 16)
    SCALAR_LSTM_FWD
  }
}

RK_TARGET_AVX512 static void lstm_bwd_avx512(int B, int H, int u0, int u1, const float *gates,
                                             const float *tanh_c, const float *c_prev,
                                             const float *dh, const float *dc_next,
                                             float *dc_prev, float *dgates) {
  for (int b = 0; b < B; b++) {
    LSTM_BWD_ROW
    LSTM_BWD_BODY(__m512, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_add_ps, _mm512_sub_ps,
                  _mm512_mul_ps, A5_FMA, _mm512_set1_ps, 16)
    SCALAR_LSTM_BWD
  }
}

RK_TARGET_AVX512 static void gru_fwd_avx512(int B, int H, int u0, int u1, float *gates, const float *hproj,
                                            const float *bias_hn, const float *h_prev,
                                            float *h_next, float *ghn) {
  for (int b = 0; b < B; b++) {
    GRU_FWD_ROW
    GRU_FWD_BODY(__m512, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_add_ps, _mm512_sub_ps,
                 _mm512_mul_ps, A5_FMA, rk_sigmoid_v16, rk_tanh_v16, 16)
    SCALAR_GRU_FWD
  }
}

RK_TARGET_AVX512 static void gru_bwd_avx512(int B, int H, int u0, int u1, const float *gates, const float *ghn,
                                            const float *h_prev, const float *dh, float *dh_prev,
                                            float *dgi_all, float *dgh_all) {
  for (int b = 0; b < B; b++) {
    GRU_BWD_ROW
    GRU_BWD_BODY(__m512, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_add_ps, _mm512_sub_ps,
                 _mm512_mul_ps, A5_FMA, _mm512_set1_ps, 16)
    SCALAR_GRU_BWD
  }
}

RK_TARGET_AVX512 static void colsum_avx512(const float *m, int rows, int columns, float *sums) {
  for (int r = 0; r < rows; r++) {
    const float *row = m + (size_t)r * columns;
    int j = 0;
    COLSUM_BODY(__m512, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_add_ps, 16)
    COLSUM_BODY(float, S_LD, S_ST, S_ADD, 1)
  }
}
#endif

// ---------------------------------------------------------------------------------------------
// Public entry points: run-time dispatch.

void rnn_lstm_forward_units_f32(int batch, int hidden, int u0, int u1, float *gates, const float *c_prev, float *h_next,
                          float *c_next, float *tanh_c) {
#if RK_X86
  int level = rnn_level();
  if (level == RNN_AVX512) {
    lstm_fwd_avx512(batch, hidden, u0, u1, gates, c_prev, h_next, c_next, tanh_c);
    return;
  }
  if (level == RNN_AVX2) {
    lstm_fwd_avx2(batch, hidden, u0, u1, gates, c_prev, h_next, c_next, tanh_c);
    return;
  }
#endif
  lstm_fwd_scalar(batch, hidden, u0, u1, gates, c_prev, h_next, c_next, tanh_c);
}

void rnn_lstm_backward_units_f32(int batch, int hidden, int u0, int u1, const float *gates, const float *tanh_c,
                           const float *c_prev, const float *dh, const float *dc_next,
                           float *dc_prev, float *dgates) {
#if RK_X86
  int level = rnn_level();
  if (level == RNN_AVX512) {
    lstm_bwd_avx512(batch, hidden, u0, u1, gates, tanh_c, c_prev, dh, dc_next, dc_prev, dgates);
    return;
  }
  if (level == RNN_AVX2) {
    lstm_bwd_avx2(batch, hidden, u0, u1, gates, tanh_c, c_prev, dh, dc_next, dc_prev, dgates);
    return;
  }
#endif
  lstm_bwd_scalar(batch, hidden, u0, u1, gates, tanh_c, c_prev, dh, dc_next, dc_prev, dgates);
}

void rnn_gru_forward_units_f32(int batch, int hidden, int u0, int u1, float *gates, const float *hproj,
                         const float *bias_hn, const float *h_prev, float *h_next, float *ghn) {
#if RK_X86
  int level = rnn_level();
  if (level == RNN_AVX512) {
    gru_fwd_avx512(batch, hidden, u0, u1, gates, hproj, bias_hn, h_prev, h_next, ghn);
    return;
  }
  if (level == RNN_AVX2) {
    gru_fwd_avx2(batch, hidden, u0, u1, gates, hproj, bias_hn, h_prev, h_next, ghn);
    return;
  }
#endif
  gru_fwd_scalar(batch, hidden, u0, u1, gates, hproj, bias_hn, h_prev, h_next, ghn);
}

void rnn_gru_backward_units_f32(int batch, int hidden, int u0, int u1, const float *gates, const float *ghn,
                          const float *h_prev, const float *dh, float *dh_prev, float *dgi,
                          float *dgh) {
#if RK_X86
  int level = rnn_level();
  if (level == RNN_AVX512) {
    gru_bwd_avx512(batch, hidden, u0, u1, gates, ghn, h_prev, dh, dh_prev, dgi, dgh);
    return;
  }
  if (level == RNN_AVX2) {
    gru_bwd_avx2(batch, hidden, u0, u1, gates, ghn, h_prev, dh, dh_prev, dgi, dgh);
    return;
  }
#endif
  gru_bwd_scalar(batch, hidden, u0, u1, gates, ghn, h_prev, dh, dh_prev, dgi, dgh);
}

void rnn_add_column_sums_f32(const float *m, int rows, int columns, float *sums) {
#if RK_X86
  int level = rnn_level();
  if (level == RNN_AVX512) {
    colsum_avx512(m, rows, columns, sums);
    return;
  }
  if (level == RNN_AVX2) {
    colsum_avx2(m, rows, columns, sums);
    return;
  }
#endif
  colsum_scalar(m, rows, columns, sums);
}

// Whole rows: the unit range 0 ..< H.

void rnn_lstm_forward_f32(int batch, int hidden, float *gates, const float *c_prev, float *h_next,
                          float *c_next, float *tanh_c) {
  rnn_lstm_forward_units_f32(batch, hidden, 0, hidden, gates, c_prev, h_next, c_next, tanh_c);
}

void rnn_lstm_backward_f32(int batch, int hidden, const float *gates, const float *tanh_c,
                           const float *c_prev, const float *dh, const float *dc_next,
                           float *dc_prev, float *dgates) {
  rnn_lstm_backward_units_f32(batch, hidden, 0, hidden, gates, tanh_c, c_prev, dh, dc_next,
                              dc_prev, dgates);
}

void rnn_gru_forward_f32(int batch, int hidden, float *gates, const float *hproj,
                         const float *bias_hn, const float *h_prev, float *h_next, float *ghn) {
  rnn_gru_forward_units_f32(batch, hidden, 0, hidden, gates, hproj, bias_hn, h_prev, h_next, ghn);
}

void rnn_gru_backward_f32(int batch, int hidden, const float *gates, const float *ghn,
                          const float *h_prev, const float *dh, float *dh_prev, float *dgi,
                          float *dgh) {
  rnn_gru_backward_units_f32(batch, hidden, 0, hidden, gates, ghn, h_prev, dh, dh_prev, dgi, dgh);
}
