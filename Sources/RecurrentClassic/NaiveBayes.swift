import Foundation
import RecurrentText

/// How Naive Bayes sets the class prior `P(class)`.
public enum ClassPrior: Sendable, Equatable {
  /// The class frequencies of the training labels (scikit-learn's `fit_prior=True`).
  case fitted
  /// Every class equally likely (`fit_prior=False`).
  case uniform
  /// Given probabilities, one per class in `classes` order (`class_prior=[...]`).
  case given([Double])
}

/// Multinomial Naive Bayes on counts (or binary presence, or TF-IDF), as scikit-learn's
/// `MultinomialNB`: `log P(j | k) = log(N_kj + α) − log(Σ_j N_kj + α·D)`.
///
/// ```swift
/// let nb = try MultinomialNaiveBayes(features: counts, labels: ["neg", "pos", ...], alpha: 1)
/// let p = try nb.predictProbability(testCounts)  // [N][K]
/// ```
public struct MultinomialNaiveBayes<Label: Hashable & Comparable & Sendable>: LinearClassifier {
  public let classes: [Label]
  public let scorer: LinearScorer
  /// `[K, D]` row-major: `log P(feature j | class k)` (`feature_log_prob_`).
  public var featureLogProbability: [Double] { scorer.weights }
  /// `[K]`: `log P(class k)` (`class_log_prior_`).
  public var classLogPrior: [Double] { scorer.intercepts }

  /// Fits the model. `features` `[N, D]` must be non-negative; `alpha ≥ 0` is the additive
  /// smoothing (used as given, as scikit-learn's `force_alpha=True`).
  public init(
    features: SparseMatrix, labels: [Label], alpha: Double = 1, prior: ClassPrior = .fitted
  ) throws {
    try checkParameter(alpha >= 0, "alpha", alpha, "≥ 0")
    let encoding = try ClassEncoding(labels: labels, rows: features.rows)
    for r in 0..<features.rows {
      for (column, value) in features.row(r) where value < 0 {
        throw ClassicError.negativeFeature(row: r, column: column, value: value)
      }
    }
    let k = encoding.classes.count
    let d = features.columns
    var logProb = featureCountsByClass(features, classOf: encoding.indices, classes: k)
    for c in 0..<k {
      var total = 0.0
      for j in 0..<d {
        logProb[c * d + j] += alpha
        total += logProb[c * d + j]
      }
      let logTotal = log(total)
      for j in 0..<d { logProb[c * d + j] = log(logProb[c * d + j]) - logTotal }
    }
    classes = encoding.classes
    scorer = LinearScorer(
      columns: d, weights: logProb,
      intercepts: try classLogPriors(prior, counts: encoding.counts))
  }

  /// `P(class | x)` for each row, `[N][K]`.
  public func predictProbability(_ features: SparseMatrix) throws -> [[Double]] {
    try naiveBayesProbabilities(scorer, features)
  }
}

/// Bernoulli Naive Bayes on binary features, as scikit-learn's `BernoulliNB`:
/// `P(j | k) = (N_kj + α) / (N_k + 2α)`, absent features count through `log(1 − P(j | k))`.
///
/// ```swift
/// let nb = try BernoulliNaiveBayes(features: counts, labels: labels, binarize: 0)
/// ```
public struct BernoulliNaiveBayes<Label: Hashable & Comparable & Sendable>: LinearClassifier {
  public let classes: [Label]
  /// Weights `log P(j|k) − log(1 − P(j|k))` and intercepts `log P(k) + Σ_j log(1 − P(j|k))`: the
  /// joint log-likelihood written as one linear form over the binarized features.
  public let scorer: LinearScorer
  /// `[K, D]` row-major: `log P(feature j present | class k)` (`feature_log_prob_`).
  public let featureLogProbability: [Double]
  /// `[K]`: `log P(class k)` (`class_log_prior_`).
  public let classLogPrior: [Double]

  /// Fits the model. `binarize`: values greater than it count as present (`nil` = the features
  /// are already 0/1, as scikit-learn's `binarize=None`).
  public init(
    features: SparseMatrix, labels: [Label], alpha: Double = 1, binarize: Double? = 0,
    prior: ClassPrior = .fitted
  ) throws {
    try checkParameter(alpha >= 0, "alpha", alpha, "≥ 0")
    let encoding = try ClassEncoding(labels: labels, rows: features.rows)
    let x = binarize.map { features.binarized(threshold: $0) } ?? features
    let k = encoding.classes.count
    let d = features.columns
    let counts = encoding.counts
    var logProb = featureCountsByClass(x, classOf: encoding.indices, classes: k)
    var weights = [Double](repeating: 0, count: k * d)
    let prior = try classLogPriors(prior, counts: counts)
    var intercepts = prior
    for c in 0..<k {
      let logDenominator = log(Double(counts[c]) + 2 * alpha)
      var negativeSum = 0.0
      for j in 0..<d {
        let lp = log(logProb[c * d + j] + alpha) - logDenominator
        let negative = log(1 - exp(lp))
        logProb[c * d + j] = lp
        weights[c * d + j] = lp - negative
        negativeSum += negative
      }
      intercepts[c] += negativeSum
    }
    classes = encoding.classes
    featureLogProbability = logProb
    classLogPrior = prior
    scorer = LinearScorer(
      columns: d, weights: weights, intercepts: intercepts, binarizeThreshold: binarize)
  }

  /// `P(class | x)` for each row, `[N][K]`.
  public func predictProbability(_ features: SparseMatrix) throws -> [[Double]] {
    try naiveBayesProbabilities(scorer, features)
  }
}

/// `N_kj = Σ_{i in class k} x_ij`, `[K, D]` row-major.
func featureCountsByClass(_ x: SparseMatrix, classOf: [Int], classes k: Int) -> [Double] {
  let d = x.columns
  var counts = [Double](repeating: 0, count: k * d)
  counts.withUnsafeMutableBufferPointer { out in
    for r in 0..<x.rows {
      let base = classOf[r] * d
      for e in x.rowPointers[r]..<x.rowPointers[r + 1] {
        out[base + Int(x.columnIndices[e])] += x.values[e]
      }
    }
  }
  return counts
}

func classLogPriors(_ prior: ClassPrior, counts: [Int]) throws -> [Double] {
  switch prior {
  case .fitted:
    let logTotal = log(Double(counts.reduce(0, +)))
    return counts.map { log(Double($0)) - logTotal }
  case .uniform:
    return counts.map { _ in -log(Double(counts.count)) }
  case .given(let p):
    guard p.count == counts.count, p.allSatisfy({ $0 >= 0 }) else {
      throw ClassicError.invalidParameter(
        name: "prior", value: "\(p)",
        expected: "\(counts.count) non-negative probabilities, one per class")
    }
    return p.map { log($0) }
  }
}

func naiveBayesProbabilities(_ scorer: LinearScorer, _ features: SparseMatrix) throws -> [[Double]]
{
  var flat = try scorer.flatScores(features)
  let k = scorer.scoreRows
  softmaxRows(&flat, classes: k)
  return (0..<features.rows).map { Array(flat[$0 * k..<($0 + 1) * k]) }
}
