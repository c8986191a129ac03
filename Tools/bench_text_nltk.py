#!/usr/bin/env python3
"""NLTK reference for `recurrent-bench text --case pipeline`: the same pipeline on the same file.

Per line: unicodedata NFC, str.lower, " ".join(split()) (= our .unicode(.nfc), .lowercase,
.collapseWhitespace), NLTK's word tokenizer on the line (word_tokenize(line, preserve_line=True):
punkt's model cannot be downloaded here, and our bench tokenizes lines the same way), then
PorterStemmer() (NLTK mode) on every token.

Prints one JSON line: decompressed input bytes / seconds (MB/s, 1e6 bytes), tokens, and a checksum
of the output (per line: CRC-32 of the stems joined by spaces; folded h = h*1000003 + crc mod 2^64)
that must equal ours. Timing excludes reading/decompressing the file and the checksum.

    ~/venvs/ref/bin/python Tools/bench_text_nltk.py [--input FILE] [--max-lines N]
"""
import argparse
import gzip
import json
import time
import unicodedata
import zlib

from nltk.stem.porter import PorterStemmer
from nltk.tokenize import word_tokenize


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", default="../shared/data/lm-gutenberg/train.txt.gz")
    ap.add_argument("--max-lines", type=int, default=0)
    args = ap.parse_args()
    opener = gzip.open if args.input.endswith(".gz") else open
    with opener(args.input, "rt", encoding="utf-8", newline="\n") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if args.max_lines:
        lines = lines[: args.max_lines]
    nbytes = sum(len(l.encode("utf-8")) + 1 for l in lines)
    stemmer = PorterStemmer()
    start = time.perf_counter()
    out = []
    for line in lines:
        line = " ".join(unicodedata.normalize("NFC", line).lower().split())
        out.append([stemmer.stem(t) for t in word_tokenize(line, preserve_line=True)])
    seconds = time.perf_counter() - start
    h = 0
    tokens = 0
    for stems in out:
        tokens += len(stems)
        h = (h * 1000003 + zlib.crc32(" ".join(stems).encode("utf-8"))) % (1 << 64)
    print(json.dumps({"bench": "text", "case": "pipeline-nltk", "input": args.input,
                      "lines": len(lines), "bytes": nbytes, "tokens": tokens,
                      "seconds": seconds, "mb_per_s": nbytes / 1e6 / seconds,
                      "checksum": "%016x" % h}))


if __name__ == "__main__":
    main()
