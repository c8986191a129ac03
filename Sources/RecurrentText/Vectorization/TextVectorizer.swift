#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Keras's `TextVectorization` layer without tensors: standardize, split, n-grams, then a
/// vocabulary learned by `adapt` maps tokens to ids (`int` mode: 0 = padding `""`, 1 = OOV
/// `"[UNK]"`, learned tokens from 2) or to `[texts, V]` multi-hot / count / TF-IDF rows (OOV is
/// column 0, learned tokens from 1). Every id produced is `< vocabularySize`.
///
/// ```swift
/// var v = TextVectorizer(maxTokens: 20_000, outputSequenceLength: 40)
/// v.adapt(trainTexts)
/// let ids = v.sequences(["What a great film!"])  // [[…, …, …, …, 0, 0, …]] (B × 40)
/// ```
///
/// As Keras 3: `lower` lower-cases ASCII only (`tf.strings.lower`), punctuation stripping removes
/// the 32 ASCII punctuation characters, whitespace splitting uses ASCII whitespace
/// (space, \t, \n, \v, \f, \r); the vocabulary is ordered by count descending, ties by the token's
/// UTF-8 bytes *descending* (Keras's `np.lexsort(...)[::-1]`); `maxTokens` counts the special
/// tokens. TF-IDF uses `idf = ln(1 + N / (1 + df))` and gives OOV the mean idf.
public struct TextVectorizer: Sendable {
  /// Text clean-up before splitting.
  public enum Standardize: Sendable, Equatable {
    /// ASCII lower-case, then strip ASCII punctuation (Keras's default).
    case lowerAndStripPunctuation
    /// ASCII lower-case only.
    case lower
    /// Strip ASCII punctuation only.
    case stripPunctuation
    /// Leave the text as is.
    case none
  }

  /// How a text becomes tokens.
  public enum Split: Sendable, Equatable {
    /// On runs of ASCII whitespace, ignoring leading and trailing whitespace.
    case whitespace
    /// Every Unicode code point is a token.
    case character
    /// The whole (standardized) text is one token.
    case none
  }

  /// What `adapt`ed vectorizers output.
  public enum OutputMode: Sendable, Equatable {
    /// Token ids, padded or truncated at the end to `outputSequenceLength` (`sequences(_:)`).
    case int
    /// 1 for every vocabulary entry present (`matrix(_:)`).
    case multiHot
    /// Occurrence counts (`matrix(_:)`).
    case count
    /// Counts times idf (`matrix(_:)`).
    case tfIdf
  }

  /// Largest vocabulary, special tokens included (`nil`: unbounded).
  public let maxTokens: Int?
  public let standardize: Standardize
  public let split: Split
  /// N-gram widths to emit, e.g. `[1, 2]` (Keras's `ngrams=2`); `nil` emits the tokens alone.
  public let ngrams: [Int]?
  public let outputMode: OutputMode
  /// Length of every `int` output row (`nil`: the longest row of the batch, as Keras).
  public let outputSequenceLength: Int?

  /// The vocabulary including the special tokens, id order (Keras's `get_vocabulary()`).
  public private(set) var vocabulary: [String] = []
  /// Per-id idf weights in `tfIdf` mode (Keras computes them in float32).
  public private(set) var idfWeights: [Float] = []
  private var table = ByteStringTable()
  private var idOfToken: [Int32] = []

  /// Creates a vectorizer; call `adapt(_:)` before use.
  /// - Throws: `VectorizationError.invalidArgument` for settings Keras rejects.
  public init(
    maxTokens: Int? = nil, standardize: Standardize = .lowerAndStripPunctuation,
    split: Split = .whitespace, ngrams: [Int]? = nil, outputMode: OutputMode = .int,
    outputSequenceLength: Int? = nil
  ) throws {
    if outputMode != .int && outputSequenceLength != nil {
      throw VectorizationError.invalidArgument(
        "outputSequenceLength must not be set if outputMode is not .int, received"
          + " \(outputSequenceLength!); drop it or use .int")
    }
    let specials = outputMode == .int ? 2 : 1
    if let m = maxTokens, m <= specials {
      throw VectorizationError.invalidArgument(
        "maxTokens must exceed the \(specials) special token(s) of this mode, received \(m)")
    }
    if let n = ngrams, n.isEmpty || n.contains(where: { $0 < 1 }) {
      throw VectorizationError.invalidArgument("ngrams must be positive widths, received \(n)")
    }
    if let l = outputSequenceLength, l < 0 {
      throw VectorizationError.invalidArgument("outputSequenceLength must be ≥ 0, received \(l)")
    }
    self.maxTokens = maxTokens
    self.standardize = standardize
    self.split = split
    self.ngrams = ngrams
    self.outputMode = outputMode
    self.outputSequenceLength = outputSequenceLength
  }

  /// The number of ids (or columns), special tokens included.
  public var vocabularySize: Int { vocabulary.count }

