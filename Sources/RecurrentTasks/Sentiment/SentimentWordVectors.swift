import Foundation
import RecurrentEmbeddings
import RecurrentText

/// Word vectors for a sentiment model, trained on an unlabeled corpus tokenized exactly as the
/// classifier tokenizes (Keras's `Tokenizer`: lower-cased, punctuation filtered), so "Film," in
/// a book and "film" in a review are one word.
///
/// With fastText, every word of `vocabularyTexts` that the corpus lacks (or saw too rarely) gets
/// its subword vector — the mean of its character n-gram rows, as fastText's
/// `print-word-vectors` — so the classifier starts from a trained vector for nearly every word.
/// Only the corpus trains the vectors; the texts contribute their word list, never their labels.
///
/// ```swift
/// var config = FastTextConfiguration()
/// config.threads = 2
/// let vectors = try SentimentWordVectors.fastText(
///   corpus: try SentimentWordVectors.readCorpus(path: "train.txt.gz"),
///   vocabularyTexts: data.texts, configuration: config)
/// try vectors.save(path: "/tmp/gut-ft.vec", format: .word2vecText)
/// ```
public enum SentimentWordVectors {
  /// Reads a UTF-8 corpus (gzip when the name ends in `.gz`), one sentence or paragraph per
  /// line, and re-tokenizes every line as ``WordSequences`` does.
  public static func readCorpus(path: String) throws -> EmbeddingCorpus {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SentimentError.invalidParameter(
        name: "corpus", value: path, expected: "a readable UTF-8 text file (.gz accepted)")
    }
    var bytes = [UInt8](data)
    if path.hasSuffix(".gz") { bytes = try GzipDecoder.decompress(bytes, name: path) }
    let tokenizer = KerasTokenizer()
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
      let tokens = tokenizer.tokens(String(line))
      guard !tokens.isEmpty else { continue }
      out += Array(tokens.joined(separator: " ").utf8)
      out.append(0x0A)
    }
    return EmbeddingCorpus(text: out)
  }

  /// Trains fastText on `corpus` and returns the vectors of its vocabulary followed by subword
  /// vectors for the other words of `vocabularyTexts` (most frequent first, ties by word).
  public static func fastText(
    corpus: EmbeddingCorpus, vocabularyTexts: [String], configuration: FastTextConfiguration
  ) throws -> WordVectors {
    let model = try FastText.train(corpus: corpus, configuration: configuration).model
    let known = model.wordVectors()
    var words = known.words
    var vectors = known.vectors
    for word in rankedWords(vocabularyTexts) where model.index[word] == nil {
      guard !model.subwordRows(word).isEmpty else { continue }
      words.append(word)
      vectors += model.wordVector(word)
    }
    return WordVectors(words: words, dimension: model.dimension, vectors: vectors)
  }

  /// Trains word2vec (skip-gram or CBOW) on `corpus`; no vectors for unseen words.
  public static func word2vec(corpus: EmbeddingCorpus, configuration: Word2VecConfiguration)
    throws -> WordVectors
  {
    try Word2Vec.train(corpus: corpus, configuration: configuration).0
  }

  /// The distinct words of `texts` as ``WordSequences`` tokenizes them, by count descending
  /// then word ascending.
  static func rankedWords(_ texts: [String]) -> [String] {
    let tokenizer = KerasTokenizer()
    var counts: [String: Int] = [:]
    for text in texts {
      for token in tokenizer.tokens(text) { counts[token, default: 0] += 1 }
    }
    return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
  }
}
