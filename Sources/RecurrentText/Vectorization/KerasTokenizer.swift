#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Keras's legacy `Tokenizer` (`tensorflow.keras.preprocessing.text.Tokenizer`): words get ids by
/// frequency (1 = most frequent; 0 is never used, it is the padding id), and texts become id
/// sequences or `[texts, numWords]` matrices.
///
/// ```swift
/// var t = KerasTokenizer(numWords: 100, oovToken: "<OOV>")
/// t.fitOnTexts(["I love this movie", "I hate this movie"])
/// t.wordIndex["<OOV>"]                       // 1
/// t.textsToSequences(["I love that movie"])  // [[2, 5, 1, 4]]
/// ```
///
/// Exactly Keras's rules: a text is lower-cased (`lower`), every character of `filters` becomes
/// `split`, the text is split on `split` and empty pieces dropped (`charLevel`: each code point is
/// a token, filters ignored). Words are ranked by count, descending; equal counts keep first-seen
/// order (Python's stable sort over the insertion-ordered `word_counts`). `numWords`: only ids
/// `< numWords` are emitted; others become the OOV id (1) when `oovToken` is set, else are dropped.
/// Words are compared as UTF-8 bytes, as Python compares strings (not by Swift's canonical
/// equivalence).
public struct KerasTokenizer: Sendable {
  /// Keras's default filters: punctuation, tab and newline (not the apostrophe).
  public static let defaultFilters = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n"

  /// Keep only ids below this in sequences and matrices (`nil`: keep all).
  public var numWords: Int?
  /// Characters replaced by `split` before splitting.
  public var filters: String
  /// Lower-case texts first.
  public var lower: Bool
  /// The separator texts are split on (one or more characters, not empty).
  public var split: String
  /// Treat every code point as a token.
  public var charLevel: Bool
  /// The token standing for out-of-vocabulary words; gets id 1 when set.
  public var oovToken: String?

  /// Number of texts fitted on.
  public private(set) var documentCount = 0
  /// Word → id (1-based), as Keras's `word_index` (covers every fitted word, not just `numWords`).
  public private(set) var wordIndex: [String: Int] = [:]
  /// Id → word, as Keras's `index_word`.
  public private(set) var indexWord: [Int: String] = [:]

  // Words interned in first-seen order (Keras's OrderedDict), with counts and document counts.
  private var table = ByteStringTable()
  private var counts: [Int] = []
  private var docs: [Int] = []
  /// Table id → word index.
  private var indexOfWord: [Int] = []
  /// Word index → document count (Keras's `index_docs`).
  private var indexDocs: [Int: Int] = [:]
  private var oovIndex: Int?

  /// Creates an unfitted tokenizer with Keras's defaults.
  public init(
    numWords: Int? = nil, filters: String = KerasTokenizer.defaultFilters, lower: Bool = true,
    split: String = " ", charLevel: Bool = false, oovToken: String? = nil
  ) {
    precondition(!split.isEmpty, "split must not be empty (Python: 'empty separator')")
    self.numWords = numWords
    self.filters = filters
    self.lower = lower
    self.split = split
    self.charLevel = charLevel
    self.oovToken = oovToken
  }

  /// Word counts in first-seen order, as Keras's `word_counts` (an OrderedDict).
  public var wordCounts: [(word: String, count: Int)] {
    (0..<table.count).map { (table.string($0), counts[$0]) }
  }

  /// Word → number of fitted texts containing it, as Keras's `word_docs`.
  public var wordDocs: [String: Int] {
    var out: [String: Int] = [:]
    for id in 0..<table.count { out[table.string(id)] = docs[id] }
    return out
  }

  /// The tokens of one text, by Keras's `text_to_word_sequence` (or characters when `charLevel`).
  public func tokens(_ text: String) -> [String] {
    let text = lower ? text.lowercased() : text
    if charLevel { return text.unicodeScalars.map { String($0) } }
    let filterSet = Set(filters.unicodeScalars)
    let separator = Array(split.unicodeScalars)
    var translated: [Unicode.Scalar] = []
    translated.reserveCapacity(text.unicodeScalars.count)
    for s in text.unicodeScalars {
      if filterSet.contains(s) { translated += separator } else { translated.append(s) }
    }
    // Python's str.split(sep): non-overlapping matches, left to right; then drop empty pieces.
    var out: [String] = []
    var piece = String.UnicodeScalarView()
    var i = 0
    while i < translated.count {
      if translated[i] == separator[0] && i + separator.count <= translated.count
        && Array(translated[i..<(i + separator.count)]) == separator
      {
        if !piece.isEmpty { out.append(String(piece)) }
        piece = String.UnicodeScalarView()
        i += separator.count
      } else {
        piece.append(translated[i])
        i += 1
      }
    }
    if !piece.isEmpty { out.append(String(piece)) }
    return out
  }

