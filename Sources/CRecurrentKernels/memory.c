// Process-wide allocator settings for training runs (see rk_keep_freed_memory in
// CRecurrentKernels.h).
#include "CRecurrentKernels.h"

#if defined(__GLIBC__)
#include <limits.h>
#include <malloc.h>
#endif

int rk_keep_freed_memory(void) {
#if defined(__GLIBC__)
  // Buffers up to 32 MiB (glibc's largest mmap threshold) come from the heap, and freed heap
  // memory is never handed back to the kernel, so the next step's buffers reuse it.
  int ok = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  ok &= mallopt(M_TRIM_THRESHOLD, INT_MAX);
  return ok ? 1 : 0;
#else
  return 0;
#endif
}
