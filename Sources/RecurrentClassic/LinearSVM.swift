import RecurrentText

/// A linear support vector machine trained by dual coordinate descent, as scikit-learn's
/// `LinearSVC(dual=True)` (liblinear): L2 regularization, hinge or squared hinge loss, the
/// intercept as an extra regularized feature of value `interceptScaling`, one-vs-rest for more
/// than two classes.
///
///     min_w ½‖w‖² + C Σ_i loss(y_i (wᵀx_i + b))
///
/// ```swift
/// let svm = try LinearSVM(features: x, labels: y, cost: 1, seed: 0)
/// let scores = try svm.decisionFunction(xTest)  // [N][1] for two classes, [N][K] otherwise
/// ```
public struct LinearSVM<Label: Hashable & Comparable & Sendable>: LinearClassifier {
  public let classes: [Label]
  /// `[R, D]` weights (scikit-learn's `coef_`) and `[R]` intercepts (`intercept_`).
  public let scorer: LinearScorer
  /// The epochs each one-vs-rest problem took (scikit-learn's `n_iter_`).
  public let iterations: [Int]
  /// Whether every problem met `tolerance` before `maxIterations`.
  public var converged: Bool { iterations.allSatisfy { $0 < maxIterations } }
  let maxIterations: Int

  /// Fits the model on `features` `[N, D]`.
  /// - Parameters:
  ///   - cost: `C > 0`, the inverse regularization strength.
  ///   - fitIntercept: append a bias feature of value `interceptScaling` (regularized, as liblinear).
  ///   - tolerance: the stopping tolerance on the projected gradient's spread (liblinear `-e`).
  ///   - seed: fixes the coordinate visiting order.
  public init(
    features: SparseMatrix, labels: [Label], loss: SVMLoss = .squaredHinge, cost: Double = 1,
    fitIntercept: Bool = true, interceptScaling: Double = 1, tolerance: Double = 1e-4,
    maxIterations: Int = 1000, seed: UInt64 = 0
  ) throws {
    try checkParameter(cost > 0, "cost", cost, "> 0")
    try checkParameter(tolerance > 0, "tolerance", tolerance, "> 0")
    try checkParameter(interceptScaling > 0, "interceptScaling", interceptScaling, "> 0")
    try checkParameter(maxIterations >= 1, "maxIterations", Double(maxIterations), "≥ 1")
    let encoding = try ClassEncoding(labels: labels, rows: features.rows)
    var generator = SplitMix64(seed: seed)
    let problems = encoding.classes.count == 2 ? [1] : Array(0..<encoding.classes.count)
    var weights: [Double] = []
    var intercepts: [Double] = []
    var iterations: [Int] = []
    for positiveClass in problems {
      let solution = solveDualSVM(
        features, positive: encoding.indices.map { $0 == positiveClass }, cost: cost, loss: loss,
        bias: fitIntercept ? interceptScaling : nil, tolerance: tolerance,
        maxIterations: maxIterations, generator: &generator)
      weights += solution.weights
      intercepts.append(interceptScaling * solution.biasWeight)
      iterations.append(solution.iterations)
    }
    classes = encoding.classes
    scorer = LinearScorer(columns: features.columns, weights: weights, intercepts: intercepts)
    self.iterations = iterations
    self.maxIterations = maxIterations
  }
}
