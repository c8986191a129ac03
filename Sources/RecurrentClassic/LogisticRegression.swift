import Foundation
import RecurrentText

/// L2-regularized logistic regression fitted by L-BFGS, as scikit-learn's default
/// `LogisticRegression(C=1, solver="lbfgs")`: binomial for two classes (one weight row), softmax
/// (multinomial) for more; the intercept is not regularized.
///
///     min_W  (1/N) Σ_i loss(W x_i + b, y_i) + 1/(2 C N) ‖W‖²
///
/// ```swift
/// let lr = try LogisticRegression(features: x, labels: y, cost: 1)
/// let p = try lr.predictProbability(xTest)  // [N][K]
/// ```
public struct LogisticRegression<Label: Hashable & Comparable & Sendable>: LinearClassifier {
  public let classes: [Label]
  /// `[R, D]` weights (`coef_`) and `[R]` intercepts (`intercept_`), `R = 1` for two classes.
  public let scorer: LinearScorer
  /// L-BFGS iterations taken (`n_iter_`).
  public let iterations: Int
  /// Whether a tolerance was met before `maxIterations`.
  public let converged: Bool

  /// Fits the model on `features` `[N, D]`.
  /// - Parameters:
  ///   - cost: `C > 0`, the inverse regularization strength.
  ///   - tolerance: stop when every gradient component is at most this (scipy's `gtol`).
  ///   - memory: L-BFGS correction pairs (scipy's `maxcor`).
  public init(
    features: SparseMatrix, labels: [Label], cost: Double = 1, fitIntercept: Bool = true,
    tolerance: Double = 1e-4, maxIterations: Int = 100, memory: Int = 10
  ) throws {
    try checkParameter(cost > 0, "cost", cost, "> 0")
    try checkParameter(tolerance > 0, "tolerance", tolerance, "> 0")
    try checkParameter(maxIterations >= 1, "maxIterations", Double(maxIterations), "≥ 1")
    try checkParameter(memory >= 1, "memory", Double(memory), "≥ 1")
    let encoding = try ClassEncoding(labels: labels, rows: features.rows)
    let objective = LogisticObjective(
      x: features, target: encoding.indices, classes: encoding.classes.count,
      l2: 1 / (cost * Double(features.rows)), fitIntercept: fitIntercept)
    let solver = LBFGS(
      memory: memory, gradientTolerance: tolerance, maxIterations: maxIterations)
    let start = [Double](repeating: 0, count: objective.parameterCount)
    let result = solver.minimize(start: start) { objective.evaluate($0, gradient: &$1) }
    let weightCount = objective.rows * features.columns
    classes = encoding.classes
    scorer = LinearScorer(
      columns: features.columns, weights: Array(result.x[0..<weightCount]),
      intercepts: fitIntercept
        ? Array(result.x[weightCount...]) : [Double](repeating: 0, count: objective.rows))
    iterations = result.iterations
    converged = result.converged
  }

  /// `P(class | x)` for each row, `[N][K]`.
  public func predictProbability(_ features: SparseMatrix) throws -> [[Double]] {
    var flat = try scorer.flatScores(features)
    if scorer.scoreRows == 1 {
      return flat.map { z in
        let p = sigmoid(z)
        return [1 - p, p]
      }
    }
    let k = scorer.scoreRows
    softmaxRows(&flat, classes: k)
    return (0..<features.rows).map { Array(flat[$0 * k..<($0 + 1) * k]) }
  }
}

func sigmoid(_ z: Double) -> Double {
  z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
}

/// `log(1 + e^z)` without overflow.
func softplus(_ z: Double) -> Double {
  z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))
}

/// The mean logistic loss plus the L2 term, and its gradient. Parameters: `W` `[R, D]` row-major,
/// then the `[R]` intercepts when fitted. `R = 1` (binomial, `y ∈ {0, 1}`) for two classes, else
/// `R = K` (softmax).
struct LogisticObjective {
  let x: SparseMatrix
  let target: [Int]
  let classes: Int
  let l2: Double
  let fitIntercept: Bool

  var rows: Int { classes == 2 ? 1 : classes }
  var parameterCount: Int { rows * x.columns + (fitIntercept ? rows : 0) }

  func evaluate(_ p: [Double], gradient: inout [Double]) -> Double {
    let n = x.rows
    let d = x.columns
    let r = rows
    let interceptOffset = r * d
    var loss = 0.0
    var residual = [Double](repeating: 0, count: r)
    p.withUnsafeBufferPointer { p in
      gradient.withUnsafeMutableBufferPointer { g in
        g.update(repeating: 0)
        x.rowPointers.withUnsafeBufferPointer { ptr in
          x.columnIndices.withUnsafeBufferPointer { col in
            x.values.withUnsafeBufferPointer { val in
              residual.withUnsafeMutableBufferPointer { res in
                for i in 0..<n {
                  let start = ptr[i]
                  let end = ptr[i + 1]
                  for k in 0..<r {
                    var z = fitIntercept ? p[interceptOffset + k] : 0
                    let base = k * d
                    var e = start
                    while e < end {
                      z += p[base + Int(col[e])] * val[e]
                      e += 1
                    }
                    res[k] = z
                  }
                  let y = target[i]
                  if r == 1 {
                    let z = res[0]
                    let label = Double(y)
                    loss += softplus(z) - label * z
                    res[0] = sigmoid(z) - label
                  } else {
                    var m = -Double.infinity
                    for k in 0..<r { m = max(m, res[k]) }
                    var s = 0.0
                    for k in 0..<r { s += exp(res[k] - m) }
                    let logSum = m + log(s)
                    loss += logSum - res[y]
                    for k in 0..<r { res[k] = exp(res[k] - logSum) - (k == y ? 1 : 0) }
                  }
                  for k in 0..<r {
                    let rk = res[k]
                    let base = k * d
                    var e = start
                    while e < end {
                      g[base + Int(col[e])] += rk * val[e]
                      e += 1
                    }
                    if fitIntercept { g[interceptOffset + k] += rk }
                  }
                }
              }
            }
          }
        }
        let scale = 1 / Double(n)
        var penalty = 0.0
        let pp = p.baseAddress!
        let gp = g.baseAddress!
        var j = 0
        while j < interceptOffset {
          penalty += pp[j] * pp[j]
          gp[j] = gp[j] * scale + l2 * pp[j]
          j &+= 1
        }
        for j in interceptOffset..<g.count { g[j] *= scale }
        loss = loss * scale + 0.5 * l2 * penalty
      }
    }
    return loss
  }
}
