// fastText's character n-grams and hashing, byte for byte as Dictionary::computeSubwords and
// Dictionary::hash in facebookresearch/fastText (src/dictionary.cc):
//   - the word is wrapped in "<" and ">", n-grams are taken over UTF-8 *characters* (a
//     continuation byte 10xxxxxx never starts an n-gram and is always kept with its lead byte);
//   - lengths minn…maxn characters; a 1-gram at the very start or end (the bare "<" or ">") is
//     skipped;
//   - FNV-1a 32-bit over the bytes with fastText's quirk: each byte is sign-extended first
//     (h ^= uint32(int8(c))), which changes the hash of every non-ASCII n-gram;
//   - bucket = hash % buckets, row = vocabulary size + bucket.

/// fastText's subword scheme.
///
/// ```swift
/// let sub = FastTextSubwords(minn: 3, maxn: 6, buckets: 2_000_000)
/// sub.ngrams(of: "où").map(\.text)  // ["<où", "<où>", "où>"]
/// ```
public struct FastTextSubwords: Sendable, Equatable {
  /// Shortest n-gram in characters.
  public var minn: Int
  /// Longest n-gram in characters (0 disables subwords).
  public var maxn: Int
  /// Number of hash buckets.
  public var buckets: Int

  /// fastText's defaults for unsupervised training.
  public init(minn: Int = 3, maxn: Int = 6, buckets: Int = 2_000_000) {
    self.minn = minn
    self.maxn = maxn
    self.buckets = buckets
  }

  /// fastText's `Dictionary::hash` (FNV-1a with sign-extended bytes).
  public static func hash<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
    var h: UInt32 = 2_166_136_261
    for c in bytes {
      h ^= UInt32(bitPattern: Int32(Int8(bitPattern: c)))
      h = h &* 16_777_619
    }
    return h
  }

  /// The n-grams of `word` in fastText's order with their bucket (hash % buckets).
  public func ngrams(of word: String) -> [(text: String, bucket: Int)] {
    var result: [(String, Int)] = []
    forEachNgram(of: word) { bytes, bucket in
      result.append((String(decoding: bytes, as: UTF8.self), bucket))
    }
    return result
  }

  /// Buckets of the n-grams of `word`, in order.
  public func buckets(of word: String) -> [Int] {
    var result: [Int] = []
    forEachNgram(of: word) { _, bucket in result.append(bucket) }
    return result
  }

  func forEachNgram(of word: String, _ body: (ArraySlice<UInt8>, Int) -> Void) {
    guard maxn > 0, buckets > 0 else { return }
    let w: [UInt8] = [0x3C] + Array(word.utf8) + [0x3E]
    let size = w.count
    var ngram: [UInt8] = []
    for i in 0..<size where w[i] & 0xC0 != 0x80 {
      ngram.removeAll(keepingCapacity: true)
      var j = i
      var n = 1
      while j < size && n <= maxn {
        ngram.append(w[j])
        j += 1
        while j < size && w[j] & 0xC0 == 0x80 {
          ngram.append(w[j])
          j += 1
        }
        if n >= minn && !(n == 1 && (i == 0 || j == size)) {
          body(ngram[...], Int(Self.hash(ngram) % UInt32(buckets)))
        }
        n += 1
      }
    }
  }
}
