#!/usr/bin/env python3
"""Makes the RecurrentText test fixtures (Tests/RecurrentTextTests/Fixtures/norm_*).

Run from the repository root:  ~/venvs/ref/bin/python Tools/make_text_fixtures.py [part ...]
Parts: gzip (zlib/gzip from the Python standard library are the reference decoders' encoders).
Real data comes from ../shared/data (see its READMEs); nothing is downloaded.
"""
import gzip
import json
import os
import struct
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIX = os.path.join(ROOT, "Tests", "RecurrentTextTests", "Fixtures")
DATA = os.path.join(ROOT, "..", "shared", "data")


def write(name, data):
    path = os.path.join(FIX, name)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode, **({} if mode == "wb" else {"encoding": "utf-8", "newline": ""})) as f:
        f.write(data)


def deflate_raw(data, level=9, strategy=zlib.Z_DEFAULT_STRATEGY):
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    return c.compress(data) + c.flush()


def gzip_member(data, level=9, strategy=zlib.Z_DEFAULT_STRATEGY, flags=0, extra=b"", name=b"",
                comment=b""):
    """A gzip member (RFC 1952) built by hand so every optional header field can be exercised."""
    header = bytearray(b"\x1f\x8b\x08") + bytes([flags]) + struct.pack("<I", 0) + b"\x00\x03"
    if flags & 0x04:
        header += struct.pack("<H", len(extra)) + extra
    if flags & 0x08:
        header += name + b"\x00"
    if flags & 0x10:
        header += comment + b"\x00"
    if flags & 0x02:
        header += struct.pack("<H", zlib.crc32(bytes(header)) & 0xFFFF)
    body = deflate_raw(data, level, strategy)
    trailer = struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)
    return bytes(header) + body + trailer


def make_gzip():
    # A real text sample: the first 100 lines of Gutenberg's validation split (public domain).
    with gzip.open(os.path.join(DATA, "lm-gutenberg", "valid.txt.gz"), "rb") as f:
        lines = f.read().split(b"\n")[:100]
    plain = b"\n".join(lines) + b"\n"
    write("norm_gzip_plain.txt", plain)
    write("norm_gzip_dynamic.gz", gzip_member(plain, 9))
    write("norm_gzip_fixed.gz", gzip_member(plain, 6, zlib.Z_FIXED))
    write("norm_gzip_stored.gz", gzip_member(plain, 0))
    write("norm_gzip_huffman_only.gz", gzip_member(plain, 6, zlib.Z_HUFFMAN_ONLY))
    write("norm_gzip_headers.gz",
          gzip_member(plain, 9, flags=0x02 | 0x04 | 0x08 | 0x10, extra=b"AB\x02\x00xy",
                      name=b"plain.txt", comment=b"fixture"))
    half = len(plain) // 2
    cut = plain.rindex(b"\n", 0, half) + 1
    write("norm_gzip_multimember.gz",
          gzip_member(plain[:cut], 9) + gzip_member(plain[cut:], 1) + gzip_member(b"", 9))
    dyn = gzip_member(plain, 9)
    write("norm_gzip_truncated.gz", dyn[: len(dyn) * 2 // 3])
    bad = bytearray(dyn)
    bad[-8] ^= 0xFF  # corrupt the stored CRC-32
    write("norm_gzip_badcrc.gz", bytes(bad))
    write("norm_gzip_trailing.gz", dyn + b"garbage!")
    # Long-range repeats over more than the 256 KiB output window: exercises 32 KiB distances,
    # window compaction and the CRC across compactions. Expected length and CRC from zlib.
    block = b"".join(b"%06d the quick brown fox %d\n" % (i, i * 7919 % 1000) for i in range(1000))
    big = b"".join(block[i % 7:] + block[: i % 7] for i in range(10))
    write("norm_gzip_long.gz", gzip_member(big, 9))
    # Invalid UTF-8 and CRLF line ends in plain text (line reader).
    write("norm_lines_invalid_utf8.txt",
          b"caf\xc3\xa9\r\nbad \xff byte\nok\ntrunc \xe2\x82\nlast without newline")
    meta = {
        "long": {"bytes": len(big), "crc32": zlib.crc32(big) & 0xFFFFFFFF,
                 "lines": big.count(b"\n")},
        "truncated_compressed_bytes": len(dyn) * 2 // 3,
    }
    write("norm_gzip_meta.json", json.dumps(meta, indent=1) + "\n")


def make_porter():
    """All 23,531 words of Martin Porter's test vocabulary with the three expected outputs (from
    ../shared/data/preprocessing/porter, NLTK's porter_test files), gzipped. NLTK's
    PorterStemmer is run here too and must agree with the files it ships."""
    from nltk.stem.porter import PorterStemmer

    d = os.path.join(DATA, "preprocessing", "porter")

    def lines(name):
        with open(os.path.join(d, name), encoding="utf-8") as f:
            return f.read().split("\n")[:-1]

    voc = lines("voc.txt")
    cols = [lines("output_original.txt"), lines("output_martin.txt"), lines("output_nltk.txt")]
    modes = [PorterStemmer.ORIGINAL_ALGORITHM, PorterStemmer.MARTIN_EXTENSIONS,
             PorterStemmer.NLTK_EXTENSIONS]
    for mode, col in zip(modes, cols):
        st = PorterStemmer(mode)
        bad = sum(st.stem(w) != want for w, want in zip(voc, col))
        assert bad == 0, (mode, bad)
    rows = ["word\toriginal\tmartin\tnltk"] + ["\t".join(r) for r in zip(voc, *cols)]
    data = ("\n".join(rows) + "\n").encode("utf-8")
    write("norm_porter_vocabulary.tsv.gz", gzip.compress(data, 9, mtime=0))


if __name__ == "__main__":
    parts = sys.argv[1:] or ["gzip", "porter"]
    os.makedirs(FIX, exist_ok=True)
    for p in parts:
        globals()["make_" + p]()
