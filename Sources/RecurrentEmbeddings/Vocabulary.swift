// The trained vocabulary: words kept by min count (and max final vocabulary), ordered by count
// descending then by the word's UTF-8 bytes, so that the order never depends on hashing.

/// Words kept for training, most frequent first.
///
/// ```swift
/// let corpus = EmbeddingCorpus(text: Array("a b a c a b".utf8))
/// let vocab = try WordVocabulary(corpus: corpus, minCount: 2)
/// vocab.words  // ["a", "b"]
/// ```
public struct WordVocabulary: Sendable {
  /// Kept words, count descending then UTF-8 byte order.
  public let words: [String]
  /// Corpus count of each kept word.
  public let counts: [Int]
  /// Word → row.
  public let index: [String: Int]
  /// The min count actually applied (raised by `maxFinalVocab` as gensim does).
  public let effectiveMinCount: Int
  /// Corpus word id → vocabulary id, or -1 when the word was dropped.
  let corpusMapping: [Int32]

  /// Keeps words seen at least `minCount` times; with `maxFinalVocab`, raises the min count to
  /// one more than the count of the `(maxFinalVocab + 1)`-th most frequent word (gensim's rule).
  public init(corpus: EmbeddingCorpus, minCount: Int = 5, maxFinalVocab: Int? = nil) throws {
    guard minCount >= 1 else {
      throw EmbeddingsError.invalidArgument("minCount must be at least 1, received \(minCount)")
    }
    var minimum = minCount
    if let maxFinal = maxFinalVocab {
      guard maxFinal > 0 else {
        throw EmbeddingsError.invalidArgument(
          "maxFinalVocab must be positive, received \(maxFinal)")
      }
      if maxFinal < corpus.counts.count {
        let sorted = corpus.counts.sorted(by: >)
        minimum = max(minimum, sorted[maxFinal] + 1)
      }
    }
    effectiveMinCount = minimum
    let utf8 = corpus.words.map { Array($0.utf8) }
    var kept = corpus.counts.indices.filter { corpus.counts[$0] >= minimum }
    kept.sort { a, b in
      let ca = corpus.counts[a]
      let cb = corpus.counts[b]
      if ca != cb { return ca > cb }
      return utf8[a].lexicographicallyPrecedes(utf8[b])
    }
    guard !kept.isEmpty else {
      throw EmbeddingsError.emptyVocabulary(minCount: minimum, distinctWords: corpus.counts.count)
    }
    words = kept.map { corpus.words[$0] }
    counts = kept.map { corpus.counts[$0] }
    var mapping = [Int32](repeating: -1, count: corpus.counts.count)
    var index: [String: Int] = [:]
    index.reserveCapacity(kept.count)
    for (row, id) in kept.enumerated() {
      mapping[id] = Int32(row)
      index[corpus.words[id]] = row
    }
    self.index = index
    corpusMapping = mapping
  }

  /// Number of kept words.
  public var count: Int { words.count }
  /// Sum of the kept words' counts.
  public var totalCount: Int { counts.reduce(0, +) }
}
