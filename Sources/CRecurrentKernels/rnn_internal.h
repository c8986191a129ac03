// Internal interface between the recurrent kernels: the per-step product (rnn_step_gemm.c), the
// pointwise passes (rnn_pointwise.c), the whole-sequence loops (rnn_sequence.c) and the thread
// team they run on (threadpool.c). Not part of the module's public headers.
#ifndef RNN_INTERNAL_H
#define RNN_INTERNAL_H

#include <stdatomic.h>

/// The pointwise passes of include/rnn_pointwise.h on the hidden units [u0, u1) of every row
/// (rows keep their full-width layout). u0 and u1 must be multiples of 16 (or u1 = H) so that
/// every element takes the same vector or scalar path as in a whole-row call.
void rnn_lstm_forward_units_f32(int batch, int hidden, int u0, int u1, float *gates,
                                const float *c_prev, float *h_next, float *c_next,
                                float *tanh_c);
void rnn_lstm_backward_units_f32(int batch, int hidden, int u0, int u1, const float *gates,
                                 const float *tanh_c, const float *c_prev, const float *dh,
                                 const float *dc_next, float *dc_prev, float *dgates);
void rnn_gru_forward_units_f32(int batch, int hidden, int u0, int u1, float *gates,
                               const float *hproj, const float *bias_hn, const float *h_prev,
                               float *h_next, float *ghn);
void rnn_gru_backward_units_f32(int batch, int hidden, int u0, int u1, const float *gates,
                                const float *ghn, const float *h_prev, const float *dh,
                                float *dh_prev, float *dgi, float *dgh);

/// Columns [n0, n1) of the step product C = beta·C + A·B on one thread, B packed by
/// rnn_step_pack_f32; n0 must be a multiple of rnn_step_panel_width().
void rnn_step_columns_f32(int m, int n0, int n1, int k, const float *a, int lda,
                          const float *packed, float beta, float *c, int ldc);

/// Most members a team can have (the pool's workers plus the caller).
#define RK_TEAM_MAX 64

/// A barrier for the `n` members of a team (rk_team_run). Each member announces its arrival in a
/// cache line of its own (a counter of the barriers it has passed) and waits for the others'
/// counters: one cache-line transfer per pair and step instead of the three a shared counter
/// costs (at batch 1 a step computes for about a microsecond, so the barrier's latency counts).
/// Waiters spin briefly, then yield.
typedef struct {
  struct {
    _Alignas(64) atomic_uint passed;
  } member[RK_TEAM_MAX];
  int n;
} rk_barrier;

void rk_barrier_init(rk_barrier *barrier, int n);
/// Member `id` (0 ..< n) waits until every member has called this as often as it has.
void rk_barrier_wait(rk_barrier *barrier, int id);

/// Runs fn(ctx, id, n) on n threads at once (the caller is id 0), n ≤ threads: every member
/// runs exactly one call, so members may wait for each other (rk_barrier). n is 1 when the pool
/// is busy (a nested call) or no worker could be started; prepare(ctx, n) runs first, on the
/// caller, to size the work and the barrier for the n members there really are.
void rk_team_run(int threads, void (*prepare)(void *ctx, int n),
                 void (*fn)(void *ctx, int id, int n), void *ctx);

#endif
