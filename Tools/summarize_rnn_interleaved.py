#!/usr/bin/env python3
import json,sys,collections
# Summarizes the JSON lines written by Tools/measure_rnn_interleaved.sh: medians and ratios per config/cell.
rows=[json.loads(l) for l in open(sys.argv[1]) if l.strip()]
d=collections.defaultdict(list)
for r in rows:
    res=r['result']; d[(r['config'],res.get('cell'),r['who'])].append((res.get('train_tokens_per_s'),res.get('latency_b1_ms'),r['load']))
import statistics as st
keys=sorted({(c,cell) for (c,cell,w) in d})
print("config cell | ours tok/s | torch tok/s | keras tok/s | ours/torch | ours/keras | ours b1 | torch b1 | b1 ratio | loads")
for c,cell in keys:
    o=d.get((c,cell,'ours'),[]); t=d.get((c,cell,'torch'),[]); k=d.get((c,cell,'keras'),[])
    med=lambda xs,i: st.median([x[i] for x in xs]) if xs else float('nan')
    print(f"{c} {cell} | {[round(x[0]) for x in o]} | {[round(x[0]) for x in t]} | {[round(x[0]) for x in k]} | {med(o,0)/med(t,0):.2f} | {(med(o,0)/med(k,0)) if k else float('nan'):.2f} | {[round(x[1],3) for x in o]} | {[round(x[1],3) for x in t]} | {med(o,1)/med(t,1):.2f} | {[x[2] for x in o+t+k]}")
