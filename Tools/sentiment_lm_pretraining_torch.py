#!/usr/bin/env python3
"""PyTorch reference for `recurrent sentiment pretrain` and the BiLSTM it initializes (issue #6).

Run (venv with torch and numpy; 2 threads):
  python Tools/sentiment_lm_pretraining_torch.py speed --corpus ../shared/data/lm-gutenberg/valid.txt.gz --vectors /tmp/gut-ft100.vec
  python Tools/sentiment_lm_pretraining_torch.py cv MODE --vectors /tmp/gut-ft100.vec --data /tmp/rt-all.tsv --folds 5
    MODE: rand (BiLSTM over the vectors, random LSTM weights), pre (LSTMs from the Gutenberg
    language models), elmo (frozen language-model states concatenated to the tuned vectors),
    ulm (pre, then both language models fine-tuned 3 epochs on the fold's training texts).

The language models are those of LanguageModelEncoder.swift: Keras-tokenized text as one
stream cut into 50-token pieces, frozen word vectors (a zero vector for words without one),
nn.LSTM(D, 64), nn.Linear(64, 10000) over the 9,999 most frequent corpus words plus one class for
all others, cross-entropy, Adam(2e-3), clip_grad_norm_(1.0), batches of 64, one epoch. The
classifier mirrors `recurrent sentiment cv --model bilstm --ensemble 1`: 20,000-word vocabulary
of the training fold, embedding from the vectors (fine-tuned), BiLSTM 64, last states, dropout
0.5, Adam(1e-3), batch 32, early stopping on the last 10% (patience 2, best weights). Folds: a
seeded shuffle (not the Swift tool's fold draw), the same for every MODE.
Prints one JSON line at the end.
"""
import argparse, gzip, json, os, random, time
from collections import Counter

import numpy as np
import torch
import torch.nn as nn

FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
TABLE = str.maketrans({c: ' ' for c in FILTERS})
H, K, T, B = 64, 10000, 50, 64


def tokens(line):
    return line.lower().translate(TABLE).split()


def load_vec(path):
    with open(path, encoding='utf-8') as f:
        f.readline()
        words, rows = [], []
        for line in f:
            parts = line.rstrip('\n').split(' ')
            words.append(parts[0])
            rows.append(np.array(parts[1:], dtype=np.float32))
    table = np.vstack([np.zeros((1, len(rows[0])), np.float32), np.stack(rows)])
    return {w: i + 1 for i, w in enumerate(words)}, table


def read_stream(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt', encoding='utf-8') as f:
        return [w for line in f for w in tokens(line)]


def lm_train(stream, direction, widx, table, epochs=1, init=None, k=K, max_batches=None):
    counts = Counter(stream)
    top = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k - 1]]
    tidx = {w: i + 1 for i, w in enumerate(top)}
    ids = np.array([widx.get(w, 0) for w in stream], np.int64)
    tg = np.array([tidx.get(w, 0) for w in stream], np.int64)
    if direction == 'bwd':
        ids, tg = ids[::-1].copy(), tg[::-1].copy()
    n = (len(ids) - 1) // T
    X = torch.from_numpy(ids[:n * T].reshape(n, T))
    Y = torch.from_numpy(tg[1:n * T + 1].reshape(n, T))
    emb = nn.Embedding.from_pretrained(torch.from_numpy(table), freeze=True)
    lstm = nn.LSTM(table.shape[1], H, batch_first=True)
    if init is not None:
        lstm.load_state_dict(init)
    head = nn.Linear(H, k)
    params = list(lstm.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=2e-3)
    g = torch.Generator().manual_seed(1)
    tot, cnt, seen = 0.0, 0, 0
    for _ in range(epochs):
        perm = torch.randperm(n, generator=g)
        tot, cnt = 0.0, 0
        for s in range(0, n, B):
            if max_batches is not None and cnt >= max_batches:
                break
            idx = perm[s:s + B]
            out, _ = lstm(emb(X[idx]))
            loss = nn.functional.cross_entropy(head(out).reshape(-1, k), Y[idx].reshape(-1))
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            tot += loss.item()
            cnt += 1
            seen += idx.numel() * T
    return {k_: v.clone() for k_, v in lstm.state_dict().items()}, float(np.exp(tot / cnt)), seen


def rev_pad(e, lengths):
    return torch.stack([torch.cat([r[:l].flip(0), r[l:]]) for r, l in zip(e, lengths)])


class Classifier(nn.Module):
    def __init__(self, table, static, pre=None, elmo=None, gid=None):
        super().__init__()
        d = table.shape[1]
        self.emb = nn.Embedding.from_pretrained(torch.from_numpy(table), freeze=False,
                                                padding_idx=0)
        self.elmo = elmo
        if elmo is not None:
            self.gid = gid
            self.gemb = nn.Embedding.from_pretrained(torch.from_numpy(static), freeze=True)
            self.lf, self.lb = nn.LSTM(d, H, batch_first=True), nn.LSTM(d, H, batch_first=True)
            self.lf.load_state_dict(elmo[0])
            self.lb.load_state_dict(elmo[1])
            for p in list(self.lf.parameters()) + list(self.lb.parameters()):
                p.requires_grad_(False)
        din = d + (2 * H if elmo is not None else 0)
        self.f, self.b = nn.LSTM(din, H, batch_first=True), nn.LSTM(din, H, batch_first=True)
        if pre is not None:
            self.f.load_state_dict(pre[0])
            self.b.load_state_dict(pre[1])
        self.drop = nn.Dropout(0.5)
        self.out = nn.Linear(2 * H, 1)

    def run(self, lstm, x, lengths):
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True,
                                                   enforce_sorted=False)
        out, (h, _) = lstm(packed)
        return out, h[0]

    def forward(self, x, lengths):
        e = self.emb(x)
        if self.elmo is not None:
            with torch.no_grad():
                g = self.gemb(self.gid[x])
                of, _ = self.run(self.lf, g, lengths)
                of, _ = nn.utils.rnn.pad_packed_sequence(of, batch_first=True,
                                                         total_length=x.shape[1])
                ob, _ = self.run(self.lb, rev_pad(g, lengths), lengths)
                ob, _ = nn.utils.rnn.pad_packed_sequence(ob, batch_first=True,
                                                         total_length=x.shape[1])
            e = torch.cat([e, of, rev_pad(ob, lengths)], 2)
        _, hf = self.run(self.f, e, lengths)
        _, hb = self.run(self.b, rev_pad(e, lengths), lengths)
        return self.out(self.drop(torch.cat([hf, hb], 1))).squeeze(1)


