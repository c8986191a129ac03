import RecurrentTensor

/// Which quantity a ``Metric`` tracks, with Keras's definitions.
public enum MetricKind: Sendable, Codable, Equatable {
  /// Keras's `"accuracy"`: binary, categorical or sparse accuracy chosen from the shapes on the
  /// first update (one output unit → binary; integer targets → sparse; else categorical).
  case accuracy
  /// `prediction > threshold` equals the 0/1 target, averaged over the last axis.
  case binaryAccuracy(threshold: Double)
  /// `argmax(prediction) == argmax(target)`.
  case categoricalAccuracy
  /// `argmax(prediction) == target` (integer class ids).
  case sparseCategoricalAccuracy
  /// `TP / (TP + FP)` with `prediction > threshold` as positive.
  case precision(threshold: Double)
  /// `TP / (TP + FN)` with `prediction > threshold` as positive.
  case recall(threshold: Double)
  /// `2·P·R / (P + R)` from the same counts (Keras's `F1Score` with a threshold, ε 1e-7).
  case f1Score(threshold: Double)
  /// `mean(|prediction − target|)` over the last axis.
  case meanAbsoluteError
  /// The running weighted mean of the values passed to ``Metric/update(mean:weight:)``
  /// (the loss shown in the progress bar).
  case mean(name: String)
}

/// Errors from metric inputs (shapes that do not fit).
public enum MetricError: Error, CustomStringConvertible, Equatable {
  case shapeMismatch(metric: String, predictions: [Int], targets: [Int])

  public var description: String {
    switch self {
    case let .shapeMismatch(metric, predictions, targets):
      return
        "\(metric): targets of shape \(targets) do not fit predictions of shape \(predictions) "
        + "(expected the same shape, or class ids of shape predictions.shape.dropLast())"
    }
  }
}

/// A streaming metric, as Keras's: ``update(predictions:targets:sampleWeight:)`` per batch,
/// ``result`` at any time, ``reset()`` at the start of each epoch. State is a few `Double`
/// counters, so metrics are cheap values.
///
/// ```swift
/// var acc = Metric.binaryAccuracy()
/// try acc.update(predictions: Tensor<Float>(shape: [2, 1], scalars: [0.9, 0.2]),
///                targets: Tensor(shape: [2, 1], scalars: [1, 1]))
/// acc.result  // 0.5
/// ```
public struct Metric: Sendable, Equatable {
  public private(set) var kind: MetricKind
  /// The key used in logs and ``History`` (`"accuracy"`, `"precision"`, `"mae"`, …).
  public var name: String
  private var total = 0.0
  private var count = 0.0
  private var truePositives = 0.0
  private var falsePositives = 0.0
  private var falseNegatives = 0.0

  public init(_ kind: MetricKind, name: String? = nil) {
    self.kind = kind
    self.name = name ?? Metric.defaultName(kind)
  }

  static func defaultName(_ kind: MetricKind) -> String {
    switch kind {
    case .accuracy: return "accuracy"
    case .binaryAccuracy: return "binary_accuracy"
    case .categoricalAccuracy: return "categorical_accuracy"
    case .sparseCategoricalAccuracy: return "sparse_categorical_accuracy"
    case .precision: return "precision"
    case .recall: return "recall"
    case .f1Score: return "f1_score"
    case .meanAbsoluteError: return "mae"
    case .mean(let name): return name
    }
  }

  /// Keras's `"accuracy"`.
  public static var accuracy: Metric { Metric(.accuracy) }
  public static func binaryAccuracy(threshold: Double = 0.5) -> Metric {
    Metric(.binaryAccuracy(threshold: threshold))
  }
  public static var categoricalAccuracy: Metric { Metric(.categoricalAccuracy) }
  public static var sparseCategoricalAccuracy: Metric { Metric(.sparseCategoricalAccuracy) }
  public static func precision(threshold: Double = 0.5) -> Metric {
    Metric(.precision(threshold: threshold))
  }
  public static func recall(threshold: Double = 0.5) -> Metric {
    Metric(.recall(threshold: threshold))
  }
  public static func f1Score(threshold: Double = 0.5) -> Metric {
    Metric(.f1Score(threshold: threshold))
  }
  public static var meanAbsoluteError: Metric { Metric(.meanAbsoluteError) }

  /// The current value (0 before any update, as Keras's `divide_no_nan`).
  public var result: Double {
    switch kind {
    case .precision:
      return divideNoNaN(truePositives, truePositives + falsePositives)
    case .recall:
      return divideNoNaN(truePositives, truePositives + falseNegatives)
    case .f1Score:
      let eps = 1e-7
      let p = truePositives / (truePositives + falsePositives + eps)
      let r = truePositives / (truePositives + falseNegatives + eps)
      return 2 * p * r / (p + r + eps)
    default:
      return divideNoNaN(total, count)
    }
  }

