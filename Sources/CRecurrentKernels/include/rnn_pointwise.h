// Fused pointwise passes of the recurrent cells (LSTM, GRU reset-after), forward and backward,
// for float. One pass per time step over the batch: the gate nonlinearities, the state update
// and everything the backward pass needs, so the step is one matrix product plus one sweep of
// memory. Chosen at run time (AVX-512, AVX2+FMA, portable) with no build flags; see
// rnn_pointwise.c. Shapes: B = batch rows, H = hidden units; gate blocks in PyTorch order.
// Matches the reference Swift loops in Sources/RecurrentLayers/Recurrent/*Cell.swift.
#ifndef RNN_POINTWISE_H
#define RNN_POINTWISE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// LSTM forward step. gates [B, 4H] holds the pre-activations (i|f|g|o) on entry and the
/// activations on exit; c' = f⊙c + i⊙g, tanh_c = tanh(c'), h' = o⊙tanh_c.
void rnn_lstm_forward_f32(int batch, int hidden, float *gates, const float *c_prev, float *h_next,
                          float *c_next, float *tanh_c);

/// LSTM backward step. From the activations, tanh(c_t), c_{t-1}, dh = ∂L/∂h_t and
/// dc_next = ∂L/∂c_t: dgates [B, 4H] = ∂L/∂(pre-activations), dc_prev = ∂L/∂c_{t-1}.
void rnn_lstm_backward_f32(int batch, int hidden, const float *gates, const float *tanh_c,
                           const float *c_prev, const float *dh, const float *dc_next,
                           float *dc_prev, float *dgates);

/// GRU (reset-after) forward step. gates [B, 3H] holds the input projection (with b_ir+b_hr,
/// b_iz+b_hz, b_in folded in) on entry and r|z|n on exit; hproj [B, 3H] = h_{t-1}·W_hhᵀ;
/// ghn [B, H] = hproj_n + b_hn is kept; h' = (1−z)⊙n + z⊙h_{t-1}.
void rnn_gru_forward_f32(int batch, int hidden, float *gates, const float *hproj,
                         const float *bias_hn, const float *h_prev, float *h_next, float *ghn);

/// GRU (reset-after) backward step: dgi [B, 3H] = ∂L/∂(input projection), dgh [B, 3H] =
/// ∂L/∂(h_{t-1}·W_hhᵀ + b_hh), dh_prev = the direct part z⊙dh of ∂L/∂h_{t-1}.
void rnn_gru_backward_f32(int batch, int hidden, const float *gates, const float *ghn,
                          const float *h_prev, const float *dh, float *dh_prev, float *dgi,
                          float *dgh);

/// The four kernels above split over up to `threads` threads by batch rows when the step is
/// large (rnn_pointwise_tasks); bit-identical to the one-thread kernels. See rnn_pointwise_mt.c.
void rnn_lstm_forward_mt_f32(int threads, int batch, int hidden, float *gates,
                             const float *c_prev, float *h_next, float *c_next, float *tanh_c);
void rnn_lstm_backward_mt_f32(int threads, int batch, int hidden, const float *gates,
                              const float *tanh_c, const float *c_prev, const float *dh,
                              const float *dc_next, float *dc_prev, float *dgates);
void rnn_gru_forward_mt_f32(int threads, int batch, int hidden, float *gates, const float *hproj,
                            const float *bias_hn, const float *h_prev, float *h_next, float *ghn);
void rnn_gru_backward_mt_f32(int threads, int batch, int hidden, const float *gates,
                             const float *ghn, const float *h_prev, const float *dh,
                             float *dh_prev, float *dgi, float *dgh);
/// The number of threads the *_mt kernels use for a step of batch × hidden units.
int rnn_pointwise_tasks(int threads, int batch, int hidden);

/// The per-step product of a recurrent layer, C[m×n] = beta·C + A[m×k]·B[k×n], row-major A and
/// C with row strides lda/ldc, beta 0 or 1, and B packed by rnn_step_pack_f32 (once per layer
/// call: it is the same matrix at every step). Splits the columns over up to `threads` threads
/// when the product is large (rnn_step_tasks); the result does not depend on `threads`.
/// See rnn_step_gemm.c.
void rnn_step_gemm_packed_f32(int threads, int m, int n, int k, const float *a, int lda,
                              const float *packed, float beta, float *c, int ldc);

