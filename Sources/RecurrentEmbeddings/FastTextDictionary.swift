// What fastText's Dictionary (facebookresearch/fastText src/dictionary.cc) makes of a corpus, and
// the two tables its trainer derives from it:
//   - readWord returns the end-of-line token `</s>` for every newline (empty lines included), so
//     `</s>` is an ordinary vocabulary word: counted, kept by min count, trained as centre and
//     context word (with no character n-grams), and drawn as a negative;
//   - ntokens_ counts every token read, words under min count and `</s>` included; it is the
//     denominator of the subsampling frequency and of the training length (epoch × ntokens_);
//   - getLine stops after `</s>` or after more than MAX_LINE_SIZE (1024) in-vocabulary tokens; a
//     word outside the vocabulary is skipped before either check, so when `</s>` itself falls
//     under min count, lines run on across newlines;
//   - pdiscard = √(t/f) + t/f with f = count / ntokens_ (in `real`, i.e. Float);
//   - the negative table holds word i ⌈√count_i · 10⁷ / Σ√count⌉ times.

/// A corpus as fastText's dictionary reads it: the vocabulary with `</s>`, the token stream of
/// in-vocabulary ids with `</s>` at each newline, and fastText's token count.
///
/// ```swift
/// let corpus = EmbeddingCorpus(text: Array("a b a\nb a\n".utf8))
/// let dict = try FastTextDictionary(corpus: corpus, minCount: 1)
/// dict.vocabulary.words  // ["a", "</s>", "b"]
/// dict.tokenCount  // 7 (5 words + 2 newlines)
/// ```
public struct FastTextDictionary: Sendable {
  /// fastText's end-of-line token.
  public static let endOfLine = "</s>"

  /// Kept words (count descending, then UTF-8 bytes), `</s>` among them when frequent enough.
  public let vocabulary: WordVocabulary
  /// fastText's `ntokens_`: every corpus token plus one `</s>` per newline.
  public let tokenCount: Int
  /// Row of `</s>`, or nil when min count dropped it.
  public let endOfLineID: Int32?
  /// In-vocabulary tokens in corpus order, `</s>` included, as vocabulary rows.
  public let stream: [Int32]

  /// Reads `corpus` as fastText does with `-minCount minCount`.
  public init(corpus: EmbeddingCorpus, minCount: Int) throws {
    var words = corpus.words
    var counts = corpus.counts
    // A literal "</s>" in the text is the same dictionary entry as the newline token.
    if let literal = words.firstIndex(of: Self.endOfLine) {
      counts[literal] += corpus.lineEnds.count
    } else if !corpus.lineEnds.isEmpty {
      words.append(Self.endOfLine)
      counts.append(corpus.lineEnds.count)
    }
    let vocabulary = try WordVocabulary(words: words, counts: counts, minCount: minCount)
    self.vocabulary = vocabulary
    tokenCount = corpus.tokenCount + corpus.lineEnds.count
    let eos = vocabulary.index[Self.endOfLine].map(Int32.init)
    endOfLineID = eos

    let mapping = vocabulary.corpusMapping
    var stream: [Int32] = []
    stream.reserveCapacity(tokenCount)
    var next = 0
    func copyTokens(upTo end: Int) {
      while next < end {
        let id = mapping[Int(corpus.tokens[next])]
        if id >= 0 { stream.append(id) }
        next += 1
      }
    }
    for end in corpus.lineEnds {
      copyTokens(upTo: end)
      if let eos { stream.append(eos) }
    }
    copyTokens(upTo: corpus.tokenCount)  // a last line without a newline gets no `</s>`
    self.stream = stream
  }

  /// fastText's keep probability per word, `√(t/f) + t/f` (`pdiscard_`; a token is dropped when
  /// a uniform draw exceeds it).
  public func keepProbabilities(sample t: Double) -> [Float] {
    vocabulary.counts.map { count in
      let f = Float(count) / Float(tokenCount)
      return Float((t / Double(f)).squareRoot() + t / Double(f))
    }
  }

  /// How many slots of fastText's negative table (10⁷ nominal) each word fills:
  /// ⌈√count · size / Σ√count⌉, computed in Float as NegativeSamplingLoss does.
  public func negativeTableCounts(tableSize: Int = 10_000_000) -> [Int] {
    var z: Float = 0
    for c in vocabulary.counts { z = Float(Double(z) + Double(c).squareRoot()) }
    return vocabulary.counts.map { c in
      let share = Float(Double(c).squareRoot()) * Float(tableSize) / z
      // Slots j = 0, 1, … while Float(j) < share.
      return Int(share.rounded(.up))
    }
  }
}
