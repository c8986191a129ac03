#!/bin/sh
# Streaming floor for batch-1 recurrent steps (see stream.c): W_hh of config A (H 128: 0.25 MiB),
# B (H 256: 1 MiB) and C (H 512: 4 MiB) for the LSTM, read by 1 and 2 threads.
set -e
dir=$(dirname "$0")
cc -O2 -mavx2 -pthread "$dir/stream.c" -o /tmp/recurrent-stream-floor
for mib in 0.25 1 4; do
  for threads in 1 2; do /tmp/recurrent-stream-floor $mib $threads 2000; done
done
