import RecurrentTensor

/// How per-sample losses become one number (Keras's `reduction` argument).
///
/// ```swift
/// let loss = MeanSquaredError(reduction: .sum)
/// ```
public enum LossReduction: String, Sendable, Codable, CaseIterable {
  /// Keras's default: the weighted sum divided by the number of per-sample values (or, when a
  /// mask is present, by the number of unmasked values).
  case sumOverBatchSize = "sum_over_batch_size"
  /// The weighted sum.
  case sum
}

/// A loss: a forward pass producing per-sample values and its backward pass (the gradient with
/// respect to the predictions), written side by side in each conforming type.
///
/// Per-sample values have the predictions' shape without the last axis (`[B]` for `[B, C]`,
/// `[B, T]` for `[B, T, C]`), as in Keras. Reduction, sample weights and masks are shared code
/// (``valueAndGradient(predictions:targets:sampleWeight:mask:)``).
///
/// ```swift
/// let bce = BinaryCrossentropy()
/// let (value, dPredictions) = try bce.valueAndGradient(
///   predictions: Tensor<Float>(shape: [2, 1], scalars: [0.9, 0.2]),
///   targets: Tensor<Float>(shape: [2, 1], scalars: [1, 0]))
/// ```
public protocol Loss: Sendable {
  /// The Keras name (`"binary_crossentropy"`), used in logs, history and saved configs.
  var name: String { get }
  /// How per-sample values are reduced to one number.
  var reduction: LossReduction { get }
  /// Forward: per-sample loss values, row-major over `predictions.shape.dropLast()`, and an
  /// optional validity mask of the same count (1 valid, 0 ignored).
  func perSampleLosses<S: TensorScalar>(
    predictions: Tensor<S>, targets: Tensor<S>
  ) throws -> (values: [S], mask: [S]?)
  /// Backward: the gradient of `Σᵢ upstream[i] · values[i]` with respect to `predictions`.
  func perSampleGradient<S: TensorScalar>(
    predictions: Tensor<S>, targets: Tensor<S>, upstream: [S]
  ) -> Tensor<S>
}

/// Errors from loss inputs (they come from data: labels, shapes, class ids).
public enum LossError: Error, CustomStringConvertible, Equatable {
  /// `targets` or `sampleWeight` does not fit `predictions`.
  case shapeMismatch(loss: String, what: String, expected: [Int], received: [Int])
  /// A sparse class id is not an integer in `0..<classes`.
  case invalidClassID(loss: String, index: Int, value: Double, classes: Int)

  public var description: String {
    switch self {
    case let .shapeMismatch(loss, what, expected, received):
      return "\(loss): \(what) must have shape \(expected), received \(received)"
    case let .invalidClassID(loss, index, value, classes):
      return
        "\(loss): target at flat index \(index) is \(value); class ids must be integers in "
        + "0..<\(classes) (check the label encoding or the output layer's units)"
    }
  }
}

extension Loss {
  /// The reduced loss value (forward only).
  public func callAsFunction<S: TensorScalar>(
    _ predictions: Tensor<S>, _ targets: Tensor<S>, sampleWeight: Tensor<S>? = nil,
    mask: Tensor<S>? = nil
  ) throws -> S {
    let (values, lossMask) = try perSampleLosses(predictions: predictions, targets: targets)
    let weights = try effectiveWeights(
      predictions: predictions, count: values.count, sampleWeight: sampleWeight, mask: mask,
      lossMask: lossMask)
    var total: S = 0
    for i in values.indices { total += weights[i] * values[i] }
    return total
  }

  /// The reduced loss value and its gradient with respect to `predictions`.
  ///
  /// `sampleWeight` has the per-sample shape (`[B]` or `[B, T]`) or a prefix of it (`[B]` for
  /// `[B, T]`, broadcast over time — Keras requires the full shape there). `mask` (`[B]` or
  /// `[B, T]`, 1 valid, 0 padded) drops entries from the sum and from the mean's denominator, as
  /// Keras does with a propagated mask.
  public func valueAndGradient<S: TensorScalar>(
    predictions: Tensor<S>, targets: Tensor<S>, sampleWeight: Tensor<S>? = nil,
    mask: Tensor<S>? = nil
  ) throws -> (value: S, gradient: Tensor<S>) {
    let (values, lossMask) = try perSampleLosses(predictions: predictions, targets: targets)
    let weights = try effectiveWeights(
      predictions: predictions, count: values.count, sampleWeight: sampleWeight, mask: mask,
      lossMask: lossMask)
    var total: S = 0
    for i in values.indices { total += weights[i] * values[i] }
    let gradient = perSampleGradient(
      predictions: predictions, targets: targets, upstream: weights)
    return (total, gradient)
  }

  /// The factor each per-sample value is multiplied by before summing: sample weight × mask ×
  /// (1 / denominator for the mean). This is also the upstream gradient of each value.
  func effectiveWeights<S: TensorScalar>(
    predictions: Tensor<S>, count: Int, sampleWeight: Tensor<S>?, mask: Tensor<S>?,
    lossMask: [S]?
  ) throws -> [S] {
    let perSampleShape = Array(predictions.shape.dropLast())
    var weights = [S](repeating: 1, count: count)
    if let sampleWeight {
      try broadcastMultiply(&weights, by: sampleWeight, shape: perSampleShape, what: "sampleWeight")
    }
    var masked = false
    var valid = [S](repeating: 1, count: count)
    if let mask {
      try broadcastMultiply(&valid, by: mask, shape: perSampleShape, what: "mask")
      masked = true
    }
    if let lossMask {
      for i in valid.indices { valid[i] *= lossMask[i] }
      masked = true
    }
    var denominator = S(count)
    if masked {
      denominator = valid.reduce(0, +)
      for i in weights.indices { weights[i] *= valid[i] }
    }
    if reduction == .sumOverBatchSize {
      // Keras's divide_no_nan: an all-masked batch contributes 0, not NaN.
      let scale: S = denominator == 0 ? 0 : 1 / denominator
      for i in weights.indices { weights[i] *= scale }
    }
    return weights
  }

  private func broadcastMultiply<S: TensorScalar>(
    _ values: inout [S], by factor: Tensor<S>, shape: [Int], what: String
  ) throws {
    let fshape =
      factor.shape.last == 1 && factor.rank > 1 ? Array(factor.shape.dropLast()) : factor.shape
    guard fshape.count <= shape.count, Array(shape.prefix(fshape.count)) == fshape else {
      throw LossError.shapeMismatch(
        loss: name, what: what, expected: shape, received: factor.shape)
    }
    // A prefix shape repeats each factor over the trailing axes (e.g. [B] over [B, T]).
    let inner = values.count / max(factor.count, 1)
    for i in values.indices { values[i] *= factor.scalars[i / inner] }
  }

  /// Throws unless `targets` has exactly `predictions`' shape.
  func requireSameShape<S: TensorScalar>(_ predictions: Tensor<S>, _ targets: Tensor<S>) throws {
    guard predictions.shape == targets.shape else {
      throw LossError.shapeMismatch(
        loss: name, what: "targets", expected: predictions.shape, received: targets.shape)
    }
  }
}

/// Loops over rows of the last axis: `body(rowStart, rowLength, rowIndex)`.
@inline(__always)
func forEachRow<S: TensorScalar>(_ t: Tensor<S>, _ body: (Int, Int, Int) -> Void) {
  let c = t.shape.last ?? 1
  let rows = c == 0 ? 0 : t.count / c
  for r in 0..<rows { body(r * c, c, r) }
}