def encode(texts, vocab):
    rows = [([vocab.get(w, 1) for w in tokens(t)][-50:] or [1]) for t in texts]
    X = torch.zeros(len(rows), 50, dtype=torch.long)
    for i, r in enumerate(rows):
        X[i, :len(r)] = torch.tensor(r)
    return X, torch.tensor([len(r) for r in rows])


def train_eval(train, test, widx, static, pre, elmo, seed):
    c = Counter(w for _, t in train for w in tokens(t))
    words = [w for w, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:19998]]
    vocab = {w: i + 2 for i, w in enumerate(words)}
    rng = np.random.RandomState(seed)
    table = rng.uniform(-0.05, 0.05, (len(vocab) + 2, static.shape[1])).astype(np.float32)
    table[0] = 0
    gid = torch.zeros(len(vocab) + 2, dtype=torch.long)
    for w, i in vocab.items():
        if w in widx:
            table[i] = static[widx[w]]
            gid[i] = widx[w]
    torch.manual_seed(seed)
    m = Classifier(table, static, pre=pre, elmo=elmo, gid=gid)
    opt = torch.optim.Adam([p for p in m.parameters() if p.requires_grad], lr=1e-3)
    X, L = encode([t for _, t in train], vocab)
    Y = torch.tensor([float(y) for y, _ in train])
    nv = len(train) // 10
    best, state, bad = float('inf'), None, 0
    g = torch.Generator().manual_seed(seed)
    for _ in range(10):
        m.train()
        perm = torch.randperm(len(X) - nv, generator=g)
        for s in range(0, len(perm), 32):
            i = perm[s:s + 32]
            loss = nn.functional.binary_cross_entropy_with_logits(m(X[i], L[i]), Y[i])
            opt.zero_grad()
            loss.backward()
            opt.step()
        m.eval()
        with torch.no_grad():
            vl = nn.functional.binary_cross_entropy_with_logits(m(X[-nv:], L[-nv:]), Y[-nv:]).item()
        if vl < best:
            best, bad, state = vl, 0, {k: v.clone() for k, v in m.state_dict().items()}
        else:
            bad += 1
            if bad >= 2:
                break
    m.load_state_dict(state)
    m.eval()
    Xt, Lt = encode([t for _, t in test], vocab)
    with torch.no_grad():
        p = torch.sigmoid(m(Xt, Lt)).numpy()
    return float(np.mean((p > 0.5) == np.array([int(y) for y, _ in test])))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('what', choices=['speed', 'cv'])
    ap.add_argument('mode', nargs='?', default='rand', choices=['rand', 'pre', 'elmo', 'ulm'])
    ap.add_argument('--corpus', default='../shared/data/lm-gutenberg/train.txt.gz')
    ap.add_argument('--vectors', required=True)
    ap.add_argument('--data', default='/tmp/rt-all.tsv')
    ap.add_argument('--folds', type=int, default=5)
    ap.add_argument('--cache', default='/tmp/lm-pretraining-torch')
    ap.add_argument('--threads', type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    widx, static = load_vec(args.vectors)
    stream = read_stream(args.corpus)
    if args.what == 'speed':
        start = time.time()
        seen = 0
        for direction in ('fwd', 'bwd'):
            seen += lm_train(stream, direction, widx, static)[2]
        seconds = time.time() - start
        print(json.dumps({'framework': 'pytorch', 'tokens': len(stream), 'trained_tokens': seen,
                          'seconds': seconds, 'tokens_per_second': seen / seconds,
                          'threads': args.threads}))
        return
    os.makedirs(args.cache, exist_ok=True)
    lms = []
    for direction in ('fwd', 'bwd'):
        path = os.path.join(args.cache, direction + '.pt')
        if not os.path.exists(path):
            torch.save(lm_train(stream, direction, widx, static)[0], path)
        lms.append(torch.load(path))
    lines = open(args.data, encoding='utf-8').read().split('\n')[1:]
    data = [l.split('\t', 1) for l in lines if l]
    order = list(range(len(data)))
    random.Random(1).shuffle(order)
    accs = []
    for fold in range(args.folds):
        held = set(order[fold::10])
        train = [data[i] for i in order if i not in held]
        test = [data[i] for i in sorted(held)]
        pre = elmo = None
        if args.mode == 'pre':
            pre = lms
        elif args.mode == 'elmo':
            elmo = lms
        elif args.mode == 'ulm':
            texts = [w for _, t in train for w in tokens(t)]
            pre = [lm_train(texts, d, widx, static, epochs=3, init=lm, k=5000)[0]
                   for d, lm in zip(('fwd', 'bwd'), lms)]
        accs.append(train_eval(train, test, widx, static, pre, elmo, seed=1))
        print(args.mode, 'fold', fold, round(accs[-1], 4), flush=True)
    print(json.dumps({'mode': args.mode, 'fold_accuracies': accs,
                      'accuracy': float(np.mean(accs))}))


if __name__ == '__main__':
    main()
