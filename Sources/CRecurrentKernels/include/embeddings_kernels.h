// Kernels behind RecurrentEmbeddings (word2vec / fastText training and vector queries).
//
// Each entry point picks AVX-512, AVX2+FMA or portable code at run time with
// __builtin_cpu_supports; no build flags are needed. Rows are `dim` contiguous floats.
#ifndef C_RECURRENT_EMBEDDINGS_KERNELS_H
#define C_RECURRENT_EMBEDDINGS_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// 2 when AVX-512F is used, 1 for AVX2+FMA, 0 for the portable loops.
int rk_emb_isa(void);

/// Hints the CPU to load a row of `dim` floats into the cache (for writing).
void rk_emb_prefetch(const float *row, int dim);

/// Σ a[i]·b[i] over n floats.
float rk_emb_dot(const float *a, const float *b, int n);

/// y += alpha · x over n floats.
void rk_emb_axpy(float alpha, const float *x, float *y, int n);

/// x *= alpha over n floats.
void rk_emb_scale(float alpha, float *x, int n);

/// Binary-logistic updates of one hidden vector against `count` output rows (word2vec's negative
/// sampling and hierarchical softmax, fastText's `binaryLogistic`). For each k:
///   f = hidden · out[rows[k]];  s = σ(f) read from `table` (size `table_size`, over ±max_exp);
///   g = (labels[k] − s) · alpha;  grad += g · out[rows[k]];  out[rows[k]] += g · hidden.
/// When |f| ≥ max_exp the pair is skipped if `saturate` is 0 (gensim) or s is 0 / 1 (fastText).
void rk_emb_logistic(const float *hidden, float *out, const int32_t *rows, const float *labels,
                     int count, int dim, float alpha, const float *table, int table_size,
                     float max_exp, int saturate, float *grad);

/// scores[r] = rows[r] · query for r in 0..<count (rows are `dim` apart).
void rk_emb_gemv(const float *rows, const float *query, float *scores, int count, int dim);

/// Atomically adds `value` to `*counter` and returns the new value (relaxed order: a shared
/// progress counter read by Hogwild threads, as fastText's std::atomic tokenCount_).
int64_t rk_emb_atomic_add(int64_t *counter, int64_t value);

/// Atomically reads `*counter` (relaxed order).
int64_t rk_emb_atomic_load(const int64_t *counter);

#ifdef __cplusplus
}
#endif
#endif
