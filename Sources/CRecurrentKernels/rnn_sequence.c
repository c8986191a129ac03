// Whole-sequence loops of the LSTM and the reset-after GRU, forward and backward, on a team of
// threads that stays together for all T steps (see include/rnn_pointwise.h).
//
// Why: the per-step path (RecurrentLayer's Swift loop calling rnn_step_gemm_packed_f32 and the
// *_mt pointwise kernels) hands every step to the thread pool once or twice — a wake-up and a
// join each time — and runs the pointwise pass on one thread whenever it is too small to pay
// for its own dispatch (B·H < 8192: all of config A). Here member i of the team owns the hidden
// units [u0, u1): the columns u0..u1 of every gate block of the step product and the same units
// of the pointwise pass, so within a step it needs no other member's gates. What members share
// is exchanged at one barrier per step:
//   forward:  the product of step t+1 reads all of h_t (each member wrote its units);
//   backward: the gradient product ∂L/∂h_{t-1} = dG_t · W_hh reads every gate column of dG_t.
// Buffers that cross a step without a barrier are either per step ([S, B, ·]) or per unit, so
// one member running a step ahead never touches what another still reads.
//
// Numbers: each element is computed by the same kernels with the same operation chain as the
// per-step path (rnn_step_gemm.c, rnn_pointwise.c), and unit ranges are multiples of the panel
// width (16 or 32, a multiple of every vector width), so the results equal the per-step path
// bit for bit and do not depend on the team size.
#include <string.h>

#include "rnn_internal.h"
#include "rnn_pointwise.h"

// Members a loop asks for, at most one per panel of hidden units: all threads when the step
// product is large (rnn_step_tasks) or when W_hh does not fit one core's L1 (≥ 128 KiB, H ≥ 90
// for the LSTM): a batch-1 step then streams W_hh from L2, and two members each stream half.
// (With one barrier per step and no dispatch that pays at config A: 0.20 ms instead of 0.30 ms.)
static int wanted_members(int threads, int batch, int hidden, int gates) {
  int panels = hidden / rnn_step_panel_width();
  int members = rnn_step_tasks(threads, batch, gates * hidden, hidden);
  if (4.0 * gates * hidden * (double)hidden >= 128.0 * 1024) members = threads;
  if (members > panels) members = panels;
  return members < 1 ? 1 : members;
}

// Units per member for n members: whole panels.
static int units_per_member(int hidden, int n) {
  int nr = rnn_step_panel_width();
  int panels = hidden / nr;
  return (panels + n - 1) / n * nr;
}

int rnn_sequence_supported(int hidden) {
  return hidden > 0 && hidden % rnn_step_panel_width() == 0;
}

// What both loops share, the first member of each job: sizes, the units per member and the
// team's barrier (set by prepare_loop once the team size is known).
typedef struct {
  int gru, steps, batch, hidden, chunk;
  rk_barrier barrier;
} team_loop;

static void prepare_loop(void *ctx, int n) {
  team_loop *loop = (team_loop *)ctx;
  loop->chunk = units_per_member(loop->hidden, n);
  rk_barrier_init(&loop->barrier, n);
}

static void run_loop(team_loop *loop, int threads, void (*member)(void *ctx, int id, int n)) {
  int members = wanted_members(threads, loop->batch, loop->hidden, loop->gru ? 3 : 4);
  rk_team_run(members, prepare_loop, member, loop);
}

static inline void unit_range(int id, int chunk, int hidden, int *u0, int *u1) {
  int a = id * chunk, b = a + chunk;
  if (a > hidden) a = hidden;
  if (b > hidden) b = hidden;
  *u0 = a;
  *u1 = b;
}

// Asks for every cache line of src[0 ..< count] at once: into L1 when it takes at most half of it
// (16 KiB), else into L2. Right after a barrier, half of what the next product reads was just
// written by the other members; fetched on demand in the kernel's order, those lines arrive one
// miss at a time. (Config A, 2 threads: LSTM training +6–10%, GRU +5%; B unchanged.)
static inline void prefetch_rows(const float *src, size_t count) {
  if (count * sizeof(float) <= 16 * 1024) {
    for (size_t i = 0; i < count; i += 16) __builtin_prefetch(src + i, 0, 3);
  } else {
    for (size_t i = 0; i < count; i += 16) __builtin_prefetch(src + i, 0, 2);
  }
}

