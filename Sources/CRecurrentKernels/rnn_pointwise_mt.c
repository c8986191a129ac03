// The fused pointwise kernels of rnn_pointwise.c split over threads by batch rows (see
// include/rnn_pointwise.h). Every element's arithmetic is independent of the split, so the
// results equal the one-thread kernels bit for bit.
#include "CRecurrentKernels.h"
#include "rnn_pointwise.h"

enum { PW_LSTM_FWD, PW_LSTM_BWD, PW_GRU_FWD, PW_GRU_BWD };

typedef struct {
  int kind, batch, hidden, rows_per_task;
  float *p[8];     // the kernel's buffers in argument order
  int width[8];    // floats per batch row of each buffer, in units of H (0: not per row)
} pw_job;

int rnn_pointwise_tasks(int threads, int batch, int hidden) {
  // Below ~8k units a step's pointwise pass takes a few microseconds: not worth a second thread.
  if (threads <= 1 || batch < 2 || (double)batch * hidden < 8192) return 1;
  return threads < batch ? threads : batch;
}

static void pw_task(void *ctx, int index) {
  const pw_job *job = (const pw_job *)ctx;
  int r0 = index * job->rows_per_task;
  int r1 = r0 + job->rows_per_task < job->batch ? r0 + job->rows_per_task : job->batch;
  if (r0 >= r1) return;
  int n = r1 - r0, h = job->hidden;
  float *q[8];
  for (int i = 0; i < 8; i++) q[i] = job->p[i] ? job->p[i] + (size_t)r0 * job->width[i] * h : 0;
  switch (job->kind) {
    case PW_LSTM_FWD: rnn_lstm_forward_f32(n, h, q[0], q[1], q[2], q[3], q[4]); break;
    case PW_LSTM_BWD: rnn_lstm_backward_f32(n, h, q[0], q[1], q[2], q[3], q[4], q[5], q[6]); break;
    case PW_GRU_FWD: rnn_gru_forward_f32(n, h, q[0], q[1], q[2], q[3], q[4], q[5]); break;
    case PW_GRU_BWD: rnn_gru_backward_f32(n, h, q[0], q[1], q[2], q[3], q[4], q[5], q[6]); break;
  }
}

static void pw_run(pw_job *job, int threads) {
  int tasks = rnn_pointwise_tasks(threads, job->batch, job->hidden);
  job->rows_per_task = (job->batch + tasks - 1) / tasks;
  if (tasks == 1) {
    pw_task(job, 0);
    return;
  }
  rk_parallel_for(tasks, threads, pw_task, job);
}

void rnn_lstm_forward_mt_f32(int threads, int batch, int hidden, float *gates,
                             const float *c_prev, float *h_next, float *c_next, float *tanh_c) {
  pw_job job = {PW_LSTM_FWD, batch, hidden, 0,
                {gates, (float *)c_prev, h_next, c_next, tanh_c},
                {4, 1, 1, 1, 1}};
  pw_run(&job, threads);
}

void rnn_lstm_backward_mt_f32(int threads, int batch, int hidden, const float *gates,
                              const float *tanh_c, const float *c_prev, const float *dh,
                              const float *dc_next, float *dc_prev, float *dgates) {
  pw_job job = {PW_LSTM_BWD, batch, hidden, 0,
                {(float *)gates, (float *)tanh_c, (float *)c_prev, (float *)dh,
                 (float *)dc_next, dc_prev, dgates},
                {4, 1, 1, 1, 1, 1, 4}};
  pw_run(&job, threads);
}

void rnn_gru_forward_mt_f32(int threads, int batch, int hidden, float *gates, const float *hproj,
                            const float *bias_hn, const float *h_prev, float *h_next, float *ghn) {
  pw_job job = {PW_GRU_FWD, batch, hidden, 0,
                {gates, (float *)hproj, (float *)bias_hn, (float *)h_prev, h_next, ghn},
                {3, 3, 0, 1, 1, 1}};
  pw_run(&job, threads);
}

void rnn_gru_backward_mt_f32(int threads, int batch, int hidden, const float *gates,
                             const float *ghn, const float *h_prev, const float *dh,
                             float *dh_prev, float *dgi, float *dgh) {
  pw_job job = {PW_GRU_BWD, batch, hidden, 0,
                {(float *)gates, (float *)ghn, (float *)h_prev, (float *)dh, dh_prev, dgi, dgh},
                {3, 1, 1, 1, 1, 3, 3}};
  pw_run(&job, threads);
}
