import RecurrentTensor

/// Keras's fuzz factor (`keras.config.epsilon()`): probabilities are clipped to `[ε, 1 − ε]`
/// before the log.
let kerasEpsilon = 1e-7

/// Binary cross-entropy, `−(y·log p + (1 − y)·log(1 − p))` averaged over the last axis, on
/// probabilities (clipped to `[ε, 1 − ε]` as Keras does, so the gradient is 0 where clipping
/// applied) or on logits (`max(x, 0) − x·y + log(1 + e^−|x|)`, stable for any `x`).
///
/// Predictions and targets `[B, C]` (or `[B, T, C]`); per-sample values `[B]` (`[B, T]`).
///
/// ```swift
/// let loss = BinaryCrossentropy(fromLogits: true)
/// ```
public struct BinaryCrossentropy: Loss {
  public var fromLogits: Bool
  public var reduction: LossReduction
  public var name: String { "binary_crossentropy" }

  public init(fromLogits: Bool = false, reduction: LossReduction = .sumOverBatchSize) {
    self.fromLogits = fromLogits
    self.reduction = reduction
  }

  public func perSampleLosses<S: TensorScalar>(
    predictions: Tensor<S>, targets: Tensor<S>
  ) throws -> (values: [S], mask: [S]?) {
    try requireSameShape(predictions, targets)
    let p = predictions.scalars
    let y = targets.scalars
    let eps = S(kerasEpsilon)
    var out = [S]()
    forEachRow(predictions) { start, c, _ in
      var sum: S = 0
      for i in start..<(start + c) {
        if fromLogits {
          let x = p[i]
          sum += max(x, 0) - x * y[i] + ScalarMath.log1p(ScalarMath.exp(-abs(x)))
        } else {
          let q = min(max(p[i], eps), 1 - eps)
          sum -= y[i] * ScalarMath.log(q) + (1 - y[i]) * ScalarMath.log(1 - q)
        }
      }
      out.append(sum / S(c))
    }
    return (out, nil)
  }

  public func perSampleGradient<S: TensorScalar>(
    predictions: Tensor<S>, targets: Tensor<S>, upstream: [S]
  ) -> Tensor<S> {
    let p = predictions.scalars
    let y = targets.scalars
    let eps = S(kerasEpsilon)
    var g = [S](repeating: 0, count: p.count)
    forEachRow(predictions) { start, c, row in
      let scale = upstream[row] / S(c)
      for i in start..<(start + c) {
        if fromLogits {
          let s = 1 / (1 + ScalarMath.exp(-p[i]))
          g[i] = scale * (s - y[i])
        } else if p[i] >= eps && p[i] <= 1 - eps {
          g[i] = scale * (-y[i] / p[i] + (1 - y[i]) / (1 - p[i]))
        }
      }
    }
    return Tensor(shape: predictions.shape, scalars: g)
  }
}

/// Categorical cross-entropy `−Σ_c y_c·log p_c` over the last axis, on probabilities (rows are
/// renormalized to sum to 1, then clipped to `[ε, 1 − ε]`, exactly as Keras) or on logits
/// (log-softmax). Targets are one-hot or soft distributions of the predictions' shape `[B, C]`.
///
/// ```swift
/// let loss = CategoricalCrossentropy(fromLogits: true)
/// ```
public struct CategoricalCrossentropy: Loss {
  public var fromLogits: Bool
  public var reduction: LossReduction
  public var name: String { "categorical_crossentropy" }

  public init(fromLogits: Bool = false, reduction: LossReduction = .sumOverBatchSize) {
    self.fromLogits = fromLogits
    self.reduction = reduction
  }

  public func perSampleLosses<S: TensorScalar>(
    predictions: Tensor<S>, targets: Tensor<S>
  ) throws -> (values: [S], mask: [S]?) {
    try requireSameShape(predictions, targets)
    let p = predictions.scalars
    let y = targets.scalars
    let eps = S(kerasEpsilon)
    var out = [S]()
    forEachRow(predictions) { start, c, _ in
      let range = start..<(start + c)
      var sum: S = 0
      if fromLogits {
        let lse = logSumExp(p[range])
        for i in range { sum += y[i] * (lse - p[i]) }
      } else {
        let total = p[range].reduce(0, +)
        for i in range { sum -= y[i] * ScalarMath.log(min(max(p[i] / total, eps), 1 - eps)) }
      }
      out.append(sum)
    }
    return (out, nil)
  }

  public func perSampleGradient<S: TensorScalar>(
    predictions: Tensor<S>, targets: Tensor<S>, upstream: [S]
  ) -> Tensor<S> {
    let p = predictions.scalars
    let y = targets.scalars
    let eps = S(kerasEpsilon)
    var g = [S](repeating: 0, count: p.count)
    forEachRow(predictions) { start, c, row in
      let range = start..<(start + c)
      if fromLogits {
        // d/dx_k Σ_j y_j (lse − x_j) = softmax_k · Σy − y_k
        let lse = logSumExp(p[range])
        let ySum = y[range].reduce(0, +)
        for i in range { g[i] = upstream[row] * (ScalarMath.exp(p[i] - lse) * ySum - y[i]) }
      } else {
        // q = p / Σp, loss = −Σ y log clip(q); dq_j/dp_k = (δ_jk − q_j) / Σp.
        let total = p[range].reduce(0, +)
        var dq = [S](repeating: 0, count: c)
        var dot: S = 0
        for i in range {
          let q = p[i] / total
          if q >= eps && q <= 1 - eps { dq[i - start] = -y[i] / q }
          dot += dq[i - start] * q
        }
        for i in range { g[i] = upstream[row] * (dq[i - start] - dot) / total }
      }
    }
    return Tensor(shape: predictions.shape, scalars: g)
  }
}

