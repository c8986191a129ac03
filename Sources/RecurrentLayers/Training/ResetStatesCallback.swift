import RecurrentTensor

/// Clears the carried states of stateful layers (``Stateful``) before every epoch, so each epoch
/// reads the sequences from their start — the loop Keras users write around `fit(epochs=1)`
/// and `model.reset_states()`.
///
/// ```swift
/// try model.fit(x: windows, y: targets, epochs: 10, batchSize: 8, shuffle: false,
///               callbacks: [ResetStatesEachEpoch()], generator: &rng)
/// ```
public struct ResetStatesEachEpoch: Callback {
  public init() {}

  public mutating func onEpochBegin<M: TrainableModel>(_ epoch: Int, model: inout M) throws {
    model.resetStates()
  }
}
