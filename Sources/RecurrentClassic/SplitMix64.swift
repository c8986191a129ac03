/// A small seedable random number generator (SplitMix64, Steele et al. 2014), used for the solvers'
/// shuffling and for cross-validation folds so that every run with the same seed is identical.
/// Internal: the public API takes `seed: UInt64` (the tensor module has its own generators, and
/// two public generator types in the umbrella module would clash).
///
/// ```swift
/// var generator = SplitMix64(seed: 42)
/// let n = generator.next()  // same value on every machine
/// ```
struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// Creates a generator whose sequence is fixed by `seed`.
  init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A value in `0..<bound` as `next() % bound`; the modulo bias is negligible for the sizes used
  /// here, and the rule is trivial to replicate in Python (Tools/classic_reference_cv.py does).
  mutating func nextIndex(below bound: Int) -> Int {
    Int(next() % UInt64(bound))
  }
}
