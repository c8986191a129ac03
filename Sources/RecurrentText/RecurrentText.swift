// RecurrentText: normalization, tokenizers, stop words, stemming, lemmatization, vocabularies,
// vectorizers and readers. Imports nothing else of Recurrent, so it can be used on its own.