  /// Clears the state (Keras resets metrics at the start of every epoch).
  public mutating func reset() {
    total = 0
    count = 0
    truePositives = 0
    falsePositives = 0
    falseNegatives = 0
  }

  /// Adds a value to a ``MetricKind/mean(name:)`` metric with the given weight (Keras weights
  /// the loss by the batch size).
  public mutating func update(mean value: Double, weight: Double = 1) {
    total += value * weight
    count += weight
  }

  /// Accumulates one batch. `sampleWeight` is `[B]` (or the per-sample shape); `mask` (the
  /// predictions' mask, `[B, T]` for sequence outputs) drops padded positions, as Keras 3 does.
  public mutating func update<S: TensorScalar>(
    predictions: Tensor<S>, targets: Tensor<S>, sampleWeight: Tensor<S>? = nil,
    mask: Tensor<S>? = nil
  ) throws {
    let classes = predictions.shape.last ?? 1
    let rows = classes == 0 ? 0 : predictions.count / classes
    if case .accuracy = kind {
      // Keras's rule: one output unit is binary; targets with one value per row are class ids.
      if classes == 1 {
        kind = .binaryAccuracy(threshold: 0.5)
      } else if targets.count == rows {
        kind = .sparseCategoricalAccuracy
      } else {
        kind = .categoricalAccuracy
      }
    }
    switch kind {
    case .sparseCategoricalAccuracy:
      guard targets.count == rows else { throw mismatch(predictions, targets) }
    default:
      // [B] targets for [B, 1] predictions are accepted, as Keras squeezes them.
      guard targets.count == predictions.count else { throw mismatch(predictions, targets) }
    }
    var weights = try rowWeights(sampleWeight, rows: rows, predictions: predictions)
    if let mask, mask.count == rows {
      let m = mask.scalars.map { Double($0) }
      weights = weights.map { zip($0, m).map { $0 * $1 } } ?? m
    }
    let p = predictions.scalars
    let y = targets.scalars
    for r in 0..<rows {
      let w = weights?[r] ?? 1
      let range = (r * classes)..<((r + 1) * classes)
      switch kind {
      case .binaryAccuracy(let threshold):
        var hits = 0.0
        for i in range where (Double(p[i]) > threshold ? 1.0 : 0.0) == Double(y[i]) { hits += 1 }
        total += w * hits / Double(classes)
        count += w
      case .categoricalAccuracy:
        total += w * (argmax(p[range]) == argmax(y[range]) ? 1 : 0)
        count += w
      case .sparseCategoricalAccuracy:
        total += w * (Double(argmax(p[range])) == Double(y[r]) ? 1 : 0)
        count += w
      case .meanAbsoluteError:
        var sum = 0.0
        for i in range { sum += abs(Double(p[i]) - Double(y[i])) }
        total += w * sum / Double(classes)
        count += w
      case .precision(let threshold), .recall(let threshold), .f1Score(let threshold):
        for i in range {
          let predicted = Double(p[i]) > threshold
          let actual = y[i] > 0.5
          if predicted && actual { truePositives += w }
          if predicted && !actual { falsePositives += w }
          if !predicted && actual { falseNegatives += w }
        }
      case .accuracy, .mean:
        preconditionFailure("\(kind) is resolved above or updated with update(mean:weight:)")
      }
    }
  }

  private func rowWeights<S: TensorScalar>(
    _ sampleWeight: Tensor<S>?, rows: Int, predictions: Tensor<S>
  ) throws -> [Double]? {
    guard let sampleWeight else { return nil }
    guard sampleWeight.count > 0, rows % sampleWeight.count == 0 else {
      throw MetricError.shapeMismatch(
        metric: name, predictions: predictions.shape, targets: sampleWeight.shape)
    }
    let repeatCount = rows / sampleWeight.count
    return (0..<rows).map { Double(sampleWeight.scalars[$0 / repeatCount]) }
  }

  private func mismatch<S: TensorScalar>(_ p: Tensor<S>, _ t: Tensor<S>) -> MetricError {
    .shapeMismatch(metric: name, predictions: p.shape, targets: t.shape)
  }
}

@inline(__always) func divideNoNaN(_ a: Double, _ b: Double) -> Double { b == 0 ? 0 : a / b }

/// Index of the first maximum (NumPy's and Keras's tie rule).
func argmax<S: TensorScalar>(_ x: ArraySlice<S>) -> Int {
  var best = x.startIndex
  for i in x.indices where x[i] > x[best] { best = i }
  return best - x.startIndex
}
