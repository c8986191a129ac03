// fastText unsupervised skip-gram (Bojanowski et al. 2017) as facebookresearch/fastText trains
// it: a word's input vector is the mean of its own row and its character n-gram rows; negative
// sampling from counts^0.5; subsampling with p_keep = √(t/f) + t/f; window drawn from 1…ws;
// learning rate lr·(1 − progress); fastText's sigmoid table (±8, saturating).
//
// One exact rewrite for speed: fastText recomputes the mean of the n-gram rows for every
// (centre, context) pair and adds the gradient to every n-gram row each time. Those rows are read
// only through that mean while the centre word is processed, so keeping the mean up to date
// (mean += grad) and adding the summed gradient to the rows once per centre word gives the same
// numbers (up to float rounding) with one pass over the rows instead of one per pair.
import CRecurrentKernels
import Foundation

/// Settings for fastText training; defaults are fastText's `skipgram` defaults.
///
/// ```swift
/// var config = FastTextConfiguration()
/// config.threads = 2
/// ```
public struct FastTextConfiguration: Sendable {
  /// D.
  public var dimension = 100
  /// Maximum context distance (`ws`).
  public var windowSize = 5
  /// Epochs.
  public var epochs = 5
  /// Words seen fewer times are dropped.
  public var minCount = 5
  /// Negatives per positive pair.
  public var negative = 5
  /// Initial learning rate.
  public var learningRate: Float = 0.05
  /// Subsampling threshold `t`.
  public var sample = 1e-4
  /// Character n-grams and buckets.
  public var subwords = FastTextSubwords()
  /// Threads (1 is deterministic for a seed; more are Hogwild, as fastText).
  public var threads = 1
  /// Seed.
  public var seed: UInt64 = 1
  /// fastText cuts lines into pieces of this many tokens.
  public var maxLineSize = 1024

  /// The defaults.
  public init() {}
}

/// A trained fastText model: word and n-gram input rows, able to build vectors for unseen words.
///
/// ```swift
/// let (model, _) = try FastText.train(corpus: corpus, configuration: .init())
/// let v = model.wordVector("unseenword")  // mean of its n-gram rows
/// ```
public struct FastTextModel: Sendable {
  /// Vocabulary words, most frequent first.
  public let words: [String]
  /// Their counts.
  public let counts: [Int]
  /// D.
  public let dimension: Int
  /// The n-gram scheme.
  public let subwords: FastTextSubwords
  /// `[words.count + buckets, D]` input rows (words first, then buckets).
  public let input: [Float]
  /// Word → row.
  public let index: [String: Int]

  /// Input rows of `word`: its own row when known, then its n-gram rows (fastText getSubwords).
  public func subwordRows(_ word: String) -> [Int] {
    let own = index[word].map { [$0] } ?? []
    if word == "</s>" { return own }  // fastText gives its end-of-line token no n-grams
    return own + subwords.buckets(of: word).map { words.count + $0 }
  }

  /// The mean of `word`'s input rows; zeros when it has none (fastText getWordVector).
  public func wordVector(_ word: String) -> [Float] {
    let rows = subwordRows(word)
    var v = [Float](repeating: 0, count: dimension)
    guard !rows.isEmpty else { return v }
    input.withUnsafeBufferPointer { p in
      v.withUnsafeMutableBufferPointer { out in
        for r in rows {
          rk_emb_axpy(1, p.baseAddress! + r * dimension, out.baseAddress, Int32(dimension))
        }
      }
    }
    let scale = 1 / Float(rows.count)
    return v.map { $0 * scale }
  }

  /// Vectors of all vocabulary words (what fastText writes to `.vec`).
  public func wordVectors() -> WordVectors {
    WordVectors(
      words: words, dimension: dimension, vectors: words.flatMap { wordVector($0) }, counts: counts)
  }
}

