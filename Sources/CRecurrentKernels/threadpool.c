// A small persistent pthread pool for rk_parallel_for. Tasks are claimed with an atomic counter;
// callers make every task's result independent of the thread that runs it, so the claim order
// never changes the numbers.
//
// Waiting: a recurrent layer calls rk_parallel_for once per time step for a product of tens of
// microseconds, with a few microseconds of single-threaded work in between, so a worker that
// goes to sleep after each job pays a futex wake-up (often more than the job) at every step.
// Workers and the caller therefore spin for a short, bounded time (RK_SPIN_ROUNDS pause
// instructions, tens of microseconds) before sleeping on a condition variable. The bound keeps
// the shared-machine behaviour: unlike an OpenMP runtime's long spin (Debian's OpenBLAS
// collapses under contention that way), an idle pool stops burning CPU almost at once.
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "CRecurrentKernels.h"
#include "rnn_internal.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RK_PAUSE() _mm_pause()
#else
#define RK_PAUSE() ((void)0)
#endif

// Spin rounds before sleeping: the first RK_PAUSE_ROUNDS are pause instructions (well under a
// microsecond each); every later one yields the CPU, so on a busy machine the waiting thread
// hands its core to whoever is runnable (our other thread included) instead of burning it, and
// on a quiet one sched_yield returns at once and the wait stays a spin.
#define RK_SPIN_ROUNDS 300
#define RK_PAUSE_ROUNDS 100

static inline void rk_spin_round(int i) {
  if (i < RK_PAUSE_ROUNDS)
    RK_PAUSE();
  else
    sched_yield();
}

#define RK_MAX_WORKERS 63

// How long a team member waits at a barrier before it starts yielding: ≈ 25 µs at 2.5 GHz.
#define RK_BARRIER_SPIN_CYCLES (1ull << 16)

typedef struct {
  pthread_mutex_t lock;      // guards the fields below and the condition variables
  pthread_cond_t wake;       // workers wait here for a new generation
  pthread_cond_t done;       // the caller waits here for `pending` to reach 0
  pthread_mutex_t busy;      // held by the caller that owns the pool for one job
  atomic_ulong generation;   // bumped once per job (under `lock`; read without it to spin)
  int workers;               // threads started so far
  int wanted;                // workers that take part in the current job
  atomic_int pending;        // participating workers not yet finished
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
  seen = atomic_load(&pool.generation) - 1;
  pthread_mutex_unlock(&pool.lock);
  for (;;) {
    for (int i = 0; i < RK_SPIN_ROUNDS && atomic_load_explicit(&pool.generation,
                                                              memory_order_acquire) == seen;
         i++)
      rk_spin_round(i);
    pthread_mutex_lock(&pool.lock);
    while (atomic_load(&pool.generation) == seen) pthread_cond_wait(&pool.wake, &pool.lock);
    seen = atomic_load(&pool.generation);
    int take_part = id < pool.wanted;
    void (*fn)(void *, int) = pool.fn;
    void *ctx = pool.ctx;
    int count = pool.count;
    pthread_mutex_unlock(&pool.lock);
    if (!take_part) continue;
    run_tasks(fn, ctx, count);
    if (atomic_fetch_sub(&pool.pending, 1) == 1) {
      pthread_mutex_lock(&pool.lock);
      pthread_cond_signal(&pool.done);
      pthread_mutex_unlock(&pool.lock);
    }
  }
  return NULL;
}

// Takes the pool for one job with up to `helpers` workers (starting them on first use): returns
// the number of workers that will take part, or -1 when another caller owns the pool (a nested
// call), in which case the caller runs alone.
static int pool_acquire(int helpers) {
  if (helpers > RK_MAX_WORKERS) helpers = RK_MAX_WORKERS;
  if (pthread_mutex_trylock(&pool.busy) != 0) return -1;
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
  pthread_mutex_unlock(&pool.lock);
  return helpers;
}

