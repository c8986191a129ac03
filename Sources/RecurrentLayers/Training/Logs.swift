/// Named values in a fixed order (`loss`, metrics, then `val_` entries), as Keras's `logs`
/// dictionary but with a deterministic order for printing and CSV columns.
///
/// ```swift
/// var logs = Logs()
/// logs["loss"] = 0.69
/// logs["loss"]   // 0.69
/// ```
public struct Logs: Sendable, Equatable, Sequence {
  public private(set) var keys: [String] = []
  private var values: [String: Double] = [:]

  public init() {}

  public subscript(key: String) -> Double? {
    get { values[key] }
    set {
      if values[key] == nil, newValue != nil { keys.append(key) }
      if newValue == nil { keys.removeAll { $0 == key } }
      values[key] = newValue
    }
  }

  public func makeIterator() -> AnyIterator<(key: String, value: Double)> {
    var i = 0
    return AnyIterator {
      guard i < keys.count else { return nil }
      defer { i += 1 }
      return (keys[i], values[keys[i]]!)
    }
  }
}

/// What ``Sequential/fit(x:y:epochs:batchSize:validationSplit:validationData:shuffle:classWeight:sampleWeight:callbacks:verbose:generator:)``
/// returns: every epoch's logs, by key (Keras's `History.history`).
///
/// ```swift
/// let history = try model.fit(x: x, y: y, epochs: 5, generator: &rng)
/// history["loss"]   // [0.69, 0.66, …], one per epoch
/// ```
public struct History {
  /// Epoch indices (0-based, as Keras's `history.epoch`).
  public private(set) var epochs: [Int] = []
  /// Keys in first-seen order.
  public private(set) var keys: [String] = []
  private var values: [String: [Double]] = [:]
  /// The callbacks as they were when training ended (say ``EarlyStopping/stoppedEpoch``).
  public internal(set) var callbacks: [any Callback] = []

  public init() {}

  /// The per-epoch values for `key` (`"loss"`, `"accuracy"`, `"val_loss"`, …), or `nil`.
  public subscript(key: String) -> [Double]? { values[key] }

  mutating func append(epoch: Int, logs: Logs) {
    epochs.append(epoch)
    for (key, value) in logs {
      if values[key] == nil { keys.append(key) }
      values[key, default: []].append(value)
    }
  }
}
