#!/bin/sh
# Writes the embedding-training text for `recurrent sentiment vectors` (issue #6): every line of
# lm-gutenberg (train, valid and test: none of it is sentiment data) followed by every Brown
# sentence with its tags stripped (a word may contain '/', so split on the last one).
# Usage: Tools/sentiment_embedding_corpus.sh [DATA_DIR] > /tmp/gut-brown.txt
set -eu
DATA=${1:-../shared/data}
for split in train valid test; do
  gzip -dc "$DATA/lm-gutenberg/$split.txt.gz"
done
gzip -dc "$DATA/pos-brown/brown.tsv.gz" | tail -n +2 | cut -f 3 |
  sed -E 's#/[^ /]+( |$)#\1#g'
