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
    try self.init(
      words: corpus.words, counts: corpus.counts, minCount: minCount, maxFinalVocab: maxFinalVocab)
  }

  /// The same rule over distinct `words` with their `counts` (ids are positions in `words`).
  init(words allWords: [String], counts allCounts: [Int], minCount: Int, maxFinalVocab: Int? = nil)
    throws
  {
    guard minCount >= 1 else {
      throw EmbeddingsError.invalidArgument("minCount must be at least 1, received \(minCount)")
    }
    var minimum = minCount
    if let maxFinal = maxFinalVocab {
      guard maxFinal > 0 else {
        throw EmbeddingsError.invalidArgument(
          "maxFinalVocab must be positive, received \(maxFinal)")
      }
      if maxFinal < allCounts.count {
        let sorted = allCounts.sorted(by: >)
        minimum = max(minimum, sorted[maxFinal] + 1)
      }
    }
    effectiveMinCount = minimum
    let utf8 = allWords.map { Array($0.utf8) }
    var kept = allCounts.indices.filter { allCounts[$0] >= minimum }
    kept.sort { a, b in
      let ca = allCounts[a]
      let cb = allCounts[b]
      if ca != cb { return ca > cb }
      return utf8[a].lexicographicallyPrecedes(utf8[b])
    }
    guard !kept.isEmpty else {
      throw EmbeddingsError.emptyVocabulary(minCount: minimum, distinctWords: allCounts.count)
    }
    words = kept.map { allWords[$0] }
    counts = kept.map { allCounts[$0] }
    var mapping = [Int32](repeating: -1, count: allCounts.count)
    var index: [String: Int] = [:]
    index.reserveCapacity(kept.count)
    for (row, id) in kept.enumerated() {
      mapping[id] = Int32(row)
      index[allWords[id]] = row
    }
    self.index = index
    corpusMapping = mapping
  }

  /// Number of kept words.
  public var count: Int { words.count }
  /// Sum of the kept words' counts.
  public var totalCount: Int { counts.reduce(0, +) }
}
