// Pretrained vectors as the weight matrix of an embedding layer for a tokenizer's word index
// (Keras `Tokenizer.word_index`: words → 1…n, 0 reserved for padding).

/// What a word without a vector gets.
///
/// ```swift
/// let rows = wv.embeddingMatrix(wordIndex: ["the": 1, "zyx": 2], missing: .random(scale: 0.05, seed: 1))
/// ```
public enum MissingWordPolicy: Sendable {
  /// A row of zeros.
  case zeros
  /// Uniform in [−scale, scale], drawn in word-index order from `seed`.
  case random(scale: Float, seed: UInt64)
}

extension WordVectors {
  /// `[maxIndex + 1, D]` rows: row 0 (padding) is zeros, row `i` the vector of the word with
  /// index `i`. A word the vectors lack gets its fastText subword vector when `subwords` is given
  /// and has n-grams, else the `missing` policy. Indices that no word uses stay zero.
  public func embeddingMatrix(
    wordIndex: [String: Int], missing: MissingWordPolicy = .zeros, subwords: FastTextModel? = nil
  ) -> [[Float]] {
    if let model = subwords {
      precondition(
        model.dimension == dimension, "the fastText model must have dimension \(dimension)")
    }
    let size = (wordIndex.values.max() ?? 0) + 1
    // Words by index, so that random rows never depend on dictionary iteration order.
    var byIndex = [String?](repeating: nil, count: size)
    for (word, i) in wordIndex where i > 0 && i < size {
      if let other = byIndex[i], other < word { continue }
      byIndex[i] = word
    }
    // `randomScale` is nil for `.zeros`; the generator is only drawn from when it is set.
    var randomScale: Float? = nil
    var rng = SplitMix64(seed: 0)
    if case .random(let s, let seed) = missing {
      rng = SplitMix64(seed: seed)
      randomScale = s
    }
    var rows = [[Float]](repeating: [Float](repeating: 0, count: dimension), count: size)
    for i in 1..<max(size, 1) {
      guard let word = byIndex[i] else { continue }
      if let v = vector(word) {
        rows[i] = v
      } else if let model = subwords, !model.subwordRows(word).isEmpty {
        rows[i] = model.wordVector(word)
      } else if let scale = randomScale {
        rows[i] = (0..<dimension).map { _ in (rng.nextFloat() * 2 - 1) * scale }
      }
    }
    return rows
  }
}
