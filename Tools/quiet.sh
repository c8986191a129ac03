#!/usr/bin/env bash
# Runs "$@" with the helpers' processes paused: their experiment runs and anything running from a
# helper worktree (/work/wt-*: compilers, tests). Resumed on exit.
pids=$(pgrep -f "/work/wt-|recurrent[-a-z0-9]* (sentiment|embeddings|demo)|swift-(build|test|frontend|driver)|swiftc|clang|ld.gold|xctest" | grep -v "^$$\$" | tr '\n' ' ')
# Never pause our own parent chain.
self=$$; while [ "$self" -gt 1 ]; do pids=$(echo " $pids " | sed "s/ $self / /g"); self=$(ps -o ppid= -p $self | tr -d ' '); done
[ -n "${pids// }" ] && kill -STOP $pids 2>/dev/null
trap '[ -n "${pids// }" ] && kill -CONT $pids 2>/dev/null' EXIT
"$@"