/// fastText training.
public enum FastText {
  /// Trains a skip-gram fastText model on `corpus`.
  public static func train(corpus: EmbeddingCorpus, configuration config: FastTextConfiguration)
    throws -> (model: FastTextModel, report: TrainingReport)
  {
    guard config.dimension > 0, config.windowSize > 0, config.epochs > 0, config.negative > 0,
      config.threads > 0, config.learningRate > 0
    else {
      throw EmbeddingsError.invalidArgument(
        "dimension, windowSize, epochs, negative, threads and learningRate must be positive")
    }
    guard corpus.tokenCount > 0 else { throw EmbeddingsError.emptyCorpus(path: "<corpus>") }
    let vocab = try WordVocabulary(corpus: corpus, minCount: config.minCount)
    let (tokens, starts) = corpus.encoded(with: vocab.corpusMapping)
    let nwords = vocab.count
    let dim = config.dimension
    let rowsTotal = nwords + config.subwords.buckets

    // Per word: its input rows and how much the mean moves per unit of gradient (1 unless two
    // n-grams share a bucket).
    var offsets = [0]
    var ngramRows: [Int32] = []
    var moveFactor: [Float] = []
    for (w, word) in vocab.words.enumerated() {
      let rows = [w] + config.subwords.buckets(of: word).map { nwords + $0 }
      var multiplicity: [Int: Int] = [:]
      for r in rows { multiplicity[r, default: 0] += 1 }
      moveFactor.append(Float(rows.reduce(0) { $0 + multiplicity[$1]! }) / Float(rows.count))
      ngramRows += rows.map(Int32.init)
      offsets.append(ngramRows.count)
    }

    let ntokens = Double(corpus.tokenCount)
    let keep: [Float] = vocab.counts.map { count in
      let f = Double(count) / ntokens
      return Float((config.sample / f).squareRoot() + config.sample / f)
    }

    var seeder = SplitMix64(seed: config.seed)
    var input = [Float](repeating: 0, count: rowsTotal * dim)
    for i in input.indices { input[i] = (seeder.nextFloat() * 2 - 1) / Float(dim) }
    var output = [Float](repeating: 0, count: nwords * dim)
    let context = FastTextContext(
      config: config, dim: dim, tokens: tokens, starts: starts, keep: keep, offsets: offsets,
      ngramRows: ngramRows, moveFactor: moveFactor,
      sampler: NegativeSampler(counts: vocab.counts, power: 0.5), sigmoid: .fastText(),
      seeds: seeder)
    let ranges = splitSentences(starts: starts, parts: config.threads)
    let effective = SharedBuffer<Int>(count: config.threads, repeating: 0)
    defer { effective.free() }
    let started = monotonicSeconds()
    input.withUnsafeMutableBufferPointer { inputRows in
      output.withUnsafeMutableBufferPointer { outputRows in
        let shared = RowPointers(input: inputRows.baseAddress!, output: outputRows.baseAddress!)
        runWorkers(config.threads) { worker in
          effective.pointer[worker] = context.run(
            worker: worker, sentences: ranges[worker], rows: shared)
        }
      }
    }
    let seconds = monotonicSeconds() - started
    let model = FastTextModel(
      words: vocab.words, counts: vocab.counts, dimension: dim, subwords: config.subwords,
      input: input, index: vocab.index)
    let report = TrainingReport(
      rawWords: corpus.tokenCount * config.epochs, effectiveWords: effective.array().reduce(0, +),
      seconds: seconds, vocabularySize: nwords)
    return (model, report)
  }
}

private struct RowPointers: @unchecked Sendable {
  let input: UnsafeMutablePointer<Float>
  let output: UnsafeMutablePointer<Float>
}

private struct FastTextContext: Sendable {
  let config: FastTextConfiguration
  let dim: Int
  let tokens: [Int32]
  let starts: [Int]
  let keep: [Float]
  let offsets: [Int]
  let ngramRows: [Int32]
  let moveFactor: [Float]
  let sampler: NegativeSampler
  let sigmoid: SigmoidTable
  let seeds: SplitMix64

