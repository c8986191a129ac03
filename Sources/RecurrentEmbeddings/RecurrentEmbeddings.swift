// RecurrentEmbeddings: word2vec (skip-gram, CBOW) and fastText training, vector file formats,
// similarity queries and evaluation.
import RecurrentText
