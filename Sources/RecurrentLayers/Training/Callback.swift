import Foundation
import RecurrentTensor

/// What a callback may read and change on the model being trained: its weights, its optimizer
/// (and so the learning rate), the stop flag, and saving.
public protocol TrainableModel {
  associatedtype Scalar: TensorScalar
  /// All parameters, layer by layer in ``Layer/parameters`` order.
  var weights: [Tensor<Scalar>] { get set }
  /// The compiled optimizer (`nil` before `compile`).
  var optimizer: Optimizer<Scalar>? { get set }
  /// Set to `true` to end `fit` after the current epoch (Keras's `model.stop_training`).
  var stopTraining: Bool { get set }
  /// Saves the model (config + weights) to a directory.
  func save(to directory: URL) throws
  /// Saves the weights only (one safetensors file).
  func saveWeights(to file: URL) throws
  /// Clears the states of stateful layers (``Stateful``); a no-op for models without them.
  mutating func resetStates()
}

extension TrainableModel {
  public mutating func resetStates() {}
}

/// Hooks called by `fit` (Keras's `keras.callbacks.Callback`); every hook has a no-op default.
/// Callbacks are values: `fit` keeps its own copies, and state such as a best score lives in
/// them for one run.
///
/// ```swift
/// struct PrintEpochs: Callback {
///   mutating func onEpochEnd<M: TrainableModel>(_ epoch: Int, logs: Logs, model: inout M) {
///     print(epoch, logs["loss"]!)
///   }
/// }
/// ```
public protocol Callback {
  mutating func onTrainBegin<M: TrainableModel>(model: inout M) throws
  mutating func onEpochBegin<M: TrainableModel>(_ epoch: Int, model: inout M) throws
  mutating func onBatchEnd<M: TrainableModel>(_ batch: Int, logs: Logs, model: inout M) throws
  mutating func onEpochEnd<M: TrainableModel>(_ epoch: Int, logs: Logs, model: inout M) throws
  mutating func onTrainEnd<M: TrainableModel>(logs: Logs, model: inout M) throws
}

extension Callback {
  public mutating func onTrainBegin<M: TrainableModel>(model: inout M) throws {}
  public mutating func onEpochBegin<M: TrainableModel>(_ epoch: Int, model: inout M) throws {}
  public mutating func onBatchEnd<M: TrainableModel>(_ batch: Int, logs: Logs, model: inout M)
    throws
  {}
  public mutating func onEpochEnd<M: TrainableModel>(_ epoch: Int, logs: Logs, model: inout M)
    throws
  {}
  public mutating func onTrainEnd<M: TrainableModel>(logs: Logs, model: inout M) throws {}
}

/// Whether a monitored quantity improves when it goes down (`val_loss`) or up (`val_accuracy`).
public enum MonitorMode: String, Sendable, Codable {
  /// `max` when the name contains "acc" (Keras's rule), else `min`.
  case auto
  case min
  case max

  func resolved(for monitor: String) -> MonitorMode {
    guard self == .auto else { return self }
    return monitor.contains("acc") || monitor.hasPrefix("fmeasure") ? .max : .min
  }
}

/// Errors raised by callbacks (a monitored key missing from the logs, a file that cannot be
/// written).
public enum CallbackError: Error, CustomStringConvertible, Equatable {
  case missingMonitor(callback: String, monitor: String, available: [String])
  /// The callback works on one kind of model only (`expected`) and was given another.
  case unsupportedModel(callback: String, expected: String, received: String)

  public var description: String {
    switch self {
    case let .missingMonitor(callback, monitor, available):
      return
        "\(callback): the logs have no '\(monitor)' (available: \(available.joined(separator: ", "))); "
        + "pass validationData or validationSplit to fit, or monitor one of these"
    case let .unsupportedModel(callback, expected, received):
      return "\(callback) works on \(expected) models, received \(received); build the model as "
        + "\(expected) or use EarlyStopping"
    }
  }
}
