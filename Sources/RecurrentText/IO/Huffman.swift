/// A canonical Huffman code for DEFLATE (RFC 1951 §3.2.2), decoded through a table indexed by the
/// next `rootBits` input bits; codes longer than that take a slower canonical walk.
///
/// Table entry: `symbol << 4 | length`, or 0 for "code longer than rootBits".
struct HuffmanTable {
  static let rootBits = 10
  static let maxBits = 15
  let primary: UnsafeMutablePointer<UInt32>
  /// Number of codes of each length 0...15.
  let counts: UnsafeMutablePointer<UInt16>
  /// Symbols ordered by (code length, symbol): the canonical order.
  let symbols: UnsafeMutablePointer<UInt16>
  let scratch: UnsafeMutablePointer<Int>

  init() {
    primary = .allocate(capacity: 1 << Self.rootBits)
    counts = .allocate(capacity: Self.maxBits + 1)
    symbols = .allocate(capacity: 320)
    scratch = .allocate(capacity: 32)
  }

  func deallocate() {
    primary.deallocate()
    counts.deallocate()
    symbols.deallocate()
    scratch.deallocate()
  }

  /// Builds the code from per-symbol code lengths; returns false if the code is over-subscribed.
  /// Incomplete codes are accepted (RFC 1951 allows one distance code); unused bit patterns
  /// decode to an error.
  func build(lengths: UnsafePointer<UInt8>, count n: Int) -> Bool {
    for len in 0...Self.maxBits { counts[len] = 0 }
    for s in 0..<n { counts[Int(lengths[s])] += 1 }
    var left = 1
    for len in 1...Self.maxBits {
      left <<= 1
      left -= Int(counts[len])
      if left < 0 { return false }
    }
    // scratch[0...15]: next canonical-order slot per length; scratch[16...31]: next code.
    let offs = scratch
    let next = scratch + 16
    offs[1] = 0
    for len in 1..<Self.maxBits { offs[len + 1] = offs[len] + Int(counts[len]) }
    var code = 0
    for len in 1...Self.maxBits {
      let shorter = len > 1 ? Int(counts[len - 1]) : 0
      code = (code + shorter) << 1
      next[len] = code
    }
    primary.initialize(repeating: 0, count: 1 << Self.rootBits)
    for s in 0..<n {
      let len = Int(lengths[s])
      if len == 0 { continue }
      symbols[offs[len]] = UInt16(s)
      offs[len] += 1
      let c = next[len]
      next[len] += 1
      if len <= Self.rootBits {
        // DEFLATE packs codes most-significant bit first into an LSB-first stream: reverse.
        var rev = 0
        var x = c
        for _ in 0..<len {
          rev = (rev << 1) | (x & 1)
          x >>= 1
        }
        let entry = UInt32(s) << 4 | UInt32(len)
        var i = rev
        while i < (1 << Self.rootBits) {
          primary[i] = entry
          i += 1 << len
        }
      }
    }
    return true
  }

  /// Canonical decode bit by bit (RFC 1951, as zlib's puff.c) for codes longer than `rootBits`.
  /// Returns (symbol, length) or nil for an unused bit pattern.
  @inline(never)
  func decodeSlow(_ bits: UInt64) -> (Int, Int)? {
    var code = 0
    var first = 0
    var index = 0
    var b = bits
    for len in 1...Self.maxBits {
      code |= Int(b & 1)
      b >>= 1
      let count = Int(counts[len])
      if code - count < first { return (Int(symbols[index + code - first]), len) }
      index += count
      first += count
      first <<= 1
      code <<= 1
    }
    return nil
  }
}