/// Columns per panel of the packed layout on this CPU (32 with AVX-512, else 16).
int rnn_step_panel_width(void);
/// Floats a packed k×n matrix takes: k · (n rounded up to the panel width).
size_t rnn_step_packed_size(int k, int n);
/// Packs B (k×n; element (p, j) is b[j·ldb + p] when trans, else b[p·ldb + j]) into column
/// panels, each k × panel width contiguous, the last zero-padded. `packed` holds
/// rnn_step_packed_size(k, n) floats.
void rnn_step_pack_f32(int k, int n, const float *b, int ldb, int trans, float *packed);
/// The number of threads rnn_step_gemm_packed_f32 uses for this shape.
int rnn_step_tasks(int threads, int m, int n, int k);

/// Whole-sequence loops (rnn_sequence.c): all `steps` of an LSTM or reset-after GRU layer on a
/// team of up to `threads` threads that splits the hidden units and meets once per step, instead
/// of one thread-pool dispatch per product and pointwise pass. Results equal the per-step path
/// (rnn_step_gemm_packed_f32 + the pointwise kernels above) bit for bit, whatever `threads`.
/// Layout: S = steps in step order, state buffers [S+1, B, H] with the initial state in slot 0,
/// gate buffers [S, B, G·H]; row_steps[b] = real steps of row b (later steps carry its state and
/// its gradient through unchanged); recurrent_mask [B, H] or NULL (then h_in is unused).
/// Only for H a multiple of rnn_step_panel_width(): see rnn_sequence_supported.
int rnn_sequence_supported(int hidden);

/// Forward: gates in = input projections without their bias, bias [4H] = the projection bias
/// (added to each step's rows, as gates + bias before the step loop would); out = activations
/// (as the per-step kernels); fills h[1...S], c[1...S], tanh_c [S, B, H] and, with a mask,
/// h_in [S, B, H] = h·mask. packed_whh_t = W_hhᵀ packed by rnn_step_pack_f32 (k = H, n = 4H).
void rnn_lstm_sequence_forward_f32(int threads, int steps, int batch, int hidden, float *gates,
                                   const float *bias, const float *packed_whh_t, float *h,
                                   float *c, float *tanh_c, const float *recurrent_mask,
                                   float *h_in, const int *row_steps);
/// GRU forward: as above (bias [3H]) with ghn [S, B, H] (W_hn h + b_hn) and hproj [B, 3H]
/// scratch.
void rnn_gru_sequence_forward_f32(int threads, int steps, int batch, int hidden, float *gates,
                                  const float *bias, const float *packed_whh_t,
                                  const float *bias_hn, float *h, float *ghn, float *hproj,
                                  const float *recurrent_mask, float *h_in,
                                  const int *row_steps);
/// LSTM backward through time, newest step first. dh, dc [B, H]: ∂L/∂(final h, c) on entry,
/// ∂L/∂(initial h, c) on exit; grad_seq [S, B, H] (∂L/∂output per step, in step order) or NULL;
/// scratch 3·B·H floats; dgates [S, B, 4H] out. packed_whh = W_hh packed (k = 4H, n = H).
void rnn_lstm_sequence_backward_f32(int threads, int steps, int batch, int hidden,
                                    const float *gates, const float *tanh_c, const float *c,
                                    const float *packed_whh, const float *grad_seq,
                                    const float *recurrent_mask, float *dh, float *dc,
                                    float *scratch, float *dgates, const int *row_steps);
/// GRU backward: as above without c; h [S+1, B, H]; scratch 2·B·H; dgi and dgh [S, B, 3H].
void rnn_gru_sequence_backward_f32(int threads, int steps, int batch, int hidden,
                                   const float *gates, const float *ghn, const float *h,
                                   const float *packed_whh, const float *grad_seq,
                                   const float *recurrent_mask, float *dh, float *scratch,
                                   float *dgi, float *dgh, const int *row_steps);

/// sums[j] += Σ_r m[r·columns + j] (bias gradients over all time steps).
void rnn_add_column_sums_f32(const float *m, int rows, int columns, float *sums);

#ifdef __cplusplus
}
#endif
#endif
