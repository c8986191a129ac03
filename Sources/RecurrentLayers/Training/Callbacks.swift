import Foundation
import RecurrentTensor

/// Stops training when a monitored value has stopped improving (Keras's `EarlyStopping`).
///
/// An epoch improves when `value − minDelta` beats the best so far (`+` for `max` mode). After
/// `patience` epochs without improvement, training stops; with `restoreBestWeights` the weights
/// of the best epoch are put back at that point.
///
/// ```swift
/// let stop = EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)
/// ```
public struct EarlyStopping: Callback {
  public var monitor: String
  public var minDelta: Double
  public var patience: Int
  public var mode: MonitorMode
  public var baseline: Double?
  public var restoreBestWeights: Bool
  public var startFromEpoch: Int
  /// The epoch (0-based) at which training was stopped, or `nil`.
  public private(set) var stoppedEpoch: Int?
  /// The epoch with the best monitored value so far.
  public private(set) var bestEpoch = 0
  public private(set) var best: Double = .infinity
  private var wait = 0
  private var bestWeights: Any?

  public init(
    monitor: String = "val_loss", minDelta: Double = 0, patience: Int = 0,
    mode: MonitorMode = .auto, baseline: Double? = nil, restoreBestWeights: Bool = false,
    startFromEpoch: Int = 0
  ) {
    self.monitor = monitor
    self.minDelta = abs(minDelta)
    self.patience = patience
    self.mode = mode.resolved(for: monitor)
    self.baseline = baseline
    self.restoreBestWeights = restoreBestWeights
    self.startFromEpoch = startFromEpoch
  }

  private func isImprovement(_ value: Double, over reference: Double) -> Bool {
    mode == .max ? value - minDelta > reference : value + minDelta < reference
  }

  public mutating func onTrainBegin<M: TrainableModel>(model: inout M) throws {
    wait = 0
    stoppedEpoch = nil
    best = mode == .max ? -.infinity : .infinity
    bestWeights = nil
    bestEpoch = 0
  }

  public mutating func onEpochEnd<M: TrainableModel>(_ epoch: Int, logs: Logs, model: inout M)
    throws
  {
    guard let current = logs[monitor] else {
      throw CallbackError.missingMonitor(
        callback: "EarlyStopping", monitor: monitor, available: logs.keys)
    }
    guard epoch >= startFromEpoch else { return }
    if restoreBestWeights && bestWeights == nil { bestWeights = model.weights }
    wait += 1
    if isImprovement(current, over: best) {
      best = current
      bestEpoch = epoch
      if restoreBestWeights { bestWeights = model.weights }
      if baseline == nil || isImprovement(current, over: baseline!) { wait = 0 }
      return
    }
    if wait >= patience && epoch > 0 {
      stoppedEpoch = epoch
      model.stopTraining = true
      if restoreBestWeights, let saved = bestWeights as? [Tensor<M.Scalar>] {
        model.weights = saved
      }
    }
  }
}

/// Saves the model (or only its weights) after epochs, optionally only when the monitored
/// value improves (Keras's `ModelCheckpoint`). `{epoch}` / `{epoch:02d}` in the path are
/// replaced by the 1-based epoch number, as Keras does.
///
/// ```swift
/// let checkpoint = ModelCheckpoint(
///   path: "ckpt/best.safetensors", saveBestOnly: true, saveWeightsOnly: true)
/// ```
public struct ModelCheckpoint: Callback {
  public var path: String
  public var monitor: String
  public var mode: MonitorMode
  public var saveBestOnly: Bool
  public var saveWeightsOnly: Bool
  public private(set) var best: Double
  /// Paths written so far, in order.
  public private(set) var saved: [String] = []

  public init(
    path: String, monitor: String = "val_loss", saveBestOnly: Bool = false,
    saveWeightsOnly: Bool = false, mode: MonitorMode = .auto
  ) {
    self.path = path
    self.monitor = monitor
    self.mode = mode.resolved(for: monitor)
    self.saveBestOnly = saveBestOnly
    self.saveWeightsOnly = saveWeightsOnly
    best = self.mode == .max ? -.infinity : .infinity
  }

  /// The path for a 0-based epoch.
  public func path(forEpoch epoch: Int) -> String {
    var result = path.replacingOccurrences(of: "{epoch}", with: "\(epoch + 1)")
    // {epoch:0Nd}: zero-padded to N digits.
    while let range = result.range(of: #"\{epoch:0(\d+)d\}"#, options: .regularExpression) {
      let digits = Int(result[range].dropFirst(8).dropLast(2)) ?? 1
      let number = String(epoch + 1)
      let padded = String(repeating: "0", count: max(0, digits - number.count)) + number
      result.replaceSubrange(range, with: padded)
    }
    return result
  }

  public mutating func onEpochEnd<M: TrainableModel>(_ epoch: Int, logs: Logs, model: inout M)
    throws
  {
    if saveBestOnly {
      guard let current = logs[monitor] else {
        throw CallbackError.missingMonitor(
          callback: "ModelCheckpoint", monitor: monitor, available: logs.keys)
      }
      let better = mode == .max ? current > best : current < best
      guard better else { return }
      best = current
    }
    let target = path(forEpoch: epoch)
    let url = URL(fileURLWithPath: target)
    if saveWeightsOnly {
      try model.saveWeights(to: url)
    } else {
      try model.save(to: url)
    }
    saved.append(target)
  }
}

