// Early stopping for a network that fits its training set in about one epoch: the validation
// score is checked several times per epoch (so the kept snapshot is not one of two or three
// very different epoch ends) and can be the score of an exponential moving average of the
// weights (Polyak averaging) rather than of the last step's weights, which smooths away the
// step-to-step noise the best snapshot would otherwise carry.
import Foundation
import RecurrentLayers
import RecurrentTensor

/// Keras's `EarlyStopping(restore_best_weights=True)` checked after chosen batches of every
/// epoch instead of once per epoch, optionally on an exponential moving average of the weights
/// (TensorFlow's `ExponentialMovingAverage` with `num_updates`: decay `min(decay, (1+n)/(10+n))`
/// after `n` updates, one update per batch). Training ends after `patience` checks without
/// improvement; the best checked weights (averaged ones when averaging) replace the model's at
/// the end. For ``Sequential`` `Float` models; the validation set is given here, not to `fit`.
///
/// ```swift
/// let stop = AveragedEarlyStopping(
///   validation: (x: valX, y: valY), checkAfterBatches: [66, 133, 199, 266], patience: 8,
///   decay: 0.99)
/// try model.fit(x: x, y: y, epochs: 10, callbacks: [stop], generator: &rng)
/// ```
public struct AveragedEarlyStopping: Callback {
  /// Validation inputs `[N, T]` and targets.
  public var validation: (x: Tensor<Float>, y: Tensor<Float>)
  /// `"val_loss"` (lower is better) or `"val_accuracy"` (higher is better).
  public var monitor: String
  /// Checks without improvement before training stops.
  public var patience: Int
  /// The moving average's decay in `[0, 1)`; 0 checks the weights themselves.
  public var decay: Double
  /// The 0-based batch indices of an epoch after which the validation score is checked.
  public var checkAfterBatches: Set<Int>
  /// Print one line per check to standard error.
  public var verbose: Bool
  /// Every check so far: epoch (0-based), batch (0-based) and the monitored value.
  public private(set) var history: [(epoch: Int, batch: Int, value: Double)] = []
  /// The best monitored value so far.
  public private(set) var best = Double.nan

  private var epoch = 0
  private var updates = 0
  private var wait = 0
  private var average: [Tensor<Float>]?
  private var bestWeights: [Tensor<Float>]?

  public init(
    validation: (x: Tensor<Float>, y: Tensor<Float>), checkAfterBatches: Set<Int>,
    monitor: String = "val_loss", patience: Int = 2, decay: Double = 0, verbose: Bool = false
  ) {
    precondition(decay >= 0 && decay < 1, "decay must be in [0, 1), received \(decay)")
    precondition(patience >= 0, "patience must be non-negative, received \(patience)")
    self.validation = validation
    self.checkAfterBatches = checkAfterBatches
    self.monitor = monitor
    self.patience = patience
    self.decay = decay
    self.verbose = verbose
  }

  /// `checks` batch indices spread evenly over an epoch of `steps` batches, the last batch
  /// always among them.
  public static func evenCheckpoints(steps: Int, checks: Int) -> Set<Int> {
    let checks = max(1, min(checks, steps))
    return Set((1...checks).map { k in max(0, (k * steps) / checks - 1) })
  }

  public mutating func onTrainBegin<M: TrainableModel>(model: inout M) throws {
    _ = try Self.converted(model, to: Sequential<Float>.self)
    epoch = 0
    updates = 0
    wait = 0
    average = nil
    bestWeights = nil
    best = .nan
    history = []
  }

  public mutating func onEpochBegin<M: TrainableModel>(_ epoch: Int, model: inout M) throws {
    self.epoch = epoch
  }

  public mutating func onBatchEnd<M: TrainableModel>(_ batch: Int, logs: Logs, model: inout M)
    throws
  {
    if decay > 0 { accumulate(try Self.converted(model.weights, to: [Tensor<Float>].self)) }
    if checkAfterBatches.contains(batch) { try check(batch: batch, model: &model) }
  }

  public mutating func onTrainEnd<M: TrainableModel>(logs: Logs, model: inout M) throws {
    if let bestWeights {
      model.weights = try Self.converted(bestWeights, to: [Tensor<M.Scalar>].self)
    }
  }

  /// `value` as `T`: the callback only handles `Sequential<Float>` (checked when training
  /// begins), so a failure means another kind of model and is reported as such.
  private static func converted<V, T>(_ value: V, to: T.Type) throws -> T {
    guard let converted = value as? T else {
      throw CallbackError.unsupportedModel(
        callback: "AveragedEarlyStopping", expected: "Sequential<Float>", received: "\(V.self)")
    }
    return converted
  }

  /// Folds the current weights into the moving average, in place.
  private mutating func accumulate(_ weights: [Tensor<Float>]) {
    guard var average else {
      self.average = weights
      updates = 1
      return
    }
    self.average = nil  // keeps `average` the buffers' only owner while it is updated
    let n = Double(updates)
    let d = Float(min(decay, (1 + n) / (10 + n)))
    for i in average.indices {
      weights[i].scalars.withUnsafeBufferPointer { w in
        average[i].withUnsafeMutableBufferPointer { a in
          for j in 0..<a.count { a[j] = d * a[j] + (1 - d) * w[j] }
        }
      }
    }
    self.average = average
    updates += 1
  }

  private mutating func check<M: TrainableModel>(batch: Int, model: inout M) throws {
    var candidate = try Self.converted(model, to: Sequential<Float>.self)
    if let average { candidate.weights = average }
    let logs = try candidate.evaluate(x: validation.x, y: validation.y, batchSize: 256)
    let key = monitor.hasPrefix("val_") ? String(monitor.dropFirst(4)) : monitor
    guard let value = logs[key] else {
      throw CallbackError.missingMonitor(
        callback: "AveragedEarlyStopping", monitor: monitor, available: logs.keys)
    }
    history.append((epoch, batch, value))
    let higherIsBetter = key.contains("acc")
    let improved = best.isNaN || (higherIsBetter ? value > best : value < best)
    if verbose {
      let line =
        "epoch \(epoch + 1) batch \(batch + 1): \(monitor) \(String(format: "%.4f", value))"
        + (improved ? " (best)" : "")
      FileHandle.standardError.write(Data((line + "\n").utf8))
    }
    if improved {
      best = value
      bestWeights = candidate.weights
      wait = 0
    } else {
      wait += 1
      if wait >= patience { model.stopTraining = true }
    }
  }
}
