#!/usr/bin/env python3
"""Golden fixtures for RecurrentText's vectorizers (Tests/RecurrentTextTests/Fixtures/vec_*.json).

Two halves, each run with the venv that holds the reference library:

    ~/venvs/tf/bin/python  Tools/make_vectorizer_fixtures.py keras    # Tokenizer, TextVectorization, pad_sequences
    ~/venvs/ref/bin/python Tools/make_vectorizer_fixtures.py sklearn  # CountVectorizer, TfidfVectorizer

The rt-polarity parts read ../shared/data/sentiment-rt-polarity (rt-polarity.pos then .neg, split on
"\n", trailing empty line dropped) and keep only summaries (sizes, hashes, samples, ~50 full rows),
so the committed files stay small. Hash: FNV-1a 64 over the UTF-8 bytes of the words joined by "\n".
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "RecurrentTextTests", "Fixtures")
DATA = os.path.join(HERE, "..", "..", "shared", "data", "sentiment-rt-polarity")

# A dozen sentences: punctuation, capitals, ties, non-ASCII, tabs, an empty document.
SMALL = [
    "The movie was great, great fun!",
    "The plot was thin; the acting was not great.",
    "I loved it -- truly loved it.",
    "Boring.  Boring.  BORING!",
    "It's a film about Café life in Zürich, ÉCOLE de cinéma.",
    "",
    "what a waste of 2 hours ... a_b and x_y",
    "the best film of the year\tand the worst\nfilm of the decade",
    "great acting, great plot, great fun",
    "not bad, not good: just a movie",
    "½ star? no, 3½ stars -- naïve but sweet",
    "film film film movie movie the",
]
HELD_OUT = [
    "a great new film nobody saw",
    "the zzz qqq",
    "",
    "Boring movie, boring plot, boring BORING",
]
# Sample documents whose full rows are stored for the rt-polarity checks.
RT_SAMPLE = list(range(0, 10662, 218))[:50]


def fnv1a64(words):
    h = 0xCBF29CE484222325
    for b in "\n".join(words).encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


def read_rt():
    docs = []
    for name in ("rt-polarity.pos", "rt-polarity.neg"):
        with open(os.path.join(DATA, name), encoding="utf-8") as f:
            lines = f.read().split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        docs += lines
    return docs


def write(name, obj):
    path = os.path.join(FIXTURES, name)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=None, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, path)
    print("wrote", os.path.relpath(path), os.path.getsize(path), "bytes")


# ----------------------------------------------------------------------------------------- keras
def keras_part():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras
    import numpy as np
    import tensorflow as tf
    from tensorflow.keras.preprocessing.text import Tokenizer

    impl = Tokenizer.__module__ + ".Tokenizer"
    assert "legacy" in impl, impl

    def tokenizer_case(name, **kw):
        tok = Tokenizer(**kw)
        tok.fit_on_texts(SMALL)
        seqs = tok.texts_to_sequences(SMALL + HELD_OUT)
        probe = [[1, 2, 3, 999, 0], [], list(range(len(tok.word_index) + 2))]
        case = dict(
            name=name,
            options={k: v for k, v in kw.items()},
            word_index=sorted(tok.word_index.items(), key=lambda kv: kv[1]),
            word_counts=list(tok.word_counts.items()),
            word_docs=sorted(tok.word_docs.items()),
            document_count=tok.document_count,
            sequences=seqs,
            probe=probe,
            probe_texts=tok.sequences_to_texts(probe),
            matrices={},
        )
        for mode in ("binary", "count", "tfidf", "freq"):
            m = tok.texts_to_matrix(SMALL + HELD_OUT, mode=mode)
            rows, cols = np.nonzero(m)
            case["matrices"][mode] = dict(shape=list(m.shape), entries=[
                [int(i), int(j), float(m[i, j])] for i, j in zip(rows, cols)])
        return case

    tokenizer = dict(
        impl=impl,
        keras=keras.__version__,
        texts=SMALL,
        held_out=HELD_OUT,
        cases=[
            tokenizer_case("default"),
            tokenizer_case("num_words_5", num_words=5),
            tokenizer_case("num_words_6_oov", num_words=6, oov_token="<OOV>"),
            tokenizer_case("oov_only", oov_token="<OOV>"),
            tokenizer_case("no_lower_no_filters", lower=False, filters=""),
            tokenizer_case("split_comma", split=","),
            tokenizer_case("char_level", char_level=True),
        ],
    )
    if os.path.isdir(DATA):
        docs = read_rt()
        tok = Tokenizer()
        tok.fit_on_texts(docs)
        words = [w for w, _ in sorted(tok.word_index.items(), key=lambda kv: kv[1])]
        tok2 = Tokenizer(num_words=5000, oov_token="<OOV>")
        tok2.fit_on_texts(docs)
        sample = [docs[i] for i in RT_SAMPLE]
        m = tok2.texts_to_matrix(sample[:8], mode="tfidf")
        tokenizer["rt_polarity"] = dict(
            documents=len(docs),
            vocabulary_size=len(words),
            first_words=words[:300],
            words_hash=fnv1a64(words),
            total_count=int(sum(tok.word_counts.values())),
            sample_indices=RT_SAMPLE,
            sequences=tok.texts_to_sequences(sample),
            oov_sequences=tok2.texts_to_sequences(sample),
            tfidf_rows=[[[int(j), float(r[j])] for j in np.nonzero(r)[0]] for r in m],
        )
    write("vec_keras_tokenizer.json", tokenizer)

    # TextVectorization
    tv_texts = SMALL + [
        "b a c", "a b", "École ÉCOLE école x\u00a0y z\u2003w", "it's don't [UNK] ab aa",
        "tabs\tand\x0bvertical\x0cfeeds\rreturns",
    ]

    def tv_case(name, **kw):
        layer = keras.layers.TextVectorization(**kw)
        layer.adapt(tv_texts)
        out = layer(tv_texts + HELD_OUT).numpy()
        return dict(name=name, options=kw, vocabulary=[str(v) for v in layer.get_vocabulary()],
                    outputs=out.tolist())

    tv = dict(
        keras=keras.__version__,
        texts=tv_texts,
        held_out=HELD_OUT,
        cases=[
            tv_case("default"),
            tv_case("max_tokens_8_len_6", max_tokens=8, output_sequence_length=6),
            tv_case("len_3", output_sequence_length=3),
            tv_case("ngrams_2", ngrams=2),
            tv_case("ngrams_2_only", ngrams=(2,), max_tokens=12, output_sequence_length=5),
            tv_case("multi_hot", output_mode="multi_hot", max_tokens=10),
            tv_case("count", output_mode="count"),
            tv_case("count_ngrams", output_mode="count", ngrams=2, max_tokens=15),
            tv_case("tf_idf", output_mode="tf_idf"),
            tv_case("tf_idf_max", output_mode="tf_idf", max_tokens=9, ngrams=(1, 2)),
            tv_case("standardize_lower", standardize="lower"),
            tv_case("standardize_strip", standardize="strip_punctuation", output_mode="count"),
            tv_case("characters_raw", standardize=None, split="character", max_tokens=30,
                    output_sequence_length=12),
        ],
    )
    if os.path.isdir(DATA):
        docs = read_rt()
        layer = keras.layers.TextVectorization(output_sequence_length=40)
        layer.adapt(docs)
        vocab = [str(v) for v in layer.get_vocabulary()]
        sample = [docs[i] for i in RT_SAMPLE]
        tv["rt_polarity"] = dict(
            vocabulary_size=len(vocab),
            first_words=vocab[:300],
            words_hash=fnv1a64(vocab),
            sample_indices=RT_SAMPLE,
            outputs=layer(sample).numpy().tolist(),
        )
    write("vec_text_vectorization.json", tv)

    # pad_sequences
    from keras.utils import pad_sequences

    ragged = [[1, 2, 3], [4], [], [5, 6, 7, 8, 9, 10], [11, 12]]
    cases = []
    for maxlen in (None, 1, 2, 4, 8):  # maxlen=0 raises inside Keras 3.15
        for padding in ("pre", "post"):
            for truncating in ("pre", "post"):
                for dtype, value in (("int32", 0), ("int32", -1), ("float32", 0.5)):
                    out = pad_sequences(ragged, maxlen=maxlen, padding=padding,
                                        truncating=truncating, dtype=dtype, value=value)
                    cases.append(dict(maxlen=maxlen, padding=padding, truncating=truncating,
                                      dtype=dtype, value=value, shape=list(out.shape),
                                      output=out.tolist()))
    empty = pad_sequences([[], []])
    write("vec_pad_sequences.json", dict(keras=keras.__version__, sequences=ragged, cases=cases,
                                         all_empty_shape=list(empty.shape)))


# --------------------------------------------------------------------------------------- sklearn
STOP = ["the", "a", "of", "and", "was", "it"]
ANALYZER_TEXTS = [
    "İstanbul İİ Straße", "e\u0301cole école", "ΟΔΟΣ ΣΟΦΟΣ ΣΣ Σ. ΑΣ'Σ ὈΔΥΣΣΕΎΣ",
    "x² ٣٤ 日本語テキスト ǅa ß ẞX ﬁne", "_a__ a_ __ 3_", "Ⅻ ⅻb ½½ a½",
    "tab\u00a0nbsp\u2003em\u3000ideographic", "a\u200db zero\u200bwidth", "", "  ",
    "Don't STOP-me now!! 42 is the answer.", "naïve CAFÉ Zürich",
]
COUNT_OPTIONS = ("tokenizer", "token_pattern", "ngram_range", "min_df", "max_df", "max_features", "binary", "lowercase",
                 "stop_words")


def sklearn_part():
    import numpy as np
    import sklearn
    from sklearn.feature_extraction.text import (ENGLISH_STOP_WORDS, CountVectorizer,
                                                 TfidfVectorizer)

    def csr(x):
        x = x.tocsr()
        x.sort_indices()
        return dict(shape=list(x.shape), indptr=x.indptr.tolist(), indices=x.indices.tolist(),
                    data=[float(v) for v in x.data])

    def case(name, kind, **kw):
        cls = CountVectorizer if kind == "count" else TfidfVectorizer
        vec = cls(**kw)
        fitted = vec.fit_transform(SMALL)
        def option(v):
            if v is str.split:
                return "str.split"
            return list(v) if isinstance(v, tuple) else v

        out = dict(name=name, kind=kind, options={k: option(v) for k, v in kw.items()},
                   features=vec.get_feature_names_out().tolist(),
                   fit_transform=csr(fitted), transform=csr(vec.transform(HELD_OUT)))
        if kind == "tfidf" and kw.get("use_idf", True):
            out["idf"] = vec.idf_.tolist()
        if kw.get("max_features"):
            # Ties at the cut-off are broken by numpy's unstable argsort; keep cases untied.
            counter = {k: v for k, v in kw.items() if k in COUNT_OPTIONS and k != "max_features"}
            totals = np.asarray(CountVectorizer(**counter)
                                .fit_transform(SMALL).sum(axis=0)).ravel()
            totals = sorted(totals, reverse=True)
            assert totals[kw["max_features"] - 1] != totals[kw["max_features"]], name
        return out

    cases = [
        case("count_default", "count"),
        case("count_bigrams_binary", "count", ngram_range=(1, 2), binary=True),
        case("count_23_min_df_2", "count", ngram_range=(2, 3), min_df=2),
        case("count_max_df_float", "count", max_df=0.25, min_df=0.1),
        case("count_stop_no_lower", "count", stop_words=STOP, lowercase=False),
        case("count_max_features", "count", max_features=4),
        case("count_stop_bigrams", "count", stop_words=STOP, ngram_range=(1, 2), max_df=3),
        case("tfidf_default", "tfidf"),
        case("tfidf_sublinear_l1_nosmooth", "tfidf", sublinear_tf=True, smooth_idf=False,
             norm="l1"),
        case("tfidf_no_idf_no_norm", "tfidf", use_idf=False, norm=None),
        case("tfidf_bigrams_max_df_int", "tfidf", ngram_range=(1, 2), max_df=2),
        case("tfidf_binary_max_features", "tfidf", binary=True, max_features=4),
        case("tfidf_english_stop_words", "tfidf", stop_words="english", ngram_range=(1, 2)),
        # A caller's tokenizer (as NB-SVM setups use): str.split after lower-casing.
        case("count_split_tokenizer", "count", tokenizer=str.split, token_pattern=None,
             ngram_range=(1, 2)),
        case("tfidf_split_tokenizer_no_lower", "tfidf", tokenizer=str.split, token_pattern=None,
             lowercase=False, sublinear_tf=True),
    ]
    errors = []
    for texts, kw in ((SMALL, dict(min_df=12)), (SMALL, dict(min_df=0.95)),
                      (SMALL, dict(max_df=0.01)), (SMALL, dict(min_df=3, max_df=2)),
                      (["the a", "", "of it"], dict(stop_words=STOP)), (["", " ."], {})):
        try:
            CountVectorizer(**kw).fit(texts)
            errors.append(dict(texts=texts, options=kw, error=None))
        except ValueError as e:
            errors.append(dict(texts=texts, options=kw, error=str(e)))
    # The default analyzer on Unicode corner cases: Python's \w (letters, numbers, "_"; not
    # combining marks), full lower-casing (İ → i + U+0307) and the final-sigma rule.
    analyze = CountVectorizer().build_analyzer()
    analyze_bigrams = CountVectorizer(ngram_range=(1, 3), lowercase=False).build_analyzer()
    analyzer_cases = [dict(text=t, lower=t.lower(), lowercase=analyze(t),
                           bigrams_no_lower=analyze_bigrams(t))
                      for t in ANALYZER_TEXTS]
    small = dict(sklearn=sklearn.__version__, texts=SMALL, held_out=HELD_OUT, stop_words=STOP,
                 cases=cases, errors=errors, analyzer=analyzer_cases,
                 english_stop_words=sorted(ENGLISH_STOP_WORDS))
    write("vec_sklearn_small.json", small)

    if not os.path.isdir(DATA):
        print("rt-polarity not found at", DATA, "- skipping vec_sklearn_rt.json")
        return
    docs = read_rt()

    def summary(name, cls, **kw):
        vec = cls(**kw)
        x = vec.fit_transform(docs).tocsr()
        x.sort_indices()
        feats = vec.get_feature_names_out().tolist()
        step = max(1, len(feats) // 200)
        sample_feats = list(range(0, len(feats), step))
        # Position-sensitive checksum: sum over entries of value * (1 + (column * 31 + row) % 1009).
        rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
        weights = 1 + (x.indices.astype(np.int64) * 31 + rows) % 1009
        out = dict(
            name=name, kind="count" if cls is CountVectorizer else "tfidf",
            options={k: (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()},
            vocabulary_size=len(feats), nnz=int(x.nnz),
            features_hash=fnv1a64(feats),
            value_sum=float(x.data.sum()), value_square_sum=float((x.data ** 2).sum()),
            weighted_sum=float((x.data * weights).sum()),
            feature_sample=[[i, feats[i]] for i in sample_feats],
            sample_indices=RT_SAMPLE,
            rows=[[[int(j), float(v)] for j, v in zip(x.indices[x.indptr[i]:x.indptr[i + 1]],
                                                      x.data[x.indptr[i]:x.indptr[i + 1]])]
                  for i in RT_SAMPLE],
        )
        if out["kind"] == "tfidf" and kw.get("use_idf", True):
            out["idf_sample"] = [float(vec.idf_[i]) for i in sample_feats]
        return out

    rt = dict(sklearn=sklearn.__version__, documents=len(docs), cases=[
        summary("tfidf_bigrams", TfidfVectorizer, ngram_range=(1, 2)),
        summary("count_default", CountVectorizer),
        summary("tfidf_pruned_sublinear", TfidfVectorizer, min_df=2, max_df=0.5,
                sublinear_tf=True, norm="l1"),
    ])
    write("vec_sklearn_rt.json", rt)


if __name__ == "__main__":
    os.makedirs(FIXTURES, exist_ok=True)
    part = sys.argv[1] if len(sys.argv) > 1 else ""
    if part == "keras":
        keras_part()
    elif part == "sklearn":
        sklearn_part()
    else:
        sys.exit("usage: make_vectorizer_fixtures.py keras|sklearn")