// Runs `count` tasks on the caller and `helpers` workers (pool_acquire's count), waits for
// them and releases the pool.
static void pool_dispatch(int helpers, int count, void (*fn)(void *, int), void *ctx) {
  pthread_mutex_lock(&pool.lock);
  pool.fn = fn;
  pool.ctx = ctx;
  pool.count = count;
  atomic_store(&pool.next, 0);
  pool.wanted = helpers;
  atomic_store(&pool.pending, helpers);
  atomic_fetch_add_explicit(&pool.generation, 1, memory_order_release);
  pthread_cond_broadcast(&pool.wake);
  pthread_mutex_unlock(&pool.lock);

  run_tasks(fn, ctx, count);

  for (int i = 0; i < RK_SPIN_ROUNDS && atomic_load_explicit(&pool.pending,
                                                            memory_order_acquire) > 0;
       i++)
    rk_spin_round(i);
  if (atomic_load(&pool.pending) > 0) {
    pthread_mutex_lock(&pool.lock);
    while (atomic_load(&pool.pending) > 0) pthread_cond_wait(&pool.done, &pool.lock);
    pthread_mutex_unlock(&pool.lock);
  }
  pthread_mutex_unlock(&pool.busy);
}

void rk_parallel_for(int count, int threads, void (*fn)(void *ctx, int index), void *ctx) {
  if (count <= 0) return;
  int helpers = threads - 1;
  if (helpers > count - 1) helpers = count - 1;
  if (helpers > 0) helpers = pool_acquire(helpers);
  if (helpers <= 0) {
    if (helpers == 0) pthread_mutex_unlock(&pool.busy);
    for (int i = 0; i < count; i++) fn(ctx, i);
    return;
  }
  pool_dispatch(helpers, count, fn, ctx);
}

// ---------------------------------------------------------------------------------------------
// Teams: one call per member, all running at once.

typedef struct {
  void (*fn)(void *, int, int);
  void *ctx;
  int n;
} team_job;

static void team_task(void *ctx, int index) {
  const team_job *job = (const team_job *)ctx;
  job->fn(job->ctx, index, job->n);
}

void rk_team_run(int threads, void (*prepare)(void *ctx, int n),
                 void (*fn)(void *ctx, int id, int n), void *ctx) {
  int helpers = threads > 1 ? pool_acquire(threads - 1) : -1;
  if (helpers <= 0) {
    if (helpers == 0) pthread_mutex_unlock(&pool.busy);
    prepare(ctx, 1);
    fn(ctx, 0, 1);
    return;
  }
  prepare(ctx, helpers + 1);
  // Each of the helpers + 1 threads claims one task index. A member never claims a second one:
  // its call cannot return before every member has reached the team's barriers, i.e. before
  // every index is claimed.
  team_job job = {fn, ctx, helpers + 1};
  pool_dispatch(helpers, helpers + 1, team_task, &job);
}

void rk_barrier_init(rk_barrier *barrier, int n) {
  barrier->n = n < RK_TEAM_MAX ? n : RK_TEAM_MAX;
  for (int i = 0; i < barrier->n; i++) atomic_store(&barrier->member[i].passed, 0);
}

void rk_barrier_wait(rk_barrier *barrier, int id) {
  if (barrier->n <= 1) return;
  // Only member `id` writes its own counter, so a relaxed read of it is exact.
  unsigned target =
      atomic_load_explicit(&barrier->member[id].passed, memory_order_relaxed) + 1;
  atomic_store_explicit(&barrier->member[id].passed, target, memory_order_release);
  for (int other = 0; other < barrier->n; other++) {
    if (other == id) continue;
    // Spin (a step's imbalance is microseconds): pause for up to RK_BARRIER_SPIN_CYCLES, then
    // yield, so a member that lost its core gets it back on a busy machine. Yielding early
    // costs a system call per round, which at batch 1 (steps of ~2 µs) was a third of the loop.
    // The difference is compared as signed so the counters may wrap.
#if defined(__x86_64__) || defined(__i386__)
    unsigned long long start = __rdtsc();
    while ((int)(atomic_load_explicit(&barrier->member[other].passed, memory_order_acquire) -
                 target) < 0) {
      if (__rdtsc() - start < RK_BARRIER_SPIN_CYCLES)
        RK_PAUSE();
      else
        sched_yield();
    }
#else
    for (int i = 0; (int)(atomic_load_explicit(&barrier->member[other].passed,
                                               memory_order_acquire) -
                          target) < 0;) {
      rk_spin_round(i);
      if (i < RK_PAUSE_ROUNDS) i++;
    }
#endif
  }
}