// Asks for a member's units [u0, u1) of each of the G blocks of every row of rows ([B, G·H]) in
// L2: the next step's gates, a step ahead of the pointwise pass that reads them.
static inline void prefetch_units(int B, int G, int H, int u0, int u1, const float *rows) {
  for (int b = 0; b < B; b++)
    for (int k = 0; k < G; k++) {
      const float *row = rows + ((size_t)b * G + k) * H;
      for (int j = u0; j < u1; j += 16) __builtin_prefetch(row + j, 0, 2);
    }
}

// dst[b, u0..u1] = src[b, u0..u1] · mask[b, u0..u1] (recurrent dropout on h_t).
static void masked_units(int batch, int hidden, int u0, int u1, const float *src,
                         const float *mask, float *dst) {
  for (int b = 0; b < batch; b++) {
    size_t o = (size_t)b * hidden;
    for (int j = u0; j < u1; j++) dst[o + j] = src[o + j] * mask[o + j];
  }
}

static void copy_units(int hidden, int b, int u0, int u1, const float *src, float *dst) {
  size_t o = (size_t)b * hidden + u0;
  memcpy(dst + o, src + o, sizeof(float) * (size_t)(u1 - u0));
}

static void zero_gate_units(int hidden, int gates, int b, int u0, int u1, float *rows) {
  float *row = rows + (size_t)b * gates * hidden;
  for (int g = 0; g < gates; g++) memset(row + g * hidden + u0, 0, sizeof(float) * (u1 - u0));
}

// ---------------------------------------------------------------------------------------------
// Forward

typedef struct {
  team_loop loop;
  float *gates;          // [S, B, G·H]: input projections (no bias) in, activations out
  const float *bias;     // [G·H]: added to each step's projection just before the step
  const float *packed;   // W_hhᵀ packed (k = H, n = G·H)
  float *h;              // [S+1, B, H]; h[0] = initial state
  float *c;              // LSTM: [S+1, B, H]
  float *cache;          // LSTM: tanh(c_t); GRU: W_hn h + b_hn; [S, B, H]
  float *hproj;          // GRU: [B, 3H] scratch, h·W_hhᵀ of the current step
  const float *bias_hn;  // GRU: [H]
  const float *mask;     // [B, H] recurrent dropout mask or NULL
  float *h_in;           // [S, B, H] h·mask per step (when mask)
  const int *row_steps;  // [B]: real steps of each row; later steps carry the state
} forward_job;

static void forward_member(void *ctx, int id, int n) {
  (void)n;
  forward_job *f = (forward_job *)ctx;
  const int B = f->loop.batch, H = f->loop.hidden, G = f->loop.gru ? 3 : 4;
  const size_t BH = (size_t)B * H, GH = (size_t)G * H;
  int u0, u1;
  unit_range(id, f->loop.chunk, H, &u0, &u1);
  if (f->mask) {
    masked_units(B, H, u0, u1, f->h, f->mask, f->h_in);
    rk_barrier_wait(&f->loop.barrier, id);
  }
  for (int s = 0; s < f->loop.steps; s++) {
    const float *hin = (f->mask ? f->h_in : f->h) + s * BH;
    const float *h_prev = f->h + s * BH;
    float *h_next = f->h + (s + 1) * BH;
    float *g = f->gates + s * B * GH;
    if (u0 < u1) {
      prefetch_rows(hin, BH);
      if (s + 1 < f->loop.steps) prefetch_units(B, G, H, u0, u1, g + B * GH);
      // The projection's bias, added here (cache-hot, in parallel) instead of in a serial pass
      // over all S·B rows before the loop: the same single addition per element either way.
      for (int b = 0; b < B; b++)
        for (int k = 0; k < G; k++) {
          float *row = g + (size_t)b * GH + (size_t)k * H;
          const float *bias = f->bias + (size_t)k * H;
          for (int j = u0; j < u1; j++) row[j] += bias[j];
        }
      if (f->loop.gru) {
        for (int k = 0; k < G; k++)
          rnn_step_columns_f32(B, k * H + u0, k * H + u1, H, hin, H, f->packed, 0.0f, f->hproj,
                               (int)GH);
        rnn_gru_forward_units_f32(B, H, u0, u1, g, f->hproj, f->bias_hn, h_prev, h_next,
                                  f->cache + s * BH);
      } else {
        for (int k = 0; k < G; k++)
          rnn_step_columns_f32(B, k * H + u0, k * H + u1, H, hin, H, f->packed, 1.0f, g,
                               (int)GH);
        rnn_lstm_forward_units_f32(B, H, u0, u1, g, f->c + s * BH, h_next, f->c + (s + 1) * BH,
                                   f->cache + s * BH);
      }
      // Rows that have ended carry their state through.
      for (int b = 0; b < B; b++) {
        if (f->row_steps[b] > s) continue;
        copy_units(H, b, u0, u1, h_prev, h_next);
        if (!f->loop.gru) copy_units(H, b, u0, u1, f->c + s * BH, f->c + (s + 1) * BH);
      }
      if (f->mask && s + 1 < f->loop.steps)
        masked_units(B, H, u0, u1, h_next, f->mask, f->h_in + (s + 1) * BH);
    }
    if (s + 1 < f->loop.steps) rk_barrier_wait(&f->loop.barrier, id);
  }
}