  func run(worker: Int, sentences: Range<Int>, rows: RowPointers) -> Int {
    var seeder = seeds
    for _ in 0...worker { _ = seeder.next() }
    var rng = Word2VecRandom(seed: seeder.next())
    let chunkWords =
      sentences.isEmpty ? 0 : starts[sentences.upperBound] - starts[sentences.lowerBound]
    let totalWords = Double(max(chunkWords * config.epochs, 1))
    let negative = config.negative
    let ws = config.windowSize
    var line = [Int32](repeating: 0, count: config.maxLineSize)
    var targets = [Int32](repeating: 0, count: negative + 1)
    var labels = [Float](repeating: 0, count: negative + 1)
    labels[0] = 1
    var hidden = [Float](repeating: 0, count: dim)
    var grad = [Float](repeating: 0, count: dim)
    var total = [Float](repeating: 0, count: dim)
    var effective = 0
    var done = 0
    let d = Int32(dim)
    let input = rows.input
    let output = rows.output

    tokens.withUnsafeBufferPointer { tokens in
      sampler.entries.withUnsafeBufferPointer { table in
        sigmoid.values.withUnsafeBufferPointer { sig in
          ngramRows.withUnsafeBufferPointer { ngramRows in
            line.withUnsafeMutableBufferPointer { line in
              targets.withUnsafeMutableBufferPointer { targets in
                labels.withUnsafeMutableBufferPointer { labels in
                  hidden.withUnsafeMutableBufferPointer { hidden in
                    grad.withUnsafeMutableBufferPointer { grad in
                      total.withUnsafeMutableBufferPointer { total in
                        let sigSize = Int32(sigmoid.size)
                        for _ in 0..<config.epochs {
                          for s in sentences {
                            var t = starts[s]
                            let end = starts[s + 1]
                            while t < end {
                              let pieceStart = t
                              let pieceEnd = min(end, t + config.maxLineSize)
                              let lr = config.learningRate * Float(1 - Double(done) / totalWords)
                              var length = 0
                              while t < pieceEnd {
                                let w = tokens[t]
                                t += 1
                                let r = Float(rng.next() >> 24) * (1.0 / 16_777_216.0)
                                if r > keep[Int(w)] { continue }
                                line[length] = w
                                length += 1
                              }
                              effective += length
                              for i in 0..<length {
                                let boundary = 1 + Int(rng.next() % UInt64(ws))
                                let word = Int(line[i])
                                let first = offsets[word]
                                let count = offsets[word + 1] - first
                                // hidden = mean of the word's input rows.
                                hidden.update(repeating: 0)
                                for k in 0..<count {
                                  rk_emb_axpy(
                                    1, input + Int(ngramRows[first + k]) * dim, hidden.baseAddress,
                                    d)
                                }
                                rk_emb_scale(1 / Float(count), hidden.baseAddress, d)
                                total.update(repeating: 0)
                                var touched = false
                                for j in max(0, i - boundary)...min(length - 1, i + boundary)
                                where j != i {
                                  let target = line[j]
                                  targets[0] = target
                                  for n in 1...negative {
                                    var neg: Int32
                                    repeat {
                                      neg = NegativeSampler.draw(table, &rng)
                                    } while neg == target
                                    targets[n] = neg
                                  }
                                  grad.update(repeating: 0)
                                  rk_emb_logistic(
                                    hidden.baseAddress, output, targets.baseAddress,
                                    labels.baseAddress, Int32(negative + 1), d, lr,
                                    sig.baseAddress, sigSize, sigmoid.maxExp, 1, grad.baseAddress)
                                  rk_emb_axpy(
                                    moveFactor[word], grad.baseAddress, hidden.baseAddress, d)
                                  rk_emb_axpy(1, grad.baseAddress, total.baseAddress, d)
                                  touched = true
                                }
                                if touched {
                                  for k in 0..<count {
                                    rk_emb_axpy(
                                      1, total.baseAddress, input + Int(ngramRows[first + k]) * dim,
                                      d)
                                  }
                                }
                              }
                              done += pieceEnd - pieceStart
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
