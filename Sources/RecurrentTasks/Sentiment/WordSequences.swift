import RecurrentText

/// Word-id sequences for the recurrent models: Keras's `Tokenizer` (default filters, lower-case,
/// split on spaces) ranks the words, the `vocabularySize - 2` most frequent keep their own id,
/// every other word maps to the out-of-vocabulary id 1, and each text becomes exactly
/// `maxLength` ids padded with 0 at the end and truncated at the end.
///
/// Difference from Keras's defaults: padding and truncation are `post` (Keras: `pre`), so the
/// mask of `Embedding(maskZero: true)` marks a prefix of each row and `Bidirectional` reads every
/// sentence from its real last word backwards.
///
/// ```swift
/// let words = WordSequences(fitting: texts, vocabularySize: 20_000, maxLength: 50)
/// let ids = words.transform(["a great film"])   // [[5, 212, 19, 0, 0, ...]]
/// ```
public struct WordSequences: Sendable, Codable, Equatable {
  /// The token id of words outside the vocabulary.
  public static let oovID = 1
  /// Words in id order: `words[k]` has id `k + 2`.
  public let words: [String]
  /// The number of ids, including padding (0) and OOV (1).
  public var vocabularySize: Int { words.count + 2 }
  /// The length of every sequence.
  public let maxLength: Int

  /// Ranks the words of `texts` as Keras's `Tokenizer.fit_on_texts` does and keeps the
  /// `vocabularySize - 2` most frequent.
  public init(fitting texts: [String], vocabularySize: Int, maxLength: Int) {
    precondition(vocabularySize >= 3 && maxLength >= 1, "checked by SentimentOptions")
    var tokenizer = KerasTokenizer()
    tokenizer.fitOnTexts(texts)
    let ranked = tokenizer.wordIndex.sorted { $0.value < $1.value }.map(\.key)
    self.words = Array(ranked.prefix(vocabularySize - 2))
    self.maxLength = maxLength
  }

  /// The padded id rows of `texts`, `[texts.count, maxLength]`.
  public func transform(_ texts: [String]) -> [[Int32]] {
    let tokenizer = KerasTokenizer()
    let ids = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($1, Int32($0 + 2)) })
    let rows = texts.map { text in
      tokenizer.tokens(text).map { ids[$0] ?? Int32(WordSequences.oovID) }
    }
    return padSequences(rows, maxlen: maxLength, padding: .post, truncating: .post)
  }
}