/// Multiplies the learning rate by `factor` when the monitored value has not improved for
/// `patience` epochs (Keras's `ReduceLROnPlateau`). The optimizer's schedule becomes a constant.
///
/// ```swift
/// let plateau = ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 2, minLR: 1e-5)
/// ```
public struct ReduceLROnPlateau: Callback {
  public var monitor: String
  public var factor: Double
  public var patience: Int
  public var mode: MonitorMode
  public var minDelta: Double
  public var cooldown: Int
  public var minLR: Double
  private var best: Double
  private var wait = 0
  private var cooldownCounter = 0
  /// `(epoch, new rate)` for every reduction made.
  public private(set) var reductions: [(epoch: Int, learningRate: Double)] = []

  public init(
    monitor: String = "val_loss", factor: Double = 0.1, patience: Int = 10,
    mode: MonitorMode = .auto, minDelta: Double = 1e-4, cooldown: Int = 0, minLR: Double = 0
  ) {
    precondition(factor < 1, "ReduceLROnPlateau factor must be < 1, received \(factor)")
    self.monitor = monitor
    self.factor = factor
    self.patience = patience
    self.mode = mode.resolved(for: monitor)
    self.minDelta = minDelta
    self.cooldown = cooldown
    self.minLR = minLR
    best = self.mode == .max ? -.infinity : .infinity
  }

  public mutating func onTrainBegin<M: TrainableModel>(model: inout M) throws {
    best = mode == .max ? -.infinity : .infinity
    wait = 0
    cooldownCounter = 0
  }

  public mutating func onEpochEnd<M: TrainableModel>(_ epoch: Int, logs: Logs, model: inout M)
    throws
  {
    guard let current = logs[monitor] else {
      throw CallbackError.missingMonitor(
        callback: "ReduceLROnPlateau", monitor: monitor, available: logs.keys)
    }
    if cooldownCounter > 0 {
      cooldownCounter -= 1
      wait = 0
    }
    let improved = mode == .max ? current > best + minDelta : current < best - minDelta
    if improved {
      best = current
      wait = 0
    } else if cooldownCounter == 0 {
      wait += 1
      if wait >= patience, let optimizer = model.optimizer {
        let old = optimizer.currentLearningRate
        if old > minLR {
          let new = max(old * factor, minLR)
          model.optimizer!.learningRate = .constant(new)
          reductions.append((epoch, new))
          cooldownCounter = cooldown
          wait = 0
        }
      }
    }
  }
}

/// Sets the learning rate at the start of every epoch from `schedule(epoch, currentRate)`
/// (Keras's `LearningRateScheduler`).
///
/// ```swift
/// let warmup = LearningRateScheduler { epoch, lr in epoch < 2 ? 1e-4 : lr }
/// ```
public struct LearningRateScheduler: Callback {
  public var schedule: (Int, Double) -> Double

  public init(_ schedule: @escaping (Int, Double) -> Double) { self.schedule = schedule }

  public mutating func onEpochBegin<M: TrainableModel>(_ epoch: Int, model: inout M) throws {
    guard let optimizer = model.optimizer else { return }
    model.optimizer!.learningRate = .constant(schedule(epoch, optimizer.currentLearningRate))
  }
}

/// Stops training as soon as a batch loss is NaN or infinite (Keras's `TerminateOnNaN`).
///
/// ```swift
/// try model.fit(x: x, y: y, callbacks: [TerminateOnNaN()], generator: &rng)
/// ```
public struct TerminateOnNaN: Callback {
  /// The batch at which training was stopped, or `nil`.
  public private(set) var terminatedAtBatch: Int?

  public init() {}

  public mutating func onBatchEnd<M: TrainableModel>(_ batch: Int, logs: Logs, model: inout M)
    throws
  {
    if let loss = logs["loss"], !loss.isFinite {
      terminatedAtBatch = batch
      model.stopTraining = true
    }
  }
}

/// Writes every epoch's logs to a CSV file: `epoch` then the keys sorted by name, as Keras's
/// `CSVLogger`. The whole file is rewritten atomically after each epoch (so a crash never leaves
/// half a row); with `append`, rows already in the file are kept.
///
/// ```swift
/// let csv = CSVLogger(path: "training.csv")
/// ```
public struct CSVLogger: Callback {
  public var path: String
  public var separator: String
  public var append: Bool
  private var lines: [String] = []
  private var keys: [String] = []

  public init(path: String, separator: String = ",", append: Bool = false) {
    self.path = path
    self.separator = separator
    self.append = append
  }

  public mutating func onTrainBegin<M: TrainableModel>(model: inout M) throws {
    lines = []
    keys = []
    if append, let existing = try? String(contentsOfFile: path, encoding: .utf8) {
      lines = existing.split(separator: "\n").map(String.init)
      if let header = lines.first {
        keys = Array(header.components(separatedBy: separator).dropFirst())
      }
    }
  }

  public mutating func onEpochEnd<M: TrainableModel>(_ epoch: Int, logs: Logs, model: inout M)
    throws
  {
    if keys.isEmpty {
      keys = logs.keys.sorted()
      lines = [(["epoch"] + keys).joined(separator: separator)]
    }
    let row = [String(epoch)] + keys.map { logs[$0].map { "\($0)" } ?? "NA" }
    lines.append(row.joined(separator: separator))
    let text = lines.joined(separator: "\n") + "\n"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
  }
}
