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


def tokenize_sample():
    """Real sentences: UD English-EWT (web text, `# text =` lines, every 5th of the training
    file), Gutenberg paragraphs (whole lines), Tiny Shakespeare lines, Multi30k captions."""
    texts = []
    with gzip.open(os.path.join(DATA, "pos-ud-english-ewt", "en_ewt-ud-train.conllu.gz"),
                   "rt", encoding="utf-8") as f:
        ewt = [l[len("# text = "):].rstrip("\n") for l in f if l.startswith("# text = ")]
    texts += [("ewt", t) for t in ewt[::5][:2500]]
    with gzip.open(os.path.join(DATA, "lm-gutenberg", "valid.txt.gz"), "rt", encoding="utf-8") as f:
        texts += [("gutenberg", l.rstrip("\n")) for l in f][:700]
    with open(os.path.join(DATA, "lm-tinyshakespeare", "input.txt"), encoding="utf-8") as f:
        shakespeare = [l.rstrip("\n") for l in f if l.strip()]
    texts += [("shakespeare", t) for t in shakespeare[::37][:400]]
    with gzip.open(os.path.join(DATA, "mt-multi30k", "val.en.gz"), "rt", encoding="utf-8") as f:
        texts += [("multi30k", l.rstrip("\n")) for l in f][:400]
    return texts


def make_tokenize():
    """Golden tokens from NLTK's word tokenizer on single sentences/lines: NLTKWordTokenizer,
    i.e. word_tokenize(text, preserve_line=True) — punkt's model cannot be downloaded here."""
    from nltk.tokenize import NLTKWordTokenizer, word_tokenize

    tok = NLTKWordTokenizer()
    rows = []
    for source, text in tokenize_sample():
        tokens = tok.tokenize(text)
        assert tokens == word_tokenize(text, preserve_line=True)
        rows.append(json.dumps({"source": source, "text": text, "tokens": tokens},
                               ensure_ascii=False))
    data = ("\n".join(rows) + "\n").encode("utf-8")
    write("norm_tokenize_nltk.jsonl.gz", gzip.compress(data, 9, mtime=0))


