import RecurrentTensor

/// The elementwise regression losses, each a value `f(e)` and derivative `f′(e)` of the error
/// `e = prediction − target`, averaged over the last axis as Keras does.
enum RegressionKind: Sendable, Equatable {
  case squared, absolute, huber(delta: Double)

  @inline(__always) func value<S: TensorScalar>(_ e: S) -> S {
    switch self {
    case .squared: return e * e
    case .absolute: return abs(e)
    case .huber(let delta):
      let d = S(delta)
      return abs(e) <= d ? e * e / 2 : d * abs(e) - d * d / 2
    }
  }

  @inline(__always) func derivative<S: TensorScalar>(_ e: S) -> S {
    switch self {
    case .squared: return 2 * e
    case .absolute: return ScalarMath.sign(e)  // 0 at e == 0, as TensorFlow's abs gradient
    case .huber(let delta):
      let d = S(delta)
      return abs(e) <= d ? e : d * ScalarMath.sign(e)
    }
  }
}

/// Shared forward/backward for the regression losses.
protocol RegressionLoss: Loss {
  var kind: RegressionKind { get }
}

extension RegressionLoss {
  public func perSampleLosses<S: TensorScalar>(
    predictions: Tensor<S>, targets: Tensor<S>
  ) throws -> (values: [S], mask: [S]?) {
    try requireSameShape(predictions, targets)
    let p = predictions.scalars
    let y = targets.scalars
    var out = [S]()
    forEachRow(predictions) { start, c, _ in
      var sum: S = 0
      for i in start..<(start + c) { sum += kind.value(p[i] - y[i]) }
      out.append(sum / S(c))
    }
    return (out, nil)
  }

  public func perSampleGradient<S: TensorScalar>(
    predictions: Tensor<S>, targets: Tensor<S>, upstream: [S]
  ) -> Tensor<S> {
    let p = predictions.scalars
    let y = targets.scalars
    var g = [S](repeating: 0, count: p.count)
    forEachRow(predictions) { start, c, row in
      let scale = upstream[row] / S(c)
      for i in start..<(start + c) { g[i] = scale * kind.derivative(p[i] - y[i]) }
    }
    return Tensor(shape: predictions.shape, scalars: g)
  }
}

/// Mean squared error `mean((p − y)²)` over the last axis.
///
/// ```swift
/// let loss = MeanSquaredError()
/// ```
public struct MeanSquaredError: RegressionLoss {
  public var reduction: LossReduction
  public var name: String { "mean_squared_error" }
  var kind: RegressionKind { .squared }
  public init(reduction: LossReduction = .sumOverBatchSize) { self.reduction = reduction }
}

/// Mean absolute error `mean(|p − y|)` over the last axis (gradient 0 where `p == y`).
///
/// ```swift
/// let loss = MeanAbsoluteError()
/// ```
public struct MeanAbsoluteError: RegressionLoss {
  public var reduction: LossReduction
  public var name: String { "mean_absolute_error" }
  var kind: RegressionKind { .absolute }
  public init(reduction: LossReduction = .sumOverBatchSize) { self.reduction = reduction }
}

/// Huber loss: `½e²` where `|e| ≤ δ`, `δ·|e| − ½δ²` beyond, averaged over the last axis.
///
/// ```swift
/// let loss = Huber(delta: 0.5)
/// ```
public struct Huber: RegressionLoss {
  public var delta: Double
  public var reduction: LossReduction
  public var name: String { "huber_loss" }
  var kind: RegressionKind { .huber(delta: delta) }
  public init(delta: Double = 1, reduction: LossReduction = .sumOverBatchSize) {
    precondition(delta > 0, "Huber delta must be positive, received \(delta)")
    self.delta = delta
    self.reduction = reduction
  }
}

extension Loss where Self == MeanSquaredError {
  /// Mean squared error (``MeanSquaredError``).
  public static var meanSquaredError: MeanSquaredError { MeanSquaredError() }
}

extension Loss where Self == MeanAbsoluteError {
  /// Mean absolute error (``MeanAbsoluteError``).
  public static var meanAbsoluteError: MeanAbsoluteError { MeanAbsoluteError() }
}

extension Loss where Self == Huber {
  /// Huber loss (``Huber``).
  public static func huber(delta: Double = 1) -> Huber { Huber(delta: delta) }
}