void rnn_lstm_sequence_forward_f32(int threads, int steps, int batch, int hidden, float *gates,
                                   const float *bias, const float *packed_whh_t, float *h,
                                   float *c, float *tanh_c, const float *recurrent_mask,
                                   float *h_in, const int *row_steps) {
  if (steps <= 0 || batch <= 0) return;
  forward_job job = {{0, steps, batch, hidden, hidden}, gates, bias, packed_whh_t, h, c, tanh_c, NULL,
                     NULL, recurrent_mask, h_in, row_steps};
  run_loop(&job.loop, threads, forward_member);
}

void rnn_gru_sequence_forward_f32(int threads, int steps, int batch, int hidden, float *gates,
                                  const float *bias, const float *packed_whh_t,
                                  const float *bias_hn, float *h, float *ghn, float *hproj,
                                  const float *recurrent_mask, float *h_in,
                                  const int *row_steps) {
  if (steps <= 0 || batch <= 0) return;
  forward_job job = {{1, steps, batch, hidden, hidden}, gates, bias, packed_whh_t, h, NULL, ghn, hproj,
                     bias_hn, recurrent_mask, h_in, row_steps};
  run_loop(&job.loop, threads, forward_member);
}

// ---------------------------------------------------------------------------------------------
// Backward

typedef struct {
  team_loop loop;
  const float *gates;     // [S, B, G·H] activations
  const float *cache;     // LSTM: tanh(c_t); GRU: W_hn h + b_hn; [S, B, H]
  const float *h;         // [S+1, B, H] (GRU: h_{t-1} enters the pointwise pass)
  const float *c;         // LSTM: [S+1, B, H]
  const float *packed;    // W_hh packed (k = G·H, n = H)
  const float *grad_seq;  // [S, B, H] ∂L/∂output at each step, or NULL
  const float *mask;      // [B, H] recurrent dropout mask or NULL
  float *dh, *dh_prev, *dc, *dc_prev, *dh_in;  // [B, H] each
  float *dgi;             // [S, B, G·H] ∂L/∂(input projection)
  float *dgh;             // [S, B, G·H] ∂L/∂(hidden product + b_hh); = dgi for the LSTM
  const int *row_steps;
} backward_job;

