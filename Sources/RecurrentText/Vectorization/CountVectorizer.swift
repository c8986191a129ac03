/// A bound on document frequency, as scikit-learn's `min_df` / `max_df`: an absolute number of
/// documents (an integer literal) or a proportion of the documents (a floating-point literal in
/// `[0, 1]`).
///
/// ```swift
/// let v = CountVectorizer(minDf: 2, maxDf: 0.5)  // ≥ 2 documents, ≤ half of them
/// ```
public enum DocumentFrequencyBound: Sendable, Equatable, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral
{
  /// An absolute number of documents.
  case documents(Int)
  /// A proportion of the documents, in `[0, 1]`.
  case proportion(Double)

  public init(integerLiteral value: Int) { self = .documents(value) }
  public init(floatLiteral value: Double) { self = .proportion(value) }

  /// The bound in documents for a corpus of `documentCount` documents.
  func documents(outOf documentCount: Int) -> Double {
    switch self {
    case .documents(let n): return Double(n)
    case .proportion(let p): return p * Double(documentCount)
    }
  }

  func validate(_ name: String) throws {
    switch self {
    case .documents(let n) where n < 0:
      throw VectorizationError.invalidArgument(
        "\(name) must be a non-negative number of documents, received \(n)")
    case .proportion(let p) where !(0...1).contains(p):
      throw VectorizationError.invalidArgument(
        "\(name) as a proportion must lie in [0, 1], received \(p); pass an Int for a count")
    default: return
    }
  }
}

/// Turns documents into a sparse matrix of word n-gram counts `[documents, V]`, matching
/// scikit-learn's `CountVectorizer` (default analyzer: lower-case, token pattern
/// `(?u)\b\w\w+\b`, stop words removed before n-grams; columns in alphabetical order of the
/// feature names).
///
/// ```swift
/// var v = CountVectorizer(ngramRange: 1...2)
/// let x = try v.fitTransform(["the cat sat", "the cat ran"])  // 2 × 7 SparseMatrix
/// v.getFeatureNamesOut()  // ["cat", "cat ran", "cat sat", "ran", "sat", "the", "the cat"]
/// ```
///
/// Differences from scikit-learn: when `maxFeatures` cuts between terms of equal total count the
/// alphabetically first are kept (scikit-learn's unstable `argsort` leaves the choice to numpy);
/// the final-sigma rule of Python's `str.lower` is not applied (Σ always becomes σ).
public struct CountVectorizer: Sendable {
  /// The n-gram lengths to extract, e.g. `1...2` for unigrams and bigrams.
  public var ngramRange: ClosedRange<Int>
  /// Terms in fewer documents than this are dropped.
  public var minDf: DocumentFrequencyBound
  /// Terms in more documents than this are dropped.
  public var maxDf: DocumentFrequencyBound
  /// When set, keep only the terms with the highest total count.
  public var maxFeatures: Int?
  /// Record 1 for every present term instead of its count.
  public var binary: Bool
  /// Lower-case documents (Python's `str.lower`) before tokenizing.
  public var lowercase: Bool
  /// Tokens removed before n-grams are formed (compared exactly, after lower-casing the document).
  public var stopWords: [String]?
  /// Replaces the default token pattern, as scikit-learn's `tokenizer=` (it receives the
  /// lower-cased document when `lowercase`), e.g. `{ $0.split(separator: " ").map(String.init) }`.
  public var tokenizer: (@Sendable (String) -> [String])?

  var fitted: NGramVocabulary?

  /// Creates an unfitted vectorizer with scikit-learn's defaults.
  public init(
    ngramRange: ClosedRange<Int> = 1...1, minDf: DocumentFrequencyBound = 1,
    maxDf: DocumentFrequencyBound = 1.0, maxFeatures: Int? = nil, binary: Bool = false,
    lowercase: Bool = true, stopWords: [String]? = nil,
    tokenizer: (@Sendable (String) -> [String])? = nil
  ) {
    self.tokenizer = tokenizer
    self.ngramRange = ngramRange
    self.minDf = minDf
    self.maxDf = maxDf
    self.maxFeatures = maxFeatures
    self.binary = binary
    self.lowercase = lowercase
    self.stopWords = stopWords
  }

  /// Whether `fit` has run.
  public var isFitted: Bool { fitted != nil }

  /// The feature (column) names, column order (scikit-learn's `get_feature_names_out()`).
  public func getFeatureNamesOut() -> [String] { fitted?.featureNames ?? [] }

  /// Term → column, as scikit-learn's `vocabulary_` (built on each call: O(V)).
  public var vocabulary: [String: Int] {
    var out: [String: Int] = [:]
    for (c, name) in getFeatureNamesOut().enumerated() { out[name] = c }
    return out
  }