def make_entities():
    """Sources/RecurrentText/Normalization/HTMLEntities.swift: the 252 HTML 4 named character
    references (Python's html.entities.name2codepoint, from the HTML 4.01 DTDs) plus &apos;."""
    import html.entities

    table = dict(html.entities.name2codepoint)
    table["apos"] = 0x27
    items = sorted(table.items())
    lines = ["// Generated by Tools/make_text_fixtures.py entities — do not edit.",
             "// The HTML 4.01 named character references (252, as Python's",
             "// html.entities.name2codepoint) plus XML's &apos;.", "",
             "let htmlNamedEntities: [String: UInt32] = ["]
    row = "  "
    for name, cp in items:
        item = '"%s": 0x%X, ' % (name, cp)
        if len(row) + len(item) > 99:
            lines.append(row.rstrip())
            row = "  "
        row += item
    lines.append(row.rstrip())
    lines.append("]")
    path = os.path.join(ROOT, "Sources", "RecurrentText", "Normalization", "HTMLEntities.swift")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def make_normalize():
    """Reference outputs of Python's unicodedata / str / html / scikit-learn for the
    normalization steps that have one, on real lines with non-ASCII text plus crafted cases."""
    import html
    import unicodedata
    from sklearn.feature_extraction.text import strip_accents_unicode

    samples = []
    with gzip.open(os.path.join(DATA, "lm-gutenberg", "train.txt.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if any(ord(c) > 127 for c in line):
                samples.append(line[:200])
            if len(samples) >= 60:
                break
    with gzip.open(os.path.join(DATA, "mt-multi30k", "val.de.gz"), "rt", encoding="utf-8") as f:
        samples += [l.rstrip("\n") for l in f][:15]
    with gzip.open(os.path.join(DATA, "mt-multi30k", "val.fr.gz"), "rt", encoding="utf-8") as f:
        samples += [l.rstrip("\n") for l in f][:15]
    samples += [
        "Ａｂｃ ﬁ é e\u0301 Å ① ½ ㎏ Ⅻ", "İSTANBUL ß ǅ Σσς", "naïve café, résumé — Ångström",
        "tabs\tand\u00a0nbsp \u2003em  spaces\n", "  leading and trailing  ",
        "Keras filters: !\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~ end", "«guillemets» “curly” ‘single’",
        "&amp; &lt;b&gt; &eacute;t&eacute; &#233; &#xE9; &#x1F600; &copy; &nbsp;x &apos;q&apos;",
        "&#150; &#128; &#0; &unknown; & alone",
    ]
    filters = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n"
    table = str.maketrans(filters, " " * len(filters))
    rows = []
    for s in samples:
        rows.append({
            "text": s,
            "nfc": unicodedata.normalize("NFC", s),
            "nfd": unicodedata.normalize("NFD", s),
            "nfkc": unicodedata.normalize("NFKC", s),
            "nfkd": unicodedata.normalize("NFKD", s),
            "lower": s.lower(),
            "strip_accents": strip_accents_unicode(s),
            "keras_filters": s.translate(table),
            "no_punct": "".join(c for c in s if not unicodedata.category(c).startswith("P")),
            "collapse": " ".join(s.split()),
            "unescape": html.unescape(s) if "&" in s else None,
        })
    meta = {"unicodedata_version": unicodedata.unidata_version, "rows": rows}
    write("norm_normalize_golden.json", json.dumps(meta, ensure_ascii=False, indent=0) + "\n")


def make_lemmatize():
    """(word, pos) pairs from UD English-EWT training data (NOUN→n, VERB/AUX→v, ADJ→a, ADV→r;
    forms lowercased; first 3,000 distinct pairs plus every 7th exception-list entry) with
    NLTK's WordNetLemmatizer.lemmatize output.

    NLTK's wordnet corpus cannot be downloaded here, so NLTK's own code is run over the shared
    WordNet 3.0 files: WordNetLemmatizer.lemmatize and WordNetCorpusReader._morphy (unbound) are
    called with a stand-in reader holding the exception map and lemma→pos map that
    WordNetCorpusReader would load from the same files (index.* first fields = lemmas.tsv)."""
    import types
    from nltk.corpus.reader.wordnet import WordNetCorpusReader
    from nltk.stem import WordNetLemmatizer

    wn_dir = os.path.join(DATA, "preprocessing", "wordnet")
    fake = types.SimpleNamespace()
    fake.MORPHOLOGICAL_SUBSTITUTIONS = WordNetCorpusReader.MORPHOLOGICAL_SUBSTITUTIONS
    fake._exception_map = {}
    for pos, name in [("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv")]:
        fake._exception_map[pos] = {}
        with open(os.path.join(wn_dir, name + ".exc"), encoding="utf-8") as f:
            for line in f:
                terms = line.split()
                fake._exception_map[pos][terms[0]] = terms[1:]
    fake._exception_map["s"] = fake._exception_map["a"]
    fake._lemma_pos_offset_map = {}
    with open(os.path.join(wn_dir, "lemmas.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            lemma, pos = line.rstrip("\n").split("\t")
            fake._lemma_pos_offset_map.setdefault(lemma, {})[pos] = [0]
            if pos == "a":
                fake._lemma_pos_offset_map[lemma]["s"] = [0]
    wnl = WordNetLemmatizer()
    wnl._morphy = lambda form, pos, check_exceptions=True: WordNetCorpusReader._morphy(
        fake, form, pos, check_exceptions)
    assert wnl.lemmatize("churches") == "church" and wnl.lemmatize("aardwolves") == "aardwolf"
    assert wnl.lemmatize("abaci") == "abacus" and wnl.lemmatize("us") == "u"

    upos = {"NOUN": "n", "VERB": "v", "AUX": "v", "ADJ": "a", "ADV": "r"}
    pairs, seen = [], set()
    with gzip.open(os.path.join(DATA, "pos-ud-english-ewt", "en_ewt-ud-train.conllu.gz"),
                   "rt", encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 10 or cols[3] not in upos:
                continue
            key = (cols[1].lower(), upos[cols[3]])
            if key not in seen:
                seen.add(key)
                pairs.append(key)
            if len(pairs) >= 3000:
                break
    for pos in ["n", "v", "a", "r"]:
        items = sorted(fake._exception_map[pos])
        pairs += [(w, pos) for w in items[::7] if (w, pos) not in seen]
    rows = ["word\tpos\tlemma"] + ["%s\t%s\t%s" % (w, p, wnl.lemmatize(w, p)) for w, p in pairs]
    write("norm_lemmatize_nltk.tsv", "\n".join(rows) + "\n")


def make_ngrams():
    """NLTK wordpunct_tokenize / str.split / scikit-learn analyzers (word 1-3-grams, char 1-3,
    char_wb 2-4) on 149 real sentences from the tokenizer sample."""
    from nltk.tokenize import wordpunct_tokenize
    from sklearn.feature_extraction.text import CountVectorizer

    word = CountVectorizer(analyzer="word", ngram_range=(1, 3), lowercase=False,
                           token_pattern=None, tokenizer=str.split).build_analyzer()
    char = CountVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=False).build_analyzer()
    char_wb = CountVectorizer(analyzer="char_wb", ngram_range=(2, 4),
                              lowercase=False).build_analyzer()
    rows = []
    sample = tokenize_sample()
    for source, text in sample[::27][:150]:
        text = text[:160]
        rows.append(json.dumps({
            "text": text, "wordpunct": wordpunct_tokenize(text), "split": text.split(),
            "word_1_3": word(text), "char_1_3": char(text), "char_wb_2_4": char_wb(text),
        }, ensure_ascii=False))
    data = ("\n".join(rows) + "\n").encode("utf-8")
    write("norm_ngrams_golden.jsonl.gz", gzip.compress(data, 9, mtime=0))


def make_readers():
    """CSV cases parsed by Python's csv module; malformed CoNLL files; counts of the real files
    (parsed here with plain Python) for the reader tests."""
    import csv
    import io

    csv_text = ('id,text,score\r\n1,plain,0.5\n2,"with, comma",1\n3,"multi\nline ""quoted""",2\n'
                '\n4,mid"quote,3\n5,"after"close,4\n6,,\n7,"é ü 😀",5')
    write("norm_csv_cases.csv", csv_text.encode("utf-8"))
    expected = list(csv.reader(io.StringIO(csv_text, newline="")))
    expected = [r for r in expected if r]
    write("norm_conllu_malformed.conllu",
          "# text = A b.\n1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_\n"
          "2\tb\tb\tNOUN\tNN\t_\t0\troot\n3\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n")
    write("norm_conll_malformed.txt", "-DOCSTART- O\n\nEU B-ORG\nrejects O\nGerman B-MISC extra\n")

    meta = {"csv_cases": expected}
    with open(os.path.join(DATA, "sentiment-rt-polarity", "train.tsv"), encoding="utf-8",
              newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    meta["rt_train_tsv"] = {"records": len(rows), "last_text": rows[-1][1], "first_label": rows[1][0]}
    sents = tokens = words = 0
    with open(os.path.join(DATA, "pos-ud-english-ewt", "en_ewt-ud-dev.conllu"),
              encoding="utf-8") as f:
        in_sent = False
        for line in f:
            line = line.rstrip("\n")
            if not line:
                in_sent = False
                continue
            if not in_sent:
                sents += 1
                in_sent = True
            if line.startswith("#"):
                continue
            tokens += 1
            cid = line.split("\t")[0]
            words += "-" not in cid and "." not in cid
    meta["ewt_dev"] = {"sentences": sents, "tokens": tokens, "words": words}
    sents, chunks, toks = 0, 0, 0
    with gzip.open(os.path.join(DATA, "ner-conll2002", "esp.train.gz"), "rt",
                   encoding="utf-8") as f:
        cur = []
        for line in list(f) + [""]:
            cols = line.split()
            if not cols:
                if cur:
                    sents += 1
                    toks += len(cur)
                    # Chunks, reading I-X after O or another type as a start (lenient IOB2).
                    prev = "O"
                    for t in cur:
                        chunks += t.startswith("B-") or (t.startswith("I-") and prev[2:] != t[2:])
                        prev = t
                cur = []
                continue
            if cols[0] == "-DOCSTART-":
                continue
            cur.append(cols[-1])
    meta["esp_train"] = {"sentences": sents, "tokens": toks, "chunks": chunks}
    write("norm_readers_meta.json", json.dumps(meta, ensure_ascii=False, indent=1) + "\n")


def make_sentences():
    """NLTK Punkt sentence splits for 569 Gutenberg validation paragraphs (every 5th longer than 40 characters). Punkt's pretrained
    English model cannot be downloaded here, so Punkt is trained (unsupervised, NLTK's
    PunktTrainer, INCLUDE_ALL_COLLOCS) on the first 8 MB of lm-gutenberg/train — same domain.
    Takes about two minutes."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer, PunktTrainer

    with gzip.open(os.path.join(DATA, "lm-gutenberg", "train.txt.gz"), "rt",
                   encoding="utf-8") as f:
        text = f.read(8_000_000)
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    trainer.train(text, finalize=True)
    tok = PunktSentenceTokenizer(trainer.get_params())
    with gzip.open(os.path.join(DATA, "lm-gutenberg", "valid.txt.gz"), "rt",
                   encoding="utf-8") as f:
        paras = [l.rstrip("\n") for l in f]
    paras = [p for p in paras if len(p) > 40][::5][:600]
    rows = [json.dumps({"text": p, "sentences": tok.tokenize(p)}, ensure_ascii=False)
            for p in paras]
    data = ("\n".join(rows) + "\n").encode("utf-8")
    write("norm_sentences_punkt.jsonl.gz", gzip.compress(data, 9, mtime=0))


if __name__ == "__main__":
    parts = sys.argv[1:] or ["gzip", "porter", "tokenize", "normalize", "lemmatize", "ngrams", "readers", "sentences"]
    os.makedirs(FIX, exist_ok=True)
    for p in parts:
        globals()["make_" + p]()