/// Sparse categorical cross-entropy: targets are class ids (stored as scalars) of shape
/// `predictions.shape.dropLast()` (`[B]` for `[B, C]`, `[B, T]` for `[B, T, C]`; a trailing
/// axis of 1 is accepted). On probabilities Keras clips to `[ε, 1 − ε]` *without* renormalizing
/// and takes a softmax cross-entropy of the logs; this type does the same. `ignoreClass` (e.g.
/// the padding id 0) gives those positions loss 0, gradient 0, and removes them from the mean's
/// denominator (Keras's `ignore_class`, PyTorch's `ignore_index`).
///
/// ```swift
/// let loss = SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: 0)
/// ```
public struct SparseCategoricalCrossentropy: Loss {
  public var fromLogits: Bool
  public var ignoreClass: Int?
  public var reduction: LossReduction
  public var name: String { "sparse_categorical_crossentropy" }

  public init(
    fromLogits: Bool = false, ignoreClass: Int? = nil,
    reduction: LossReduction = .sumOverBatchSize
  ) {
    self.fromLogits = fromLogits
    self.ignoreClass = ignoreClass
    self.reduction = reduction
  }

  /// Validated class ids; `nil` marks an ignored position.
  func classIDs<S: TensorScalar>(predictions: Tensor<S>, targets: Tensor<S>) throws -> [Int?] {
    let expected = Array(predictions.shape.dropLast())
    guard targets.shape == expected || targets.shape == expected + [1] else {
      throw LossError.shapeMismatch(
        loss: name, what: "targets", expected: expected, received: targets.shape)
    }
    let classes = predictions.shape.last ?? 0
    return try targets.scalars.enumerated().map { index, value in
      let id = Int(exactly: Double(value))
      if let ignoreClass, id == ignoreClass { return nil }
      guard let id, id >= 0, id < classes else {
        throw LossError.invalidClassID(
          loss: name, index: index, value: Double(value), classes: classes)
      }
      return id
    }
  }

  public func perSampleLosses<S: TensorScalar>(
    predictions: Tensor<S>, targets: Tensor<S>
  ) throws -> (values: [S], mask: [S]?) {
    let ids = try classIDs(predictions: predictions, targets: targets)
    let p = predictions.scalars
    var out = [S]()
    forEachRow(predictions) { start, c, row in
      guard let id = ids[row] else { return out.append(0) }
      let logits = self.logits(p[start..<(start + c)])
      out.append(logSumExp(logits[...]) - logits[id])
    }
    return (out, ignoreClass == nil ? nil : ids.map { $0 == nil ? 0 : 1 })
  }

  public func perSampleGradient<S: TensorScalar>(
    predictions: Tensor<S>, targets: Tensor<S>, upstream: [S]
  ) -> Tensor<S> {
    // Targets were validated by the forward pass; an invalid id here is a programmer error.
    let ids = try! classIDs(predictions: predictions, targets: targets)
    let p = predictions.scalars
    let eps = S(kerasEpsilon)
    var g = [S](repeating: 0, count: p.count)
    forEachRow(predictions) { start, c, row in
      guard let id = ids[row] else { return }
      let logits = self.logits(p[start..<(start + c)])
      let lse = logSumExp(logits[...])
      for k in 0..<c {
        // d/dlogit_k = softmax_k − δ_k,id; on probabilities logit = log clip(p).
        var d = ScalarMath.exp(logits[k] - lse) - (k == id ? 1 : 0)
        if !fromLogits {
          let pk = p[start + k]
          d = pk >= eps && pk <= 1 - eps ? d / pk : 0
        }
        g[start + k] = upstream[row] * d
      }
    }
    return Tensor(shape: predictions.shape, scalars: g)
  }

  private func logits<S: TensorScalar>(_ row: ArraySlice<S>) -> [S] {
    if fromLogits { return Array(row) }
    let eps = S(kerasEpsilon)
    return row.map { ScalarMath.log(min(max($0, eps), 1 - eps)) }
  }
}

/// `log Σ exp(x)` computed stably (shifted by the maximum).
func logSumExp<S: TensorScalar>(_ x: ArraySlice<S>) -> S {
  guard let m = x.max(), m.isFinite else { return x.max() ?? -.infinity }
  var sum: S = 0
  for v in x { sum += ScalarMath.exp(v - m) }
  return m + ScalarMath.log(sum)
}

extension Loss where Self == BinaryCrossentropy {
  /// Binary cross-entropy (``BinaryCrossentropy``).
  public static func binaryCrossentropy(
    fromLogits: Bool = false, reduction: LossReduction = .sumOverBatchSize
  ) -> BinaryCrossentropy { BinaryCrossentropy(fromLogits: fromLogits, reduction: reduction) }
}

extension Loss where Self == CategoricalCrossentropy {
  /// Categorical cross-entropy (``CategoricalCrossentropy``).
  public static func categoricalCrossentropy(
    fromLogits: Bool = false, reduction: LossReduction = .sumOverBatchSize
  ) -> CategoricalCrossentropy {
    CategoricalCrossentropy(fromLogits: fromLogits, reduction: reduction)
  }
}

extension Loss where Self == SparseCategoricalCrossentropy {
  /// Sparse categorical cross-entropy (``SparseCategoricalCrossentropy``).
  public static func sparseCategoricalCrossentropy(
    fromLogits: Bool = false, ignoreClass: Int? = nil, reduction: LossReduction = .sumOverBatchSize
  ) -> SparseCategoricalCrossentropy {
    SparseCategoricalCrossentropy(
      fromLogits: fromLogits, ignoreClass: ignoreClass, reduction: reduction)
  }
}