  /// The standardized, split and n-grammed tokens of one text.
  public func tokens(_ text: String) -> [String] {
    var bytes = Array(text.utf8)
    if standardize == .lower || standardize == .lowerAndStripPunctuation {
      for k in bytes.indices where bytes[k] >= 65 && bytes[k] <= 90 { bytes[k] |= 0x20 }
    }
    if standardize == .stripPunctuation || standardize == .lowerAndStripPunctuation {
      bytes.removeAll { b in
        (33...47).contains(b) || (58...64).contains(b) || (91...96).contains(b)
          || (123...126).contains(b)
      }
    }
    let words: [String]
    switch split {
    case .whitespace:
      words = bytes.split(whereSeparator: { $0 == 32 || (9...13).contains($0) })
        .map { String(decoding: $0, as: UTF8.self) }
    case .character:
      words = String(decoding: bytes, as: UTF8.self).unicodeScalars.map { String($0) }
    case .none:
      words = [String(decoding: bytes, as: UTF8.self)]
    }
    guard let ngrams else { return words }
    // tf.strings.ngrams: all n-grams of the first width, then of the next, …
    var out: [String] = []
    for n in ngrams where n <= words.count {
      for start in 0...(words.count - n) {
        out.append(words[start..<(start + n)].joined(separator: " "))
      }
    }
    return out
  }

  /// Learns the vocabulary (and document frequencies for `tfIdf`) from `texts`, replacing any
  /// previous one.
  public mutating func adapt(_ texts: [String]) {
    var seen = ByteStringTable()
    var counts: [Int] = []
    var docs: [Int] = []
    var lastDoc: [Int] = []
    for (d, text) in texts.enumerated() {
      for token in tokens(text) {
        var t = token
        let id = Int(t.withUTF8 { seen.intern($0) })
        if id == counts.count {
          counts.append(0)
          docs.append(0)
          lastDoc.append(-1)
        }
        counts[id] += 1
        if lastDoc[id] != d {
          lastDoc[id] = d
          docs[id] += 1
        }
      }
    }
    let specials = outputMode == .int ? ["", "[UNK]"] : ["[UNK]"]
    let isSpecial = { (id: Int) -> Bool in
      let n = seen.starts[id + 1] - seen.starts[id]
      return n == 0 || (n == 5 && seen.string(id) == "[UNK]")
    }
    // Count descending, then UTF-8 bytes descending (np.lexsort((tokens, counts))[::-1]).
    var ranked = (0..<seen.count).filter { !isSpecial($0) }
    seen.bytes.withUnsafeBufferPointer { bytes in
      ranked.sort { a, b in
        if counts[a] != counts[b] { return counts[a] > counts[b] }
        let ra = bytes[seen.starts[a]..<seen.starts[a + 1]]
        let rb = bytes[seen.starts[b]..<seen.starts[b + 1]]
        return rb.lexicographicallyPrecedes(ra)
      }
    }
    if let m = maxTokens { ranked = Array(ranked.prefix(m - specials.count)) }

    vocabulary = specials + ranked.map { seen.string($0) }
    table = ByteStringTable()
    idOfToken = []
    for (k, id) in ranked.enumerated() {
      var word = seen.string(id)
      _ = word.withUTF8 { table.intern($0) }
      idOfToken.append(Int32(specials.count + k))
    }
    idfWeights = []
    if outputMode == .tfIdf {
      let n = Double(texts.count)
      let idf = ranked.map { Float(log(1 + n / Double(1 + docs[$0]))) }
      // Keras pads the front with the float32 mean idf for OOV.
      let mean = idf.isEmpty ? 0 : idf.reduce(0, +) / Float(idf.count)
      idfWeights = [mean] + idf
    }
  }

  /// The id of one token: its vocabulary id, or the OOV id (1 in `int` mode, else 0).
  public func id(of token: String) -> Int32 {
    if outputMode == .int && token.isEmpty { return 0 }  // the mask token
    var t = token
    let found = t.withUTF8 { table.find($0) }
    return found >= 0 ? idOfToken[Int(found)] : (outputMode == .int ? 1 : 0)
  }

  /// Token ids `[texts.count, T]` (`int` mode), padded with 0 or truncated at the end to
  /// `outputSequenceLength`, or to the longest row when it is `nil`.
  public func sequences(_ texts: [String]) -> [[Int32]] {
    precondition(outputMode == .int, "sequences(_:) needs outputMode .int; use matrix(_:)")
    let rows = texts.map { tokens($0).map { id(of: $0) } }
    let width = outputSequenceLength ?? rows.map(\.count).max() ?? 0
    return padSequences(rows, maxlen: width, padding: .post, truncating: .post)
  }

  /// Multi-hot, count or TF-IDF rows `[texts.count, vocabularySize]`.
  public func matrix(_ texts: [String]) -> [[Float]] {
    precondition(outputMode != .int, "matrix(_:) needs a non-int outputMode; use sequences(_:)")
    return texts.map { text in
      var row = [Float](repeating: 0, count: vocabularySize)
      for token in tokens(text) {
        let j = Int(id(of: token))
        switch outputMode {
        case .multiHot: row[j] = 1
        case .count, .tfIdf: row[j] += 1
        case .int: break
        }
      }
      if outputMode == .tfIdf { for j in row.indices where row[j] != 0 { row[j] *= idfWeights[j] } }
      return row
    }
  }
}
