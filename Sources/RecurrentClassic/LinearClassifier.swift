import Foundation
import RecurrentText

/// A classifier whose scores are linear in the (possibly binarized) features: Naive Bayes, NB-SVM,
/// linear SVM and logistic regression. Gives `predict`, `decisionFunction` and `explain` for free.
///
/// ```swift
/// let model = try LinearSVM(features: x, labels: y)
/// let labels = try model.predict(xTest)             // [N]
/// let why = try model.explain(xTest, row: 0, top: 5)
/// ```
public protocol LinearClassifier: Sendable {
  /// The label type: any sortable value (`String`, `Int`, ...).
  associatedtype Label: Hashable & Comparable & Sendable
  /// The classes, ascending (scikit-learn's `classes_`).
  var classes: [Label] { get }
  /// The weights and intercepts the model scores with.
  var scorer: LinearScorer { get }
}

/// One feature's share of a prediction: `contribution = weight · value`.
public struct FeatureContribution: Sendable, Equatable {
  /// The feature column.
  public let feature: Int
  /// The feature's value in the row, after the model's own binarization.
  public let value: Double
  /// The feature's weight for the predicted class against the runner-up.
  public let weight: Double
  /// `weight · value`; positive values push towards the predicted class.
  public let contribution: Double
}

/// Why a linear model predicted what it did for one row.
///
/// ```swift
/// let why = try model.explain(x, row: 3, top: 5)
/// for c in why.contributions { print(vocabulary[c.feature], c.contribution) }
/// ```
public struct Explanation<Label: Sendable>: Sendable {
  /// The predicted class.
  public let predicted: Label
  /// The runner-up class the margin is measured against.
  public let runnerUp: Label
  /// Score of `predicted` minus score of `runnerUp` (≥ 0); equals the intercept difference plus
  /// the sum of every contribution.
  public let margin: Double
  /// The intercept's share of the margin.
  public let interceptContribution: Double
  /// The largest contributions by magnitude (ties by feature index), at most `top` of them.
  public let contributions: [FeatureContribution]
}

extension LinearClassifier {
  /// The scores, `[N][R]`: `R = 1` (class 1 against class 0) for binary SVMs, NB-SVM and
  /// logistic regression, `R = K` otherwise (joint log-likelihoods for Naive Bayes).
  public func decisionFunction(_ features: SparseMatrix) throws -> [[Double]] {
    let flat = try scorer.flatScores(features)
    let r = scorer.scoreRows
    return (0..<features.rows).map { Array(flat[$0 * r..<($0 + 1) * r]) }
  }

  /// The predicted class of each row, `[N]`.
  public func predict(_ features: SparseMatrix) throws -> [Label] {
    let flat = try scorer.flatScores(features)
    return scorer.classIndices(flat).map { classes[$0] }
  }

  /// The features that contributed most to the prediction for `row`: each stored feature's
  /// `weight · value`, with the weight taken as (predicted class − runner-up class) so that the
  /// contributions plus the intercept difference add up to the margin.
  public func explain(_ features: SparseMatrix, row: Int, top: Int = 10) throws -> Explanation<
    Label
  > {
    guard row >= 0 && row < features.rows else {
      throw ClassicError.rowOutOfRange(row: row, rows: features.rows)
    }
    let x = try scorer.prepared(features.selectingRows([row]))
    let scores = multiplyTransposed(
      x, weights: scorer.weights, rows: scorer.scoreRows, intercepts: scorer.intercepts)
    let d = scorer.columns
    let w = scorer.weights
    let predicted: Int
    let runnerUp: Int
    let weightOf: (Int) -> Double
    let interceptShare: Double
    if scorer.scoreRows == 1 {
      let sign: Double = scores[0] > 0 ? 1 : -1
      predicted = scores[0] > 0 ? 1 : 0
      runnerUp = 1 - predicted
      weightOf = { sign * w[$0] }
      interceptShare = sign * scorer.intercepts[0]
    } else {
      let c = scorer.classIndices(scores)[0]
      var r = c == 0 ? 1 : 0
      for k in 0..<scores.count where k != c && scores[k] > scores[r] { r = k }
      predicted = c
      runnerUp = r
      weightOf = { w[c * d + $0] - w[r * d + $0] }
      interceptShare = scorer.intercepts[c] - scorer.intercepts[r]
    }
    var all: [FeatureContribution] = []
    for (column, value) in x.row(0) {
      let weight = weightOf(column)
      all.append(
        FeatureContribution(
          feature: column, value: value, weight: weight, contribution: weight * value))
    }
    all.sort {
      abs($0.contribution) != abs($1.contribution)
        ? abs($0.contribution) > abs($1.contribution) : $0.feature < $1.feature
    }
    let margin = interceptShare + all.reduce(0) { $0 + $1.contribution }
    return Explanation(
      predicted: classes[predicted], runnerUp: classes[runnerUp], margin: margin,
      interceptContribution: interceptShare, contributions: Array(all.prefix(max(0, top))))
  }
}

/// Row-wise softmax of `[N, K]` scores in place (log-sum-exp shifted, as scikit-learn).
func softmaxRows(_ scores: inout [Double], classes k: Int) {
  let n = scores.count / k
  for i in 0..<n {
    var m = -Double.infinity
    for j in 0..<k { m = max(m, scores[i * k + j]) }
    var s = 0.0
    for j in 0..<k {
      let e = exp(scores[i * k + j] - m)
      scores[i * k + j] = e
      s += e
    }
    for j in 0..<k { scores[i * k + j] /= s }
  }
}