  /// Updates the vocabulary with `texts` (may be called repeatedly, as Keras's `fit_on_texts`).
  public mutating func fitOnTexts(_ texts: [String]) {
    var lastDoc: [Int] = Array(repeating: -1, count: table.count)
    for (d, text) in texts.enumerated() {
      documentCount += 1
      for word in tokens(text) {
        var w = word
        let id = Int(w.withUTF8 { table.intern($0) })
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
    rebuildIndex()
  }

  /// Keras's ranking: count descending, ties in first-seen order; the OOV token first when set.
  private mutating func rebuildIndex() {
    let ranked = (0..<table.count).sorted { a, b in
      counts[a] != counts[b] ? counts[a] > counts[b] : a < b
    }
    var sortedWords: [(word: String, tableID: Int?)] = []
    if let oovToken { sortedWords.append((oovToken, nil)) }
    sortedWords += ranked.map { (table.string($0), $0) }
    // dict(zip(sorted_voc, 1...)): a word listed twice (the OOV token also seen in the texts)
    // keeps its later index.
    wordIndex = [:]
    indexOfWord = Array(repeating: 0, count: table.count)
    for (k, entry) in sortedWords.enumerated() {
      wordIndex[entry.word] = k + 1
      if let id = entry.tableID { indexOfWord[id] = k + 1 }
    }
    indexWord = [:]
    for (word, index) in wordIndex { indexWord[index] = word }
    oovIndex = oovToken.flatMap { wordIndex[$0] }
    if let oovToken, let id = find(oovToken) { indexOfWord[id] = wordIndex[oovToken]! }
    indexDocs = [:]
    for id in 0..<table.count { indexDocs[indexOfWord[id]] = docs[id] }
  }

  private func find(_ word: String) -> Int? {
    var w = word
    let id = w.withUTF8 { table.find($0) }
    return id >= 0 ? Int(id) : nil
  }

  /// The id of a word (its `wordIndex` entry), or nil.
  private func index(of word: String) -> Int? {
    if let id = find(word) { return indexOfWord[id] }
    if let oovToken, word == oovToken { return oovIndex }
    return nil
  }

  /// Each text as word ids, as Keras's `texts_to_sequences`.
  public func textsToSequences(_ texts: [String]) -> [[Int]] {
    let limit = numWords ?? 0
    return texts.map { text in
      var out: [Int] = []
      for word in tokens(text) {
        if let i = index(of: word) {
          if limit > 0 && i >= limit {
            if let oovIndex { out.append(oovIndex) }
          } else {
            out.append(i)
          }
        } else if oovToken != nil, let oovIndex {
          out.append(oovIndex)
        }
      }
      return out
    }
  }

  /// Each id sequence as words joined by spaces, as Keras's `sequences_to_texts`.
  public func sequencesToTexts(_ sequences: [[Int]]) -> [String] {
    let limit = numWords ?? 0
    let oovWord = oovIndex.flatMap { indexWord[$0] }
    return sequences.map { sequence in
      var words: [String] = []
      for number in sequence {
        if let word = indexWord[number] {
          if limit > 0 && number >= limit {
            if let oovWord { words.append(oovWord) }
          } else {
            words.append(word)
          }
        } else if oovToken != nil, let oovWord {
          words.append(oovWord)
        }
      }
      return words.joined(separator: " ")
    }
  }

  /// How `textsToMatrix` fills a cell.
  public enum MatrixMode: String, Sendable {
    /// 1 when the word occurs.
    case binary
    /// The number of occurrences.
    case count
    /// `(1 + ln count) · ln(1 + documentCount / (1 + documents containing the word))`.
    case tfidf
    /// Occurrences divided by the sequence length.
    case freq
  }

  /// A `[texts.count, numWords ?? wordIndex.count + 1]` matrix, as Keras's `texts_to_matrix`.
  public func textsToMatrix(_ texts: [String], mode: MatrixMode = .binary) throws -> [[Double]] {
    try sequencesToMatrix(textsToSequences(texts), mode: mode)
  }

  /// A `[sequences.count, numWords ?? wordIndex.count + 1]` matrix, as Keras's
  /// `sequences_to_matrix` (ids at or beyond the width are skipped).
  public func sequencesToMatrix(_ sequences: [[Int]], mode: MatrixMode = .binary) throws
    -> [[Double]]
  {
    let width: Int
    if let n = numWords, n > 0 {
      width = n
    } else if !wordIndex.isEmpty {
      width = wordIndex.count + 1
    } else {
      throw VectorizationError.notFitted(
        "Specify a dimension (numWords), or fit the tokenizer on some text data first.")
    }
    if mode == .tfidf && documentCount == 0 {
      throw VectorizationError.notFitted("Fit the tokenizer on some data before using tfidf mode.")
    }
    return sequences.map { sequence in
      var row = [Double](repeating: 0, count: width)
      if sequence.isEmpty { return row }
      var counts: [Int: Int] = [:]
      for j in sequence where j < width { counts[j, default: 0] += 1 }
      for (j, c) in counts {
        switch mode {
        case .count: row[j] = Double(c)
        case .freq: row[j] = Double(c) / Double(sequence.count)
        case .binary: row[j] = 1
        case .tfidf:
          let tf = 1 + log(Double(c))
          let idf = log(1 + Double(documentCount) / Double(1 + (indexDocs[j] ?? 0)))
          row[j] = tf * idf
        }
      }
      return row
    }
  }
}