  /// The tokens and n-grams one document yields, in scikit-learn's `build_analyzer()` order
  /// (all unigrams, then bigrams, …), stop words removed.
  public func analyze(_ document: String) -> [String] {
    let stop = Set(stopWords ?? [])
    let tokens =
      tokenizer.map { $0(lowercase ? pythonLowercased(document) : document) }
      ?? WordPatternTokenizer(lowercase: lowercase).tokens(document)
    let words = tokens.filter { !stop.contains($0) }
    var out: [String] = []
    for n in ngramRange where n <= words.count {
      for start in 0...(words.count - n) {
        out.append(words[start..<(start + n)].joined(separator: " "))
      }
    }
    return out
  }

  /// Learns the vocabulary of `documents`.
  public mutating func fit(_ documents: [String]) throws {
    _ = try fitTransform(documents)
  }

  /// Learns the vocabulary and returns the count matrix `[documents.count, V]`.
  public mutating func fitTransform(_ documents: [String]) throws -> SparseMatrix {
    try validate()
    var vocab = NGramVocabulary(
      tokenizer: WordPatternTokenizer(lowercase: lowercase), customTokenizer: tokenizer,
      ngramRange: ngramRange,
      stopWords: stopWords ?? [])
    var rows = CountRows()
    var ids: [Int32] = []
    var tokenIDs: [Int32] = []
    var scratch: [UInt8] = []
    for document in documents {
      ids.removeAll(keepingCapacity: true)
      vocab.featureIDs(
        of: document, intern: true, tokenIDs: &tokenIDs, scratch: &scratch, into: &ids)
      rows.appendRow(ids, columnCount: vocab.features.count)
    }
    let featureCount = vocab.features.count
    if featureCount == 0 { throw VectorizationError.emptyVocabulary }

    var df = [Int32](repeating: 0, count: featureCount)
    var total = [Int](repeating: 0, count: featureCount)
    for k in 0..<rows.columns.count {
      let f = Int(rows.columns[k])
      df[f] += 1
      total[f] += binary ? 1 : Int(rows.counts[k])
    }
    let maxDocuments = maxDf.documents(outOf: documents.count)
    let minDocuments = minDf.documents(outOf: documents.count)
    if maxDocuments < minDocuments {
      throw VectorizationError.maxDfBelowMinDf(
        maxDocuments: maxDocuments, minDocuments: minDocuments)
    }
    let order = vocab.alphabeticalFeatureOrder()
    var kept = order.filter { f in
      let d = Double(df[Int(f)])
      return d <= maxDocuments && d >= minDocuments
    }
    if let limit = maxFeatures, kept.count > limit {
      // Highest total count first; ties keep alphabetical order (a stable sort of `kept`).
      let byCount = kept.enumerated().sorted { a, b in
        let ta = total[Int(a.element)]
        let tb = total[Int(b.element)]
        return ta != tb ? ta > tb : a.offset < b.offset
      }
      let chosen = Set(byCount.prefix(limit).map { $0.element })
      kept = kept.filter { chosen.contains($0) }
    }
    if kept.isEmpty { throw VectorizationError.noTermsRemain }

    var column = [Int32](repeating: -1, count: featureCount)
    for (c, f) in kept.enumerated() { column[Int(f)] = Int32(c) }
    vocab.column = column
    vocab.featureNames = vocab.names(ofFeatures: kept)
    fitted = vocab
    return rows.matrix(columns: kept.count, map: column, binary: binary)
  }

  /// The count matrix `[documents.count, V]` of `documents` over the fitted vocabulary; n-grams
  /// outside it are ignored.
  public func transform(_ documents: [String]) throws -> SparseMatrix {
    guard var vocab = fitted else {
      throw VectorizationError.notFitted(
        "CountVectorizer is not fitted: call fit(_:) or fitTransform(_:) before transform(_:)")
    }
    var rows = CountRows()
    var ids: [Int32] = []
    var tokenIDs: [Int32] = []
    var scratch: [UInt8] = []
    let columnCount = vocab.featureNames.count
    for document in documents {
      ids.removeAll(keepingCapacity: true)
      vocab.featureIDs(
        of: document, intern: false, tokenIDs: &tokenIDs, scratch: &scratch, into: &ids)
      // Map to columns here so pruned features never reach the row counter.
      var kept: [Int32] = []
      kept.reserveCapacity(ids.count)
      for f in ids where vocab.column[Int(f)] >= 0 { kept.append(vocab.column[Int(f)]) }
      rows.appendRow(kept, columnCount: columnCount)
    }
    return rows.matrix(columns: columnCount, map: nil, binary: binary)
  }

  private func validate() throws {
    guard ngramRange.lowerBound >= 1 else {
      throw VectorizationError.invalidArgument(
        "ngramRange must start at 1 or more, received \(ngramRange)")
    }
    try minDf.validate("minDf")
    try maxDf.validate("maxDf")
    if let m = maxFeatures, m < 1 {
      throw VectorizationError.invalidArgument(
        "maxFeatures must be positive (or nil for no limit), received \(m)")
    }
  }
}
