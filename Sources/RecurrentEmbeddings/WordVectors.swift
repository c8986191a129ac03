// Word vectors and the queries gensim's `KeyedVectors` answers: cosine similarity, most similar
// (3CosAdd analogies), most_similar_cosmul (3CosMul), doesn't-match.
import CRecurrentKernels

/// A table of word vectors `[V, D]`, most frequent word first when it came from training.
///
/// ```swift
/// let wv = try WordVectors.load(path: "vectors.txt")
/// let best = try wv.mostSimilar(positive: ["king", "woman"], negative: ["man"], topN: 1)
/// ```
public struct WordVectors: Sendable {
  /// Row → word.
  public let words: [String]
  /// D.
  public let dimension: Int
  /// `[V, D]` row-major.
  public let vectors: [Float]
  /// Corpus counts when known (training), else nil.
  public let counts: [Int]?
  /// Word → row (the first row when a file repeats a word, as gensim).
  public let index: [String: Int]
  /// Euclidean norm of each row.
  public let norms: [Float]

  /// Wraps `vectors` (`words.count × dimension` floats).
  public init(words: [String], dimension: Int, vectors: [Float], counts: [Int]? = nil) {
    precondition(
      vectors.count == words.count * dimension, "vectors must hold words.count × dimension")
    self.words = words
    self.dimension = dimension
    self.vectors = vectors
    self.counts = counts
    var index: [String: Int] = [:]
    index.reserveCapacity(words.count)
    for (row, word) in words.enumerated() where index[word] == nil { index[word] = row }
    self.index = index
    norms = vectors.withUnsafeBufferPointer { v in
      (0..<words.count).map { r in
        let row = v.baseAddress! + r * dimension
        return rk_emb_dot(row, row, Int32(dimension)).squareRoot()
      }
    }
  }

  /// V.
  public var count: Int { words.count }

  /// The vector of `word`, or nil.
  public func vector(_ word: String) -> [Float]? {
    guard let row = index[word] else { return nil }
    return Array(vectors[(row * dimension)..<((row + 1) * dimension)])
  }

  /// The unit-length vector of row `row` (zero stays zero).
  func unitVector(row: Int) -> [Float] {
    let n = norms[row]
    let start = row * dimension
    return (0..<dimension).map { n > 0 ? vectors[start + $0] / n : 0 }
  }

  func row(of word: String) throws -> Int {
    guard let row = index[word] else { throw EmbeddingsError.unknownWord(word) }
    return row
  }

  /// Cosine similarity of two words.
  public func similarity(_ a: String, _ b: String) throws -> Float {
    let ra = try row(of: a)
    let rb = try row(of: b)
    let d = vectors.withUnsafeBufferPointer { v in
      rk_emb_dot(v.baseAddress! + ra * dimension, v.baseAddress! + rb * dimension, Int32(dimension))
    }
    let n = norms[ra] * norms[rb]
    return n > 0 ? d / n : 0
  }

  /// Cosine of `query` with every row in `0..<limit`.
  func cosines(_ query: [Float], limit: Int) -> [Float] {
    var scores = [Float](repeating: 0, count: limit)
    vectors.withUnsafeBufferPointer { v in
      query.withUnsafeBufferPointer { q in
        scores.withUnsafeMutableBufferPointer { s in
          rk_emb_gemv(v.baseAddress, q.baseAddress, s.baseAddress, Int32(limit), Int32(dimension))
        }
      }
    }
    let qn = query.reduce(0) { $0 + $1 * $1 }.squareRoot()
    for r in 0..<limit {
      let n = norms[r] * qn
      scores[r] = n > 0 ? scores[r] / n : 0
    }
    return scores
  }

