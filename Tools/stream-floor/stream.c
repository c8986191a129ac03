// How fast can two cores read a W_hh-sized matrix once per step? The floor under batch-1 LSTM
// latency: at batch 1 a step reads all of W_hh (4H × H floats) and does 2 FLOPs per float, so the
// step time is the time to stream W_hh from wherever it lives (L2 or L3).
//
// Each of `threads` pinned threads sums its 1/threads share of a `mib`-MiB buffer with AVX2 loads,
// then waits at a barrier (like one recurrent step), `iters` times. Prints one JSON line per repeat.
// Build and run: sh Tools/stream-floor/run.sh (x86-64 with AVX2 only).
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static size_t total;
static int threads, iters;
static float *buffer;
static struct {
  _Alignas(64) atomic_int passed;
} arrived[2];
static volatile float sink;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *member(void *arg) {
  int id = (int)(long)arg;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(id, &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
  size_t n = total / threads;
  const float *p = buffer + id * n;
  __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
  for (int it = 0; it < iters; it++) {
    for (size_t i = 0; i < n; i += 32) {
      a0 = _mm256_add_ps(a0, _mm256_load_ps(p + i));
      a1 = _mm256_add_ps(a1, _mm256_load_ps(p + i + 8));
      a2 = _mm256_add_ps(a2, _mm256_load_ps(p + i + 16));
      a3 = _mm256_add_ps(a3, _mm256_load_ps(p + i + 24));
    }
    if (threads > 1) {
      atomic_store(&arrived[id].passed, it + 1);
      while (atomic_load(&arrived[1 - id].passed) < it + 1) _mm_pause();
    }
  }
  float r[8];
  _mm256_storeu_ps(r, _mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
  sink += r[0];
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: stream MIB THREADS(1|2) ITERS\n");
    return 2;
  }
  double mib = atof(argv[1]);
  threads = atoi(argv[2]);
  iters = atoi(argv[3]);
  total = (size_t)(mib * 1024 * 1024 / 4) / 64 * 64;
  buffer = aligned_alloc(64, total * 4);
  for (size_t i = 0; i < total; i++) buffer[i] = 1e-9f * (float)i;
  for (int repeat = 0; repeat < 3; repeat++) {
    atomic_store(&arrived[0].passed, 0);
    atomic_store(&arrived[1].passed, 0);
    pthread_t t[2];
    double start = now();
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, member, (void *)(long)i);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    double seconds = now() - start;
    printf("{\"mib\":%.3f,\"threads\":%d,\"us_per_pass\":%.2f,\"gb_per_s\":%.1f}\n", mib, threads,
           seconds / iters * 1e6, total * 4.0 * iters / seconds / 1e9);
  }
  return 0;
}