static void backward_member(void *ctx, int id, int n) {
  (void)n;
  backward_job *f = (backward_job *)ctx;
  const int B = f->loop.batch, H = f->loop.hidden, G = f->loop.gru ? 3 : 4;
  const size_t BH = (size_t)B * H, GH = (size_t)G * H;
  int u0, u1;
  unit_range(id, f->loop.chunk, H, &u0, &u1);
  float *dh = f->dh, *dhp = f->dh_prev, *dc = f->dc, *dcp = f->dc_prev;
  for (int s = f->loop.steps - 1; s >= 0; s--) {
    float *dgi = f->dgi + s * B * GH;
    float *dgh = f->dgh + s * B * GH;
    const float *g = f->gates + s * B * GH;
    if (u0 < u1) {
      if (s > 0) {
        prefetch_units(B, G, H, u0, u1, g - B * GH);
        prefetch_units(B, 1, H, u0, u1, f->cache + (s - 1) * BH);
      }
      if (f->grad_seq) {
        const float *gs = f->grad_seq + s * BH;
        for (int b = 0; b < B; b++)
          for (int j = u0; j < u1; j++) dh[(size_t)b * H + j] += gs[(size_t)b * H + j];
      }
      if (f->loop.gru)
        rnn_gru_backward_units_f32(B, H, u0, u1, g, f->cache + s * BH, f->h + s * BH, dh, dhp,
                                   dgi, dgh);
      else
        rnn_lstm_backward_units_f32(B, H, u0, u1, g, f->cache + s * BH, f->c + s * BH, dh, dc,
                                    dcp, dgi);
      // Rows that had ended by step s add nothing to the gate gradients.
      for (int b = 0; b < B; b++) {
        if (f->row_steps[b] > s) continue;
        zero_gate_units(H, G, b, u0, u1, dgi);
        if (f->loop.gru) zero_gate_units(H, G, b, u0, u1, dgh);
      }
    }
    rk_barrier_wait(&f->loop.barrier, id);
    if (u0 < u1) {
      prefetch_rows(dgh, (size_t)B * GH);
      // ∂L/∂h_{t-1} through the hidden product: LSTM overwrites, GRU adds to z ⊙ dh.
      if (f->mask) {
        rnn_step_columns_f32(B, u0, u1, (int)GH, dgh, (int)GH, f->packed, 0.0f, f->dh_in, H);
        for (int b = 0; b < B; b++) {
          size_t o = (size_t)b * H;
          for (int j = u0; j < u1; j++) {
            float base = f->loop.gru ? dhp[o + j] : 0.0f;
            dhp[o + j] = base + f->dh_in[o + j] * f->mask[o + j];
          }
        }
      } else {
        rnn_step_columns_f32(B, u0, u1, (int)GH, dgh, (int)GH, f->packed, f->loop.gru ? 1.0f : 0.0f,
                             dhp, H);
      }
      for (int b = 0; b < B; b++) {
        if (f->row_steps[b] > s) continue;
        copy_units(H, b, u0, u1, dh, dhp);
        if (!f->loop.gru) copy_units(H, b, u0, u1, dc, dcp);
      }
    }
    float *t = dh;
    dh = dhp;
    dhp = t;
    t = dc;
    dc = dcp;
    dcp = t;
  }
  // The gradients of the initial states end in f->dh / f->dc.
  if (dh != f->dh && u0 < u1) {
    for (int b = 0; b < B; b++) {
      copy_units(H, b, u0, u1, dh, f->dh);
      if (!f->loop.gru) copy_units(H, b, u0, u1, dc, f->dc);
    }
  }
}

void rnn_lstm_sequence_backward_f32(int threads, int steps, int batch, int hidden,
                                    const float *gates, const float *tanh_c, const float *c,
                                    const float *packed_whh, const float *grad_seq,
                                    const float *recurrent_mask, float *dh, float *dc,
                                    float *scratch, float *dgates, const int *row_steps) {
  if (steps <= 0 || batch <= 0) return;
  size_t bh = (size_t)batch * hidden;
  backward_job job = {{0, steps, batch, hidden, hidden}, gates, tanh_c, NULL, c, packed_whh,
                      grad_seq, recurrent_mask, dh, scratch, dc, scratch + bh, scratch + 2 * bh,
                      dgates, dgates, row_steps};
  run_loop(&job.loop, threads, backward_member);
}

void rnn_gru_sequence_backward_f32(int threads, int steps, int batch, int hidden,
                                   const float *gates, const float *ghn, const float *h,
                                   const float *packed_whh, const float *grad_seq,
                                   const float *recurrent_mask, float *dh, float *scratch,
                                   float *dgi, float *dgh, const int *row_steps) {
  if (steps <= 0 || batch <= 0) return;
  size_t bh = (size_t)batch * hidden;
  backward_job job = {{1, steps, batch, hidden, hidden}, gates, ghn, h, NULL, packed_whh,
                      grad_seq, recurrent_mask, dh, scratch, NULL, NULL, scratch + bh, dgi, dgh,
                      row_steps};
  run_loop(&job.loop, threads, backward_member);
}
