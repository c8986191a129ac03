// word2vec (Mikolov et al. 2013) as gensim 4's `Word2Vec` trains it: skip-gram or CBOW, negative
// sampling and/or hierarchical softmax, frequent-word subsampling, shrinking windows and a
// learning rate decaying linearly from `alpha` to `minAlpha` over all epochs.
// Reference: gensim/models/word2vec.py and word2vec_inner.pyx; word2vec.c.
import CRecurrentKernels
import Foundation

/// Settings for word2vec training; the defaults are gensim's `Word2Vec` defaults.
///
/// ```swift
/// var config = Word2VecConfiguration()
/// config.architecture = .skipGram
/// config.threads = 2
/// ```
public struct Word2VecConfiguration: Sendable {
  /// Skip-gram predicts context words from the centre word; CBOW predicts the centre word from
  /// the mean (or sum) of its context.
  public enum Architecture: String, Sendable { case skipGram = "skipgram", cbow }

  /// gensim `sg` (default CBOW, `sg = 0`).
  public var architecture: Architecture = .cbow
  /// CBOW: average the context vectors (gensim `cbow_mean = 1`) or sum them.
  public var cbowMean = true
  /// D, the vector size.
  public var vectorSize = 100
  /// Maximum distance between the centre and a context word; each position draws a smaller one.
  public var window = 5
  /// Words seen fewer times are dropped.
  public var minCount = 5
  /// Cap on the vocabulary size (raises the min count, as gensim's `max_final_vocab`).
  public var maxFinalVocab: Int? = nil
  /// Negative samples per positive pair; 0 turns negative sampling off.
  public var negative = 5
  /// Exponent of the unigram distribution the negatives are drawn from.
  public var nsExponent = 0.75
  /// Hierarchical softmax over a Huffman tree (gensim `hs = 1`).
  public var hierarchicalSoftmax = false
  /// Subsampling threshold for frequent words (gensim's formula); 0 disables it.
  public var sample = 1e-3
  /// Initial learning rate (gensim uses 0.025 for CBOW and skip-gram alike).
  public var alpha: Float = 0.025
  /// Final learning rate.
  public var minAlpha: Float = 0.0001
  /// Passes over the corpus.
  public var epochs = 5
  /// Training threads. One thread is deterministic for a seed; with more, threads update shared
  /// rows without locks (Hogwild, as gensim and word2vec.c) and results vary from run to run.
  public var threads = 1
  /// Seed of the weight initialisation and of every thread's generator.
  public var seed: UInt64 = 1

  /// The defaults.
  public init() {}

  func validate() throws {
    func check(_ ok: Bool, _ message: String) throws {
      if !ok { throw EmbeddingsError.invalidArgument(message) }
    }
    try check(vectorSize > 0, "vectorSize must be positive, received \(vectorSize)")
    try check(window > 0, "window must be positive, received \(window)")
    try check(negative >= 0, "negative must be ≥ 0, received \(negative)")
    try check(negative > 0 || hierarchicalSoftmax, "set negative > 0 or hierarchicalSoftmax")
    try check(epochs > 0, "epochs must be positive, received \(epochs)")
    try check(threads > 0, "threads must be positive, received \(threads)")
    try check(sample >= 0, "sample must be ≥ 0, received \(sample)")
    try check(alpha > 0 && minAlpha >= 0, "alpha must be > 0 and minAlpha ≥ 0")
  }
}

