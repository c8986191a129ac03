#!/usr/bin/env bash
# Interleaved 2-thread throughput: ours, then PyTorch, then (optionally) Keras per config/cell, one JSON line
# each appended to OUT. Run from the repo root after `swift build -c release`.
# Usage: Tools/measure_rnn_interleaved.sh OUT ROUNDS "A B C" "lstm gru" [keras]; summary: Tools/summarize_rnn_interleaved.py OUT
# WRAP=Tools/quiet.sh pauses helper processes during each timed command only (they run in between).
out=$1; rounds=$2; configs=$3; cells=$4; keras=${5:-}
BIN=${BIN:-.build/release/recurrent-bench}
A=${ANCHOR:-../shared/anchors/lstm_throughput.py}
WRAP=${WRAP:-}
for r in $(seq 1 $rounds); do
for cfg in $configs; do
  case $cfg in
    A) args="--batch 32 --seq 50 --embed 64 --hidden 128 --vocab 10000"; steps=100;;
    B) args="--batch 64 --seq 100 --embed 128 --hidden 256 --vocab 20000"; steps=20;;
    C) args="--batch 16 --seq 200 --embed 256 --hidden 512 --vocab 20000"; steps=6;;
  esac
  for cell in $cells; do
    la=$(cut -d' ' -f1 /proc/loadavg)
    echo "{\"round\":$r,\"config\":\"$cfg\",\"who\":\"ours\",\"load\":$la,\"result\":$($WRAP $BIN rnn --cell $cell $args --steps $steps --threads 2 --json | tail -1)}" >> $out
    la=$(cut -d' ' -f1 /proc/loadavg)
    echo "{\"round\":$r,\"config\":\"$cfg\",\"who\":\"torch\",\"load\":$la,\"result\":$(OMP_NUM_THREADS=2 $WRAP ${TORCH_PY:-~/venvs/torch/bin/python} $A --framework torch --cell $cell $args --steps $steps 2>/dev/null | tail -1)}" >> $out
    if [ -n "$keras" ]; then
      la=$(cut -d' ' -f1 /proc/loadavg)
      echo "{\"round\":$r,\"config\":\"$cfg\",\"who\":\"keras\",\"load\":$la,\"result\":$($WRAP ${KERAS_PY:-~/venvs/tf/bin/python} $A --framework keras --cell $cell $args --steps $steps 2>/dev/null | tail -1)}" >> $out
    fi
  done
done
done
