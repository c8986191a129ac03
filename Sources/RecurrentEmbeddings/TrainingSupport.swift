// Pieces shared by the word2vec and fastText trainers: the generators, the sigmoid tables, the
// negative-sampling table, parallel workers and the training report.
import Foundation

/// word2vec's 48-bit linear congruential generator (the one gensim's Cython loop uses too).
///
/// ```swift
/// var rng = Word2VecRandom(seed: 1)
/// let r = rng.next()  // 48-bit value
/// ```
public struct Word2VecRandom: Sendable {
  /// The generator's 48-bit state.
  public var state: UInt64
  /// Starts from `seed`.
  public init(seed: UInt64) { state = seed & 0xFFFF_FFFF_FFFF }
  /// Advances and returns the new state.
  @inline(__always)
  public mutating func next() -> UInt64 {
    state = (state &* 25_214_903_917 &+ 11) & 0xFFFF_FFFF_FFFF
    return state
  }
}

/// SplitMix64: seeds weights and per-thread generators from one user seed.
struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// Uniform in [0, 1) with 24 random bits.
  mutating func nextFloat() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }
}

/// A logistic-sigmoid lookup table over [−maxExp, maxExp] (word2vec.c: 1000 entries over ±6;
/// fastText: 513 entries over ±8).
struct SigmoidTable {
  let values: [Float]
  let size: Int
  let maxExp: Float

  /// word2vec.c's `expTable`.
  static func word2vec() -> SigmoidTable {
    let size = 1000
    let values = (0..<size).map { i -> Float in
      let e = Float(exp((Double(i) / Double(size) * 2 - 1) * 6))
      return e / (e + 1)
    }
    return SigmoidTable(values: values, size: size, maxExp: 6)
  }

  /// fastText's `t_sigmoid_`.
  static func fastText() -> SigmoidTable {
    let size = 512
    let values = (0...size).map { i -> Float in
      let x = Float(i * 2 * 8) / Float(size) - 8
      return 1 / (1 + exp(-x))
    }
    return SigmoidTable(values: values, size: size, maxExp: 8)
  }
}

/// Walker's alias table for drawing negatives: word w with probability ∝ count(w)^power, in O(1)
/// from two 32-bit random numbers. Why not word2vec.c's 10⁸-slot table or gensim's cumulative
/// table: the first misses the caches on every draw (it is larger than L3) and the second needs
/// a binary search; the alias table is 8 bytes per word (≈ 350 KB for 44k words, in L2) and
/// gives the exact distribution.
struct NegativeSampler: Sendable {
  /// Per slot: low 32 bits the acceptance threshold (× 2³²), high 32 bits the alias word.
  let entries: [UInt64]

  init(counts: [Int], power: Double) {
    let n = counts.count
    guard n > 0 else {
      entries = []
      return
    }
    let weights = counts.map { pow(Double($0), power) }
    let total = weights.reduce(0, +)
    var scaled = weights.map { $0 * Double(n) / total }
    var threshold = [Double](repeating: 1, count: n)
    var alias = Array(0..<n)
    var small: [Int] = []
    var large: [Int] = []
    for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
    while let s = small.popLast() {
      guard let l = large.last else { break }
      threshold[s] = scaled[s]
      alias[s] = l
      scaled[l] -= 1 - scaled[s]
      if scaled[l] < 1 {
        large.removeLast()
        small.append(l)
      }
    }
    entries = (0..<n).map { i in
      let t = UInt64(min(threshold[i] * 4_294_967_296.0, 4_294_967_295.0))
      return t | UInt64(alias[i]) << 32
    }
  }

  /// Draws a word using two steps of `rng`.
  @inline(__always)
  static func draw(_ entries: UnsafeBufferPointer<UInt64>, _ rng: inout Word2VecRandom) -> Int32 {
    // Multiply-shift instead of a modulo: a division costs more than the rest of the draw.
    let slot = Int((((rng.next() >> 16) & 0xFFFF_FFFF) &* UInt64(entries.count)) >> 32)
    let coin = (rng.next() >> 16) & 0xFFFF_FFFF
    let e = entries[slot]
    return coin < (e & 0xFFFF_FFFF) ? Int32(slot) : Int32(truncatingIfNeeded: e >> 32)
  }
}

/// Splits sentences into `parts` contiguous ranges holding about the same number of tokens.
func splitSentences(starts: [Int], parts: Int) -> [Range<Int>] {
  let sentences = starts.count - 1
  let total = starts[sentences]
  var ranges: [Range<Int>] = []
  var begin = 0
  for p in 1...parts {
    let goal = total * p / parts
    var end = begin
    while end < sentences && (starts[end + 1] <= goal || p == parts) { end += 1 }
    ranges.append(begin..<end)
    begin = end
  }
  return ranges
}

/// Runs `body(worker)` on `count` threads and waits for all of them.
func runWorkers(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
  if count == 1 {
    body(0)
    return
  }
  let group = DispatchGroup()
  for worker in 0..<count {
    group.enter()
    let thread = Thread {
      body(worker)
      group.leave()
    }
    thread.stackSize = 8 << 20
    thread.start()
  }
  group.wait()
}

/// Raw pointers handed to training threads. Threads write rows without locks (Hogwild), as
/// word2vec.c, gensim and fastText do.
struct SharedBuffer<T>: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<T>
  let count: Int
  init(count: Int, repeating value: T) {
    pointer = .allocate(capacity: max(count, 1))
    pointer.initialize(repeating: value, count: max(count, 1))
    self.count = count
  }
  func free() { pointer.deallocate() }
  func array() -> [T] { Array(UnsafeBufferPointer(start: pointer, count: count)) }
}

/// Numbers from one training run.
///
/// ```swift
/// let (vectors, report) = try Word2Vec.train(corpus: corpus, configuration: .init())
/// print(report.rawWordsPerSecond)
/// ```
public struct TrainingReport: Sendable, Codable {
  /// Corpus tokens × epochs (gensim's "raw words", including words under min count).
  public var rawWords: Int
  /// Tokens actually trained on after min count and subsampling, all epochs.
  public var effectiveWords: Int
  /// Wall-clock seconds of the training loop (vocabulary building excluded).
  public var seconds: Double
  /// Kept vocabulary size.
  public var vocabularySize: Int

  /// `rawWords / seconds`.
  public var rawWordsPerSecond: Double { Double(rawWords) / max(seconds, 1e-9) }
  /// `effectiveWords / seconds` (what gensim's log calls "effective words/s").
  public var effectiveWordsPerSecond: Double { Double(effectiveWords) / max(seconds, 1e-9) }
}

/// Monotonic seconds.
func monotonicSeconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_MONOTONIC, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
