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
  /// The header of the Brown corpus as `../shared/data/pos-brown` ships it: a TSV whose
  /// `sentence` column holds space-separated `word/tag` tokens.
  static let brownHeader = "fileid\tcategory\tsentence"

  /// Reads UTF-8 corpora (gzip when a name ends in `.gz`) one after the other, one sentence or
  /// paragraph per line, and re-tokenizes every line as ``WordSequences`` does. A file whose
  /// first line is the Brown TSV header (`fileid`, `category`, `sentence` of `word/tag`
  /// tokens) contributes its sentences with the tags removed (split at each token's last `/`).
  public static func readCorpus(paths: [String]) throws -> EmbeddingCorpus {
    guard !paths.isEmpty else {
      throw SentimentError.invalidParameter(
        name: "corpus", value: "none", expected: "at least one corpus file")
    }
    var out: [UInt8] = []
    for path in paths { try appendLines(of: path, to: &out) }
    return EmbeddingCorpus(text: out)
  }

  /// ``readCorpus(paths:)`` of one file.
  public static func readCorpus(path: String) throws -> EmbeddingCorpus {
    try readCorpus(paths: [path])
  }

  private static func appendLines(of path: String, to out: inout [UInt8]) throws {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SentimentError.invalidParameter(
        name: "corpus", value: path, expected: "a readable UTF-8 text file (.gz accepted)")
    }
    var bytes = [UInt8](data)
    if path.hasSuffix(".gz") { bytes = try GzipDecoder.decompress(bytes, name: path) }
    let tokenizer = KerasTokenizer()
    let lines = String(decoding: bytes, as: UTF8.self).split(
      separator: "\n", omittingEmptySubsequences: false)
    let brown =
      lines.first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) == brownHeader }
      ?? false
    out.reserveCapacity(out.count + bytes.count)
    for (number, rawLine) in lines.enumerated().dropFirst(brown ? 1 : 0) where !rawLine.isEmpty {
      var line = String(rawLine)
      if brown {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 3 else {
          throw SentimentError.invalidParameter(
            name: "corpus", value: "\(path) line \(number + 1)",
            expected: "3 tab-separated fields (fileid, category, sentence) as the header says")
        }
        line = fields[2].split(separator: " ").map { token in
          token.lastIndex(of: "/").map { String(token[..<$0]) } ?? String(token)
        }.joined(separator: " ")
      }
      let tokens = tokenizer.tokens(line)
      guard !tokens.isEmpty else { continue }
      out += Array(tokens.joined(separator: " ").utf8)
      out.append(0x0A)
    }
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