/// word2vec training.
///
/// ```swift
/// let corpus = try EmbeddingCorpus.load(path: "train.txt.gz")
/// let (vectors, report) = try Word2Vec.train(corpus: corpus, configuration: .init())
/// try vectors.save(path: "vectors.bin", format: .word2vecBinary)
/// ```
public enum Word2Vec {
  /// Trains on `corpus` and returns the input vectors (gensim's `wv`) and the run's numbers.
  public static func train(corpus: EmbeddingCorpus, configuration config: Word2VecConfiguration)
    throws -> (WordVectors, TrainingReport)
  {
    try config.validate()
    guard corpus.tokenCount > 0 else { throw EmbeddingsError.emptyCorpus(path: "<corpus>") }
    let vocab = try WordVocabulary(
      corpus: corpus, minCount: config.minCount, maxFinalVocab: config.maxFinalVocab)
    let (tokens, starts) = corpus.encoded(with: vocab.corpusMapping)
    let v = vocab.count
    let dim = config.vectorSize

    // gensim's downsampling: keep word w with probability (√(c/t) + 1)·t/c, t = sample·total.
    let total = Double(vocab.totalCount)
    let keep: [UInt32] = vocab.counts.map { count in
      guard config.sample > 0 else { return UInt32.max }
      let threshold = config.sample * total
      let p = (sqrt(Double(count) / threshold) + 1) * threshold / Double(count)
      return p >= 1 ? UInt32.max : UInt32(p * Double(UInt32.max))
    }

    // gensim initialises input vectors uniformly in [−1/D, 1/D); output weights start at zero.
    let syn0 = SharedBuffer<Float>(count: v * dim, repeating: 0)
    var seeder = SplitMix64(seed: config.seed)
    for i in 0..<(v * dim) { syn0.pointer[i] = (seeder.nextFloat() * 2 - 1) / Float(dim) }
    let syn1neg = SharedBuffer<Float>(count: config.negative > 0 ? v * dim : 0, repeating: 0)
    let syn1 = SharedBuffer<Float>(count: config.hierarchicalSoftmax ? v * dim : 0, repeating: 0)
    defer {
      syn0.free()
      syn1neg.free()
      syn1.free()
    }
    let context = Word2VecContext(
      config: config, dim: dim, tokens: tokens, starts: starts, keep: keep,
      sampler: NegativeSampler(
        counts: config.negative > 0 ? vocab.counts : [], power: config.nsExponent),
      tree: config.hierarchicalSoftmax ? HuffmanTree(counts: vocab.counts) : nil,
      sigmoid: .word2vec(), syn0: syn0, syn1neg: syn1neg, syn1: syn1, seeds: seeder)

    let ranges = splitSentences(starts: starts, parts: config.threads)
    let effective = SharedBuffer<Int>(count: config.threads, repeating: 0)
    defer { effective.free() }
    let started = monotonicSeconds()
    runWorkers(config.threads) { worker in
      effective.pointer[worker] = context.run(worker: worker, sentences: ranges[worker])
    }
    let seconds = monotonicSeconds() - started
    let report = TrainingReport(
      rawWords: corpus.tokenCount * config.epochs,
      effectiveWords: effective.array().reduce(0, +), seconds: seconds, vocabularySize: v)
    let vectors = WordVectors(
      words: vocab.words, dimension: dim, vectors: syn0.array(), counts: vocab.counts)
    return (vectors, report)
  }
}

/// Everything a training thread reads; rows are shared and updated without locks.
private struct Word2VecContext: @unchecked Sendable {
  let config: Word2VecConfiguration
  let dim: Int
  let tokens: [Int32]
  let starts: [Int]
  let keep: [UInt32]
  let sampler: NegativeSampler
  let tree: HuffmanTree?
  let sigmoid: SigmoidTable
  let syn0: SharedBuffer<Float>
  let syn1neg: SharedBuffer<Float>
  let syn1: SharedBuffer<Float>
  let seeds: SplitMix64

