#!/bin/sh
# Runs the AVX-512 code paths of CRecurrentKernels on an AVX2 machine through shim512.h (each
# 512-bit intrinsic as two 256-bit ones) and checks them (see check.c). Needs clang and AVX2.
#   sh Tools/avx512-emulation/check.sh
set -e
here=$(cd "$(dirname "$0")" && pwd)
src="$here/../../Sources/CRecurrentKernels"
out=$(mktemp -d)
files=""
# cpu.c is replaced by fake_cpu.c; other helpers' kernels (rnn_*, embeddings_*) are not checked.
for f in "$src"/*.c; do
  case "$(basename "$f")" in
    cpu.c | rnn_* | embeddings_*) ;;
    *) files="$files $f" ;;
  esac
done
clang -O2 -include "$here/shim512.h" -I"$src/include" -I"$src" "$here/check.c" "$here/fake_cpu.c" $files \
  -lm -lpthread -ldl -o "$out/check"
"$out/check"
rm -rf "$out"
