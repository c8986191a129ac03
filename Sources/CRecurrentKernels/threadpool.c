// A small persistent pthread pool for rk_parallel_for. Workers sleep on a condition variable (no
// spinning: the machines are shared and spinning collapses under contention, as Debian's OpenMP
// OpenBLAS does). Tasks are claimed with an atomic counter; callers make every task's result
// independent of the thread that runs it, so the claim order never changes the numbers.
#include <pthread.h>
#include <stdatomic.h>

#include "CRecurrentKernels.h"

#define RK_MAX_WORKERS 63

typedef struct {
  pthread_mutex_t lock;      // guards the fields below and the condition variables
  pthread_cond_t wake;       // workers wait here for a new generation
  pthread_cond_t done;       // the caller waits here for `pending` to reach 0
  pthread_mutex_t busy;      // held by the caller that owns the pool for one job
  unsigned long generation;  // bumped once per job
  int workers;               // threads started so far
  int wanted;                // workers that take part in the current job
  int pending;               // participating workers not yet finished
  void (*fn)(void *, int);
  void *ctx;
  int count;
  atomic_int next;           // next task index to claim
} rk_pool;

static rk_pool pool = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .wake = PTHREAD_COND_INITIALIZER,
    .done = PTHREAD_COND_INITIALIZER,
    .busy = PTHREAD_MUTEX_INITIALIZER,
};

static void run_tasks(void (*fn)(void *, int), void *ctx, int count) {
  for (;;) {
    int i = atomic_fetch_add(&pool.next, 1);
    if (i >= count) break;
    fn(ctx, i);
  }
}

static void *worker_main(void *arg) {
  int id = (int)(size_t)arg;
  unsigned long seen = 0;
  pthread_mutex_lock(&pool.lock);
  // Workers are only started by a caller that then bumps the generation for a job this worker
  // takes part in (and that cannot finish without it): start one generation behind so that job
  // is seen.
  seen = pool.generation - 1;
  for (;;) {
    while (pool.generation == seen) pthread_cond_wait(&pool.wake, &pool.lock);
    seen = pool.generation;
    if (id >= pool.wanted) continue;
    void (*fn)(void *, int) = pool.fn;
    void *ctx = pool.ctx;
    int count = pool.count;
    pthread_mutex_unlock(&pool.lock);
    run_tasks(fn, ctx, count);
    pthread_mutex_lock(&pool.lock);
    if (--pool.pending == 0) pthread_cond_signal(&pool.done);
  }
  return NULL;
}

void rk_parallel_for(int count, int threads, void (*fn)(void *ctx, int index), void *ctx) {
  if (count <= 0) return;
  int helpers = threads - 1;
  if (helpers > count - 1) helpers = count - 1;
  if (helpers > RK_MAX_WORKERS) helpers = RK_MAX_WORKERS;
  if (helpers <= 0 || pthread_mutex_trylock(&pool.busy) != 0) {
    for (int i = 0; i < count; i++) fn(ctx, i);
    return;
  }
  pthread_mutex_lock(&pool.lock);
  while (pool.workers < helpers) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int ok = pthread_create(&t, &attr, worker_main, (void *)(size_t)pool.workers) == 0;
    pthread_attr_destroy(&attr);
    if (!ok) break;
    pool.workers++;
  }
  if (helpers > pool.workers) helpers = pool.workers;
  pool.fn = fn;
  pool.ctx = ctx;
  pool.count = count;
  atomic_store(&pool.next, 0);
  pool.wanted = helpers;
  pool.pending = helpers;
  pool.generation++;
  pthread_cond_broadcast(&pool.wake);
  pthread_mutex_unlock(&pool.lock);

  run_tasks(fn, ctx, count);

  pthread_mutex_lock(&pool.lock);
  while (pool.pending > 0) pthread_cond_wait(&pool.done, &pool.lock);
  pthread_mutex_unlock(&pool.lock);
  pthread_mutex_unlock(&pool.busy);
}
