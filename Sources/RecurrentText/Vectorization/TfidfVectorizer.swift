#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Row normalization of a TF-IDF matrix, as scikit-learn's `norm`.
public enum TfidfNorm: Sendable, Equatable {
  /// Each row divided by the sum of its absolute values.
  case l1
  /// Each row divided by its Euclidean length (scikit-learn's default).
  case l2
}

/// Re-weights a count matrix `[documents, V]` by inverse document frequency, as scikit-learn's
/// `TfidfTransformer`: `idf = ln((1 + n) / (1 + df)) + 1` (smooth) or `ln(n / df) + 1`,
/// `tf = count` or `1 + ln(count)` (sublinear), then each row normalized.
///
/// ```swift
/// var t = TfidfTransformer()
/// let weights = try t.fitTransform(counts)  // counts from CountVectorizer
/// ```
public struct TfidfTransformer: Sendable {
  /// Row normalization; `nil` leaves rows unnormalized.
  public var norm: TfidfNorm?
  /// Multiply by the inverse document frequency.
  public var useIdf: Bool
  /// Add one to every document frequency (as if one extra document held every term).
  public var smoothIdf: Bool
  /// Replace a count `c` by `1 + ln(c)`.
  public var sublinearTf: Bool
  /// The learned idf per column (empty until fitted, or when `useIdf` is false).
  public private(set) var idf: [Double] = []

  /// Creates a transformer with scikit-learn's defaults.
  public init(
    norm: TfidfNorm? = .l2, useIdf: Bool = true, smoothIdf: Bool = true, sublinearTf: Bool = false
  ) {
    self.norm = norm
    self.useIdf = useIdf
    self.smoothIdf = smoothIdf
    self.sublinearTf = sublinearTf
  }

  /// Learns the idf vector from a count matrix.
  public mutating func fit(_ counts: SparseMatrix) {
    guard useIdf else {
      idf = []
      return
    }
    var df = [Double](repeating: 0, count: counts.columns)
    for c in counts.columnIndices { df[Int(c)] += 1 }
    let smooth = smoothIdf ? 1.0 : 0.0
    let n = Double(counts.rows) + smooth
    // Same operation order as scikit-learn: full(n) / df, log, + 1.
    idf = df.map { log(n / ($0 + smooth)) + 1 }
  }

  /// Learns the idf vector and returns the weighted matrix.
  public mutating func fitTransform(_ counts: SparseMatrix) throws -> SparseMatrix {
    fit(counts)
    return try transform(counts)
  }

  /// The TF-IDF weights of a count matrix over the fitted columns.
  public func transform(_ counts: SparseMatrix) throws -> SparseMatrix {
    if useIdf && idf.count != counts.columns {
      throw VectorizationError.notFitted(
        "TfidfTransformer has \(idf.count) idf values but the matrix has \(counts.columns)"
          + " columns: fit it on counts over the same vocabulary first")
    }
    var values = counts.values
    values.withUnsafeMutableBufferPointer { v in
      counts.columnIndices.withUnsafeBufferPointer { cols in
        idf.withUnsafeBufferPointer { idf in
          if sublinearTf { for k in v.indices { v[k] = log(v[k]) + 1 } }
          if useIdf { for k in v.indices { v[k] *= idf[Int(cols[k])] } }
          guard let norm else { return }
          for r in 0..<counts.rows {
            let range = counts.rowPointers[r]..<counts.rowPointers[r + 1]
            var s = 0.0
            switch norm {
            case .l1: for k in range { s += abs(v[k]) }
            case .l2:
              for k in range { s += v[k] * v[k] }
              s = s.squareRoot()
            }
            if s == 0 { continue }  // an empty row stays zero, as scikit-learn
            for k in range { v[k] /= s }
          }
        }
      }
    }
    return SparseMatrix(
      rows: counts.rows, columns: counts.columns, rowPointers: counts.rowPointers,
      columnIndices: counts.columnIndices, values: values)
  }
}

/// Turns documents into TF-IDF features `[documents, V]`: a `CountVectorizer` followed by a
/// `TfidfTransformer`, matching scikit-learn's `TfidfVectorizer` (defaults: unigrams, smooth idf,
/// l2-normalized rows; columns in alphabetical order of the feature names).
///
/// ```swift
/// var v = TfidfVectorizer(ngramRange: 1...2, minDf: 2)
/// let x = try v.fitTransform(trainTexts)   // SparseMatrix, CSR
/// let y = try v.transform(testTexts)
/// v.idf                                     // [V]
/// ```
public struct TfidfVectorizer: Sendable {
  /// The tokenizing and counting step (n-grams, document-frequency pruning, stop words, …).
  public var counter: CountVectorizer
  /// The weighting step (idf, sublinear tf, normalization).
  public var weighting: TfidfTransformer

  /// Creates an unfitted vectorizer with scikit-learn's defaults.
  public init(
    ngramRange: ClosedRange<Int> = 1...1, minDf: DocumentFrequencyBound = 1,
    maxDf: DocumentFrequencyBound = 1.0, maxFeatures: Int? = nil, binary: Bool = false,
    lowercase: Bool = true, stopWords: [String]? = nil,
    tokenizer: (@Sendable (String) -> [String])? = nil, norm: TfidfNorm? = .l2,
    useIdf: Bool = true, smoothIdf: Bool = true, sublinearTf: Bool = false
  ) {
    counter = CountVectorizer(
      ngramRange: ngramRange, minDf: minDf, maxDf: maxDf, maxFeatures: maxFeatures,
      binary: binary, lowercase: lowercase, stopWords: stopWords, tokenizer: tokenizer)
    weighting = TfidfTransformer(
      norm: norm, useIdf: useIdf, smoothIdf: smoothIdf, sublinearTf: sublinearTf)
  }

  /// The learned idf per column (scikit-learn's `idf_`).
  public var idf: [Double] { weighting.idf }

  /// The feature (column) names in column order (scikit-learn's `get_feature_names_out()`).
  public func getFeatureNamesOut() -> [String] { counter.getFeatureNamesOut() }

  /// Term → column, as scikit-learn's `vocabulary_` (built on each call: O(V)).
  public var vocabulary: [String: Int] { counter.vocabulary }

  /// Learns vocabulary and idf from `documents`.
  public mutating func fit(_ documents: [String]) throws {
    _ = try fitTransform(documents)
  }

  /// Learns vocabulary and idf and returns the TF-IDF matrix `[documents.count, V]`.
  public mutating func fitTransform(_ documents: [String]) throws -> SparseMatrix {
    let counts = try counter.fitTransform(documents)
    return try weighting.fitTransform(counts)
  }

  /// The TF-IDF matrix `[documents.count, V]` of `documents` over the fitted vocabulary.
  public func transform(_ documents: [String]) throws -> SparseMatrix {
    try weighting.transform(try counter.transform(documents))
  }
}