  /// The `topN` words most similar to the mean of the unit vectors of `positive` minus those of
  /// `negative` (gensim `most_similar`; with one positive and one negative pair this is 3CosAdd).
  /// Input words are never returned; `restrictVocab` searches only the first rows.
  public func mostSimilar(
    positive: [String], negative: [String] = [], topN: Int = 10, restrictVocab: Int? = nil
  ) throws -> [(word: String, similarity: Float)] {
    guard !positive.isEmpty || !negative.isEmpty else {
      throw EmbeddingsError.invalidArgument("give at least one word to compare with")
    }
    var mean = [Float](repeating: 0, count: dimension)
    var inputs = Set<Int>()
    for (word, weight) in positive.map({ ($0, Float(1)) }) + negative.map({ ($0, Float(-1)) }) {
      let r = try row(of: word)
      inputs.insert(r)
      let unit = unitVector(row: r)
      for i in 0..<dimension { mean[i] += weight * unit[i] }
    }
    let limit = min(restrictVocab ?? count, count)
    let scores = cosines(mean, limit: limit)
    return topRows(scores, topN: topN, excluding: inputs).map { (words[$0], scores[$0]) }
  }

  /// The `topN` words closest to `vector` by cosine.
  public func mostSimilar(vector: [Float], topN: Int = 10, restrictVocab: Int? = nil)
    -> [(word: String, similarity: Float)]
  {
    precondition(vector.count == dimension, "vector must have \(dimension) components")
    let scores = cosines(vector, limit: min(restrictVocab ?? count, count))
    return topRows(scores, topN: topN, excluding: []).map { (words[$0], scores[$0]) }
  }

  /// 3CosMul (Levy & Goldberg 2014, gensim `most_similar_cosmul`): rank by
  /// Π (1 + cos(w, p)) / 2 ÷ (Π (1 + cos(w, n)) / 2 + 1e-6).
  public func mostSimilarCosMul(
    positive: [String], negative: [String] = [], topN: Int = 10, restrictVocab: Int? = nil
  ) throws -> [(word: String, similarity: Float)] {
    guard !positive.isEmpty else {
      throw EmbeddingsError.invalidArgument("cannot compute similarity with no positive word")
    }
    let limit = min(restrictVocab ?? count, count)
    var inputs = Set<Int>()
    func shifted(_ word: String) throws -> [Float] {
      let r = try row(of: word)
      inputs.insert(r)
      return cosines(unitVector(row: r), limit: limit).map { (1 + $0) / 2 }
    }
    var numerator = [Float](repeating: 1, count: limit)
    var denominator = [Float](repeating: 1, count: limit)
    for word in positive {
      let d = try shifted(word)
      for r in 0..<limit { numerator[r] *= d[r] }
    }
    for word in negative {
      let d = try shifted(word)
      for r in 0..<limit { denominator[r] *= d[r] }
    }
    let scores = (0..<limit).map { numerator[$0] / (denominator[$0] + 0.000001) }
    return topRows(scores, topN: topN, excluding: inputs).map { (words[$0], scores[$0]) }
  }

  /// The word furthest from the mean of the others' unit vectors (gensim `doesnt_match`); words
  /// without a vector are ignored.
  public func doesntMatch(_ candidates: [String]) throws -> String {
    let used = candidates.filter { index[$0] != nil }
    guard !used.isEmpty else {
      throw EmbeddingsError.invalidArgument("none of the words has a vector: \(candidates)")
    }
    let units = used.map { unitVector(row: index[$0]!) }
    var mean = [Float](repeating: 0, count: dimension)
    for u in units { for i in 0..<dimension { mean[i] += u[i] / Float(units.count) } }
    let norm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
    let scored = zip(units, used).map { u, w -> (Float, String) in
      (zip(u, mean).reduce(0) { $0 + $1.0 * $1.1 } / (norm > 0 ? norm : 1), w)
    }
    // gensim sorts (distance, word) descending and takes the last.
    return scored.min { a, b in a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }!.1
  }

  /// Rows with the highest scores, best first, skipping `excluding`; ties by row.
  func topRows(_ scores: [Float], topN: Int, excluding: Set<Int>) -> [Int] {
    guard topN > 0 else { return [] }
    var best: [Int] = []
    best.reserveCapacity(topN + 1)
    for r in scores.indices where !excluding.contains(r) {
      let s = scores[r]
      if best.count == topN && !(s > scores[best[topN - 1]]) { continue }
      var at = best.count
      while at > 0 && s > scores[best[at - 1]] { at -= 1 }
      best.insert(r, at: at)
      if best.count > topN { best.removeLast() }
    }
    return best
  }
}
