import Foundation
import RecurrentText

/// Word n-gram features for the linear models: counts (or presence) of the vocabulary's n-grams,
/// optionally re-weighted by TF-IDF and L2-normalized, as scikit-learn's `CountVectorizer` /
/// `TfidfVectorizer` with `tokenizer=str.split` on lower-cased text.
///
/// The vocabulary is learned by ``CountVectorizer``; this type keeps what transforming new text
/// needs (feature names, idf) so a saved classifier reproduces its features exactly.
///
/// ```swift
/// let features = try BagOfNGrams(fitting: texts, ngrams: 1...2, weighting: .binary)
/// let x = features.transform(["a great film"])   // [1, V] CSR
/// ```
public struct BagOfNGrams: Sendable, Codable, Equatable {
  /// How n-gram counts become feature values.
  public enum Weighting: String, Sendable, Codable {
    /// 1 when the n-gram occurs.
    case binary
    /// `count · idf`, each row L2-normalized (scikit-learn's `TfidfVectorizer()` defaults).
    case tfidf
    /// `(1 + ln count) · idf`, each row L2-normalized (scikit-learn's `sublinear_tf=True`).
    case sublinearTfidf
  }

  /// The n-gram lengths.
  public let ngrams: ClosedRange<Int>
  /// The value transformation.
  public let weighting: Weighting
  /// Column order, as scikit-learn's `get_feature_names_out()` (alphabetical).
  public let featureNames: [String]
  /// Smoothed idf per column (empty for `.binary`).
  public let idf: [Double]

  /// Learns the vocabulary (and idf) of `texts`.
  /// - Throws: `VectorizationError` when no n-gram remains (e.g. only empty texts).
  public init(fitting texts: [String], ngrams: ClosedRange<Int> = 1...2, weighting: Weighting)
    throws
  {
    var counter = CountVectorizer(
      ngramRange: ngrams, binary: weighting == .binary, tokenizer: BagOfNGrams.whitespaceTokens)
    let counts = try counter.fitTransform(texts)
    self.ngrams = ngrams
    self.weighting = weighting
    self.featureNames = counter.getFeatureNamesOut()
    if weighting != .binary {
      var tfidf = TfidfTransformer(sublinearTf: weighting == .sublinearTfidf)
      tfidf.fit(counts)
      idf = tfidf.idf
    } else {
      idf = []
    }
  }

  /// Splits lower-cased text on whitespace (the corpora here come tokenized).
  @Sendable static func whitespaceTokens(_ text: String) -> [String] {
    text.split(whereSeparator: \.isWhitespace).map(String.init)
  }

  /// The number of features (columns).
  public var count: Int { featureNames.count }

  /// The feature rows of `texts`, `[texts.count, count]`; unknown n-grams are ignored.
  public func transform(_ texts: [String]) -> SparseMatrix {
    let analyzer = CountVectorizer(ngramRange: ngrams, tokenizer: BagOfNGrams.whitespaceTokens)
    let column = Dictionary(uniqueKeysWithValues: featureNames.enumerated().map { ($1, $0) })
    var rowPointers = [0]
    var columns: [Int32] = []
    var values: [Double] = []
    var rowCounts: [Int: Int] = [:]
    for text in texts {
      rowCounts.removeAll(keepingCapacity: true)
      for gram in analyzer.analyze(text) {
        if let c = column[gram] { rowCounts[c, default: 0] += 1 }
      }
      // Sorting the columns fixes the order whatever the dictionary's iteration order.
      let sorted = rowCounts.keys.sorted()
      var rowValues = sorted.map { c -> Double in
        switch weighting {
        case .binary: return 1
        case .tfidf: return Double(rowCounts[c]!) * idf[c]
        case .sublinearTfidf: return (1 + log(Double(rowCounts[c]!))) * idf[c]
        }
      }
      if weighting != .binary {
        let norm = rowValues.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { rowValues = rowValues.map { $0 / norm } }
      }
      columns.append(contentsOf: sorted.map { Int32($0) })
      values.append(contentsOf: rowValues)
      rowPointers.append(values.count)
    }
    return SparseMatrix(
      rows: texts.count, columns: featureNames.count, rowPointers: rowPointers,
      columnIndices: columns, values: values)
  }
}