  /// Trains on `sentences` for all epochs; returns the number of words trained on.
  func run(worker: Int, sentences: Range<Int>) -> Int {
    var seeder = seeds
    for _ in 0...worker { _ = seeder.next() }
    var rng = Word2VecRandom(seed: seeder.next())
    let chunkWords =
      sentences.isEmpty ? 0 : starts[sentences.upperBound] - starts[sentences.lowerBound]
    let totalWords = Double(max(chunkWords * config.epochs, 1))
    let maxSentence = sentences.map { starts[$0 + 1] - starts[$0] }.max() ?? 0
    let window = config.window
    let negative = config.negative
    let sg = config.architecture == .skipGram
    let labelCount = max(negative + 1, 64)
    var sentence = [Int32](repeating: 0, count: maxSentence)
    var rows = [Int32](repeating: 0, count: labelCount)
    var labels = [Float](repeating: 0, count: labelCount)
    labels[0] = 1
    var hidden = [Float](repeating: 0, count: dim)
    var grad = [Float](repeating: 0, count: dim)
    let perHalf = 2 * window * max(negative, 1)
    var drawnStorage = [Int32](repeating: 0, count: 2 * perHalf)
    var shrink = [0, 0]
    var effective = 0
    var done = 0

    tokens.withUnsafeBufferPointer { tokens in
      keep.withUnsafeBufferPointer { keep in
        sampler.entries.withUnsafeBufferPointer { table in
          sigmoid.values.withUnsafeBufferPointer { sig in
            sentence.withUnsafeMutableBufferPointer { sentence in
              rows.withUnsafeMutableBufferPointer { rows in
                labels.withUnsafeMutableBufferPointer { labels in
                  hidden.withUnsafeMutableBufferPointer { hidden in
                    grad.withUnsafeMutableBufferPointer { grad in
                      drawnStorage.withUnsafeMutableBufferPointer { drawn in
                        let syn0 = syn0.pointer
                        let syn1neg = syn1neg.pointer
                        let syn1 = syn1.pointer
                        let d = Int32(dim)
                        let sigSize = Int32(sigmoid.size)
                        let maxExp = sigmoid.maxExp

                        // One logistic pass of `input` against the centre word and the negatives
                        // drawn for this pair (`drawn[0..<negative]`, a draw equal to the centre
                        // word is skipped, as gensim does).
                        @inline(__always)
                        func targets(
                          _ input: UnsafePointer<Float>, _ word: Int32,
                          _ drawn: UnsafePointer<Int32>,
                          _ alpha: Float
                        ) {
                          if negative > 0 {
                            rows[0] = word
                            var n = 1
                            for k in 0..<negative where drawn[k] != word {
                              rows[n] = drawn[k]
                              n += 1
                            }
                            rk_emb_logistic(
                              input, syn1neg, rows.baseAddress, labels.baseAddress,
                              Int32(n), d, alpha, sig.baseAddress, sigSize, maxExp, 0,
                              grad.baseAddress)
                          }
                          if let tree {
                            let w = Int(word)
                            let range = tree.offsets[w]..<tree.offsets[w + 1]
                            tree.points.withUnsafeBufferPointer { points in
                              tree.labels.withUnsafeBufferPointer { codes in
                                rk_emb_logistic(
                                  input, syn1, points.baseAddress! + range.lowerBound,
                                  codes.baseAddress! + range.lowerBound, Int32(range.count), d,
                                  alpha, sig.baseAddress, sigSize, maxExp, 0, grad.baseAddress)
                              }
                            }
                          }
                        }

                        // Position i's random draws (reduced window, negatives) are made one
                        // position ahead and their rows prefetched, so that the cache misses on
                        // random rows overlap with the work on the previous position.
                        @inline(__always)
                        func prepare(_ i: Int, _ length: Int, _ half: Int) {
                          let b = Int(rng.next() % UInt64(window))
                          shrink[half] = b
                          let lo = max(0, i - window + b)
                          let hi = min(length, i + window + 1 - b)
                          let pairs = sg ? hi - lo - 1 : 1
                          let base = drawn.baseAddress! + half * perHalf
                          if negative > 0 {
                            for k in 0..<(pairs * negative) {
                              let t = NegativeSampler.draw(table, &rng)
                              base[k] = t
                              rk_emb_prefetch(syn1neg + Int(t) * dim, d)
                            }
                            rk_emb_prefetch(syn1neg + Int(sentence[i]) * dim, d)
                          }
                          for j in lo..<hi where j != i {
                            rk_emb_prefetch(syn0 + Int(sentence[j]) * dim, d)
                          }
                        }

                        for _ in 0..<config.epochs {
                          for s in sentences {
                            let progress = Double(done) / totalWords
                            let alpha = max(
                              config.minAlpha,
                              config.alpha - (config.alpha - config.minAlpha) * Float(progress))
                            var length = 0
                            for t in starts[s]..<starts[s + 1] {
                              let w = tokens[t]
                              if keep[Int(w)] != UInt32.max
                                && UInt64(keep[Int(w)]) < ((rng.next() >> 16) & 0xFFFF_FFFF)
                              {
                                continue
                              }
                              sentence[length] = w
                              length += 1
                            }
                            done += starts[s + 1] - starts[s]
                            effective += length
                            if length > 0 { prepare(0, length, 0) }
                            for i in 0..<length {
                              let half = i & 1
                              if i + 1 < length { prepare(i + 1, length, 1 - half) }
                              let b = shrink[half]
                              let negs = drawn.baseAddress! + half * perHalf
                              let lo = max(0, i - window + b)
                              let hi = min(length, i + window + 1 - b)
                              if sg {
                                let word = sentence[i]
                                var pair = 0
                                for j in lo..<hi where j != i {
                                  let input = syn0 + Int(sentence[j]) * dim
                                  grad.update(repeating: 0)
                                  // The input row is only read in the pass and written after it.
                                  targets(input, word, negs + pair * negative, alpha)
                                  rk_emb_axpy(1, grad.baseAddress, input, d)
                                  pair += 1
                                }
                              } else {
                                hidden.update(repeating: 0)
                                var count = 0
                                for j in lo..<hi where j != i {
                                  rk_emb_axpy(
                                    1, syn0 + Int(sentence[j]) * dim, hidden.baseAddress, d)
                                  count += 1
                                }
                                if count == 0 { continue }
                                let inverse = 1 / Float(count)
                                if config.cbowMean { rk_emb_scale(inverse, hidden.baseAddress, d) }
                                grad.update(repeating: 0)
                                targets(hidden.baseAddress!, sentence[i], negs, alpha)
                                // gensim divides the error over summed (not averaged) windows.
                                if !config.cbowMean { rk_emb_scale(inverse, grad.baseAddress, d) }
                                for j in lo..<hi where j != i {
                                  rk_emb_axpy(1, grad.baseAddress, syn0 + Int(sentence[j]) * dim, d)
                                }
                              }
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return effective
  }
}

/// word2vec.c's Huffman tree: for each word the inner nodes on its path and the branch labels
/// (1 − code, so that the logistic step's label is 1 for a left turn as in word2vec.c).
struct HuffmanTree: Sendable {
  let offsets: [Int]
  let points: [Int32]
  let labels: [Float]

  /// `counts` sorted in descending order (the vocabulary order).
  init(counts: [Int]) {
    let v = counts.count
    var offsets = [0]
    var points: [Int32] = []
    var labels: [Float] = []
    if v < 2 {
      self.offsets = Array(repeating: 0, count: v + 1)
      self.points = []
      self.labels = []
      return
    }
    var count = counts.map(Int64.init) + Array(repeating: Int64(1e15), count: v)
    var parent = [Int](repeating: 0, count: 2 * v)
    var binary = [UInt8](repeating: 0, count: 2 * v)
    var pos1 = v - 1
    var pos2 = v
    func smallest() -> Int {
      if pos1 >= 0 && count[pos1] < count[pos2] {
        pos1 -= 1
        return pos1 + 1
      }
      pos2 += 1
      return pos2 - 1
    }
    for a in 0..<(v - 1) {
      let min1 = smallest()
      let min2 = smallest()
      count[v + a] = count[min1] + count[min2]
      parent[min1] = v + a
      parent[min2] = v + a
      binary[min2] = 1
    }
    for a in 0..<v {
      var codes: [UInt8] = []
      var path: [Int] = []
      var b = a
      while true {
        codes.append(binary[b])
        path.append(b)
        b = parent[b]
        if b == v * 2 - 2 { break }
      }
      // Root first: point[0] is the root (row v − 2), then the inner nodes down to the word.
      let n = codes.count
      var wordPoints = [Int32](repeating: Int32(v - 2), count: n)
      var wordCodes = [UInt8](repeating: 0, count: n)
      for k in 0..<n {
        wordCodes[n - k - 1] = codes[k]
        if n - k < n { wordPoints[n - k] = Int32(path[k] - v) }
      }
      points += wordPoints
      labels += wordCodes.map { 1 - Float($0) }
      offsets.append(points.count)
    }
    self.offsets = offsets
    self.points = points
    self.labels = labels
  }
}
