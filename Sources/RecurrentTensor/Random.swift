import Foundation

/// A seedable, splittable pseudo-random generator: xoshiro256** (Blackman & Vigna, 2018),
/// its 256-bit state seeded from one `UInt64` by SplitMix64 as the authors recommend.
///
/// It is a value passed explicitly (`inout`) to whatever needs randomness — initializers,
/// dropout, shuffling — so the same seed gives the same bits regardless of thread count or run.
/// Uniform doubles take the top 53 bits (`[0, 1)`); normal samples use the Box–Muller transform
/// (two uniforms per sample, no cached second value, so the stream position is easy to reason
/// about). ``split()`` derives an independent stream for a sub-task (a layer, a worker) without
/// sharing state.
///
/// ```swift
/// var rng = RandomGenerator(seed: 42)
/// let w = Tensor<Float>(glorotUniform: [128, 64], using: &rng)
/// var dropoutRNG = rng.split()
/// let k = Int.random(in: 0..<10, using: &rng)  // it is a RandomNumberGenerator
/// ```
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable {
  @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

  /// A generator whose state is four SplitMix64 outputs of `seed`.
  public init(seed: UInt64) {
    var s = seed
    state = (Self.splitMix(&s), Self.splitMix(&s), Self.splitMix(&s), Self.splitMix(&s))
  }

  /// SplitMix64 (Steele, Lea & Flood 2014): one step of the seeding sequence.
  static func splitMix(_ x: inout UInt64) -> UInt64 {
    x &+= 0x9E37_79B9_7F4A_7C15
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The next 64 random bits (xoshiro256**).
  @inlinable
  public mutating func next() -> UInt64 {
    let result = rotl(state.1 &* 5, 7) &* 9
    let t = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= t
    state.3 = rotl(state.3, 45)
    return result
  }

  @inlinable
  func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// A new generator seeded (through SplitMix64) from this one's next output: an independent
  /// stream, derived deterministically.
  public mutating func split() -> RandomGenerator { RandomGenerator(seed: next()) }

  /// A uniform sample in `[0, 1)` from the top 53 bits.
  @inlinable
  public mutating func nextUniform() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// A standard normal sample (Box–Muller: `√(−2 ln u₁) · cos(2π u₂)` with `u₁ ∈ (0, 1]`).
  public mutating func nextNormal() -> Double {
    let u1 = 1 - nextUniform()
    let u2 = nextUniform()
    return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
  }

  public static func == (a: RandomGenerator, b: RandomGenerator) -> Bool {
    a.state == b.state
  }
}
