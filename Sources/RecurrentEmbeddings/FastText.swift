// fastText unsupervised skip-gram (Bojanowski et al. 2017) as facebookresearch/fastText trains
// it: a word's input vector is the mean of its own row and its character n-gram rows; negative
// sampling from fastText's table (⌈counts^0.5⌉ slots per word); subsampling with
// p_keep = √(t/f) + t/f; window drawn from 1…ws; fastText's sigmoid table (±8, saturating).
// The corpus is read as fastText's Dictionary reads it (see FastTextDictionary: `</s>` at each
// newline is a word). Training runs as FastText::trainThread: every thread walks the whole corpus
// from its own starting point and all stop when the in-vocabulary tokens read, summed over
// threads, reach epochs × ntokens (ntokens counts words under min count too, so fastText makes
// more than `epochs` passes over the kept words: 5.44 on lm-gutenberg); the learning rate is
// lr·(1 − that sum / (epochs × ntokens)), shared by all threads.
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
  /// fastText's MAX_LINE_SIZE: a line is cut after more than this many in-vocabulary tokens.
  public var maxLineSize = 1024
  /// Tokens a thread reads between updates of the shared progress (`lrUpdateRate`).
  public var lrUpdateRate = 100

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
/// fastText training.
public enum FastText {
  /// Trains a skip-gram fastText model on `corpus`.
  public static func train(corpus: EmbeddingCorpus, configuration config: FastTextConfiguration)
    throws -> (model: FastTextModel, report: TrainingReport)
  {
    guard config.dimension > 0, config.windowSize > 0, config.epochs > 0, config.negative > 0,
      config.threads > 0, config.learningRate > 0, config.maxLineSize > 0,
      config.lrUpdateRate > 0
    else {
      throw EmbeddingsError.invalidArgument(
        "dimension, windowSize, epochs, negative, threads, learningRate, maxLineSize and "
          + "lrUpdateRate must be positive")
    }
    guard corpus.tokenCount > 0 else { throw EmbeddingsError.emptyCorpus(path: "<corpus>") }
    let dictionary = try FastTextDictionary(corpus: corpus, minCount: config.minCount)
    let vocab = dictionary.vocabulary
    let nwords = vocab.count
    let dim = config.dimension
    let rowsTotal = nwords + config.subwords.buckets

    // Per word: its input rows and how much the mean moves per unit of gradient (1 unless two
    // n-grams share a bucket).
    var offsets = [0]
    var ngramRows: [Int32] = []
    var moveFactor: [Float] = []
    for (w, word) in vocab.words.enumerated() {
      let ngrams = word == FastTextDictionary.endOfLine ? [] : config.subwords.buckets(of: word)
      let rows = [w] + ngrams.map { nwords + $0 }
      var multiplicity: [Int: Int] = [:]
      for r in rows { multiplicity[r, default: 0] += 1 }
      moveFactor.append(Float(rows.reduce(0) { $0 + multiplicity[$1]! }) / Float(rows.count))
      ngramRows += rows.map(Int32.init)
      offsets.append(ngramRows.count)
    }

    var seeder = SplitMix64(seed: config.seed)
    var input = [Float](repeating: 0, count: rowsTotal * dim)
    for i in input.indices { input[i] = (seeder.nextFloat() * 2 - 1) / Float(dim) }
    var output = [Float](repeating: 0, count: nwords * dim)
    let context = FastTextContext(
      config: config, dim: dim, stream: dictionary.stream, endOfLine: dictionary.endOfLineID ?? -1,
      goal: Int64(config.epochs) * Int64(dictionary.tokenCount),
      keep: dictionary.keepProbabilities(sample: config.sample), offsets: offsets,
      ngramRows: ngramRows, moveFactor: moveFactor,
      sampler: NegativeSampler(counts: dictionary.negativeTableCounts(), power: 1),
      sigmoid: .fastText(), seeds: seeder)
    let effective = SharedBuffer<Int>(count: config.threads, repeating: 0)
    let progress = SharedBuffer<Int64>(count: 1, repeating: 0)
    defer {
      effective.free()
      progress.free()
    }
    let started = monotonicSeconds()
    input.withUnsafeMutableBufferPointer { inputRows in
      output.withUnsafeMutableBufferPointer { outputRows in
        let shared = RowPointers(input: inputRows.baseAddress!, output: outputRows.baseAddress!)
        runWorkers(config.threads) { worker in
          effective.pointer[worker] = context.run(
            worker: worker, rows: shared, progress: progress.pointer)
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

/// One training thread as FastText::trainThread: read a line from the thread's own position in
/// the whole corpus (wrapping at the end), train on it with lr·(1 − progress), and add the
/// tokens read to the shared progress counter every `lrUpdateRate` tokens, until that counter
/// reaches epochs × ntokens.
private struct FastTextContext: Sendable {
  let config: FastTextConfiguration
  let dim: Int
  let stream: [Int32]
  let endOfLine: Int32
  let goal: Int64
  let keep: [Float]
  let offsets: [Int]
  let ngramRows: [Int32]
  let moveFactor: [Float]
  let sampler: NegativeSampler
  let sigmoid: SigmoidTable
  let seeds: SplitMix64

  func run(worker: Int, rows: RowPointers, progress: UnsafeMutablePointer<Int64>) -> Int {
    var seeder = seeds
    for _ in 0...worker { _ = seeder.next() }
    var rng = Word2VecRandom(seed: seeder.next())
    let n = stream.count
    guard n > 0 else { return 0 }
    // fastText seeks thread i to byte i·size/threads; this is the same place in tokens.
    var position = n * worker / config.threads
    let negative = config.negative
    let ws = config.windowSize
    var line = [Int32](repeating: 0, count: config.maxLineSize + 1)
    var targets = [Int32](repeating: 0, count: negative + 1)
    var labels = [Float](repeating: 0, count: negative + 1)
    labels[0] = 1
    var hidden = [Float](repeating: 0, count: dim)
    var grad = [Float](repeating: 0, count: dim)
    var total = [Float](repeating: 0, count: dim)
    var effective = 0
    var localCount: Int64 = 0
    let d = Int32(dim)
    let input = rows.input
    let output = rows.output

    stream.withUnsafeBufferPointer { tokens in
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
                        while true {
                          let done = rk_emb_atomic_load(progress)
                          if done >= goal { break }
                          let lr = config.learningRate * (1 - Float(done) / Float(goal))
                          // Dictionary::getLine: up to and including `</s>`, or more than
                          // maxLineSize tokens; subsampled as read.
                          if position == n { position = 0 }
                          var counted = 0
                          var length = 0
                          while position < n {
                            let w = tokens[position]
                            position += 1
                            counted += 1
                            let r = Float(rng.next() >> 24) * (1.0 / 16_777_216.0)
                            if r <= keep[Int(w)] {
                              line[length] = w
                              length += 1
                            }
                            if counted > config.maxLineSize || w == endOfLine { break }
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
                                1, input + Int(ngramRows[first + k]) * dim, hidden.baseAddress, d)
                            }
                            rk_emb_scale(1 / Float(count), hidden.baseAddress, d)
                            total.update(repeating: 0)
                            var touched = false
                            for j in max(0, i - boundary)...min(length - 1, i + boundary)
                            where j != i {
                              let target = line[j]
                              targets[0] = target
                              for k in 1...negative {
                                var neg: Int32
                                repeat {
                                  neg = NegativeSampler.draw(table, &rng)
                                } while neg == target
                                targets[k] = neg
                              }
                              grad.update(repeating: 0)
                              rk_emb_logistic(
                                hidden.baseAddress, output, targets.baseAddress,
                                labels.baseAddress, Int32(negative + 1), d, lr, sig.baseAddress,
                                sigSize, sigmoid.maxExp, 1, grad.baseAddress)
                              rk_emb_axpy(moveFactor[word], grad.baseAddress, hidden.baseAddress, d)
                              rk_emb_axpy(1, grad.baseAddress, total.baseAddress, d)
                              touched = true
                            }
                            if touched {
                              for k in 0..<count {
                                rk_emb_axpy(
                                  1, total.baseAddress, input + Int(ngramRows[first + k]) * dim, d)
                              }
                            }
                          }
                          localCount += Int64(counted)
                          if localCount > Int64(config.lrUpdateRate) {
                            _ = rk_emb_atomic_add(progress, localCount)
                            localCount = 0
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
