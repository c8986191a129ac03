import RecurrentText

/// The linear form every model here scores with: `scores = x · Wᵀ + b`, `W` of shape `[R, D]`
/// (row-major), `b` of shape `[R]`, after an optional binarization of `x`.
///
/// `R` is 1 for binary SVMs, NB-SVM and logistic regression (the row scores class 1 against
/// class 0, as scikit-learn's `coef_` of shape `(1, D)`) and `K` otherwise (Naive Bayes always:
/// its row `k` is the joint log-likelihood of class `k` up to a constant).
///
/// ```swift
/// let scorer = LinearScorer(columns: 2, weights: [1, -1], intercepts: [0.5])
/// scorer.scores(features)  // [N, 1]
/// ```
public struct LinearScorer: Sendable, Equatable {
  /// `D`, the number of feature columns.
  public let columns: Int
  /// `[R, D]` row-major.
  public let weights: [Double]
  /// `[R]`.
  public let intercepts: [Double]
  /// When set, features are binarized (`x > threshold` → 1) before scoring.
  public let binarizeThreshold: Double?

  /// Creates a scorer; `weights.count` must be `intercepts.count * columns`.
  public init(
    columns: Int, weights: [Double], intercepts: [Double], binarizeThreshold: Double? = nil
  ) {
    precondition(weights.count == intercepts.count * columns, "weights must be [R, D]")
    self.columns = columns
    self.weights = weights
    self.intercepts = intercepts
    self.binarizeThreshold = binarizeThreshold
  }

  /// `R`, the number of score rows.
  public var scoreRows: Int { intercepts.count }

  /// The features as the weights expect them (binarized when the model says so).
  func prepared(_ x: SparseMatrix) throws -> SparseMatrix {
    guard x.columns == columns else {
      throw ClassicError.columnCountMismatch(expected: columns, received: x.columns)
    }
    if let threshold = binarizeThreshold { return x.binarized(threshold: threshold) }
    return x
  }

  /// The raw scores, `[N, R]` row-major.
  func flatScores(_ x: SparseMatrix) throws -> [Double] {
    let x = try prepared(x)
    return multiplyTransposed(x, weights: weights, rows: scoreRows, intercepts: intercepts)
  }

  /// The class index each row's scores pick: `score > 0` when `R == 1`, else the first maximum.
  func classIndices(_ flat: [Double]) -> [Int] {
    let r = scoreRows
    let n = flat.count / r
    if r == 1 { return flat.map { $0 > 0 ? 1 : 0 } }
    return (0..<n).map { i in
      var best = 0
      for k in 1..<r where flat[i * r + k] > flat[i * r + best] { best = k }
      return best
    }
  }
}

/// `x · Wᵀ + b` for CSR `x` `[N, D]` and dense row-major `W` `[R, D]`: `[N, R]` row-major.
func multiplyTransposed(_ x: SparseMatrix, weights: [Double], rows r: Int, intercepts: [Double])
  -> [Double]
{
  let n = x.rows
  let d = x.columns
  var out = [Double](repeating: 0, count: n * r)
  x.rowPointers.withUnsafeBufferPointer { ptr in
    x.columnIndices.withUnsafeBufferPointer { col in
      x.values.withUnsafeBufferPointer { val in
        weights.withUnsafeBufferPointer { w in
          out.withUnsafeMutableBufferPointer { o in
            for i in 0..<n {
              let start = ptr[i]
              let end = ptr[i + 1]
              for k in 0..<r {
                var s = intercepts[k]
                let base = k * d
                var e = start
                while e < end {
                  s += w[base + Int(col[e])] * val[e]
                  e += 1
                }
                o[i * r + k] = s
              }
            }
          }
        }
      }
    }
  }
  return out
}
