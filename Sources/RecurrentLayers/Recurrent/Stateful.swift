// Keras' `stateful=True`, as one generic wrapper over any sequence layer (LSTM, GRU, SimpleRNN,
// Bidirectional, stacks): the final states of one batch become the initial states of the next.
// The states live in the layer value; models store them back after every call and
// `resetStates()` clears them — nothing global.
import RecurrentTensor

/// A layer that carries state from one call to the next (Keras' `stateful=True`).
///
/// The model stores ``LayerForward/states`` back into ``states`` after each batch, so row `b`
/// of the next batch continues row `b` of this one. ``resetStates()`` starts over from zeros.
///
/// ```swift
/// var lstm = Stateful(LSTM<Float>(units: 8, returnSequences: true))
/// lstm.resetStates()                       // the next call starts from zero states
/// ```
public protocol StatefulLayer<Scalar>: Layer {
  /// The carried states (`[h]` or `[h, c]`, each `[B, H]`), or `nil` for zeros.
  var states: [Tensor<Scalar>]? { get set }
}

extension StatefulLayer {
  /// Drops the carried states: the next call starts from zeros (Keras' `reset_states()`).
  public mutating func resetStates() { states = nil }
}

/// Makes a sequence layer stateful (Keras' `stateful=True`): each call starts from the states the
/// previous call ended in, row by row, instead of zeros.
///
/// - The batch size is fixed from the first call after a reset (as Keras requires a static batch
///   size): a call with another batch size throws; call ``StatefulLayer/resetStates()`` first.
/// - With masking, the carried state of a row is its state after its last real step (a fully
///   masked row carries its state through unchanged), as in Keras.
/// - Training: the carried states are constants — gradients stop at the batch boundary
///   (truncated backpropagation through time, as Keras' non-trainable state variables).
/// - In a ``Sequential`` or ``Model``, `fit`, `evaluate` and `predict` store the states after
///   every batch; `fit` refuses `shuffle: true` (rows must continue each other) and a sample
///   count that the batch size does not divide. Saved configs say `"stateful": true`; the
///   carried states themselves are not saved.
///
/// ```swift
/// var model = Sequential<Float>([
///   Stateful(LSTM<Float>(units: 16, returnSequences: true)),
///   TimeDistributed(Dense(units: 1)),
/// ])
/// // x [B, T, D] cut into consecutive windows along T:
/// let first = try model.predict(window1, batchSize: B)
/// let second = try model.predict(window2, batchSize: B)   // continues from window1
/// model.resetStates()
/// ```
public struct Stateful<Wrapped: SequenceLayer & Layer>: StatefulLayer {
  public typealias Scalar = Wrapped.Scalar
  /// The wrapped layer (its weights are this layer's parameters).
  public var layer: Wrapped
  public var states: [Tensor<Scalar>]?

  /// Wraps `layer`; the first call starts from zero states.
  public init(_ layer: Wrapped) {
    self.layer = layer
  }

  public var kerasClassName: String { layer.kerasClassName }
  public var isBuilt: Bool { layer.isBuilt }
  public var isTrainable: Bool { layer.isTrainable }
  public var parameterNames: [String] { layer.parameterNames }
  public var parameters: [Tensor<Scalar>] {
    get { layer.parameters }
    set { layer.parameters = newValue }
  }
  /// The wrapped layer's config with `"stateful": true` (as Keras writes it).
  public var config: [String: ConfigValue] {
    layer.config.merging(["stateful": .bool(true)]) { _, new in new }
  }

  public mutating func build<G: RandomNumberGenerator>(inputShape: [Int], generator: inout G)
    throws
  {
    try layer.build(inputShape: inputShape, generator: &generator)
  }

  public func outputShape(inputShape: [Int]) throws -> [Int] {
    try layer.outputShape(inputShape: inputShape)
  }

  /// Runs the wrapped layer from the carried states; the states it ends in are returned in
  /// ``LayerForward/states`` (the caller stores them, see ``advance(_:mask:)``).
  public func forward<G: RandomNumberGenerator>(
    _ input: Tensor<Scalar>, mask: Tensor<Scalar>?, training: Bool, generator: inout G
  ) throws -> LayerForward<Scalar> {
    if let carried = states?.first, carried.shape.first != input.shape.first {
      throw LayerError.invalidArgument(
        layer: kerasClassName,
        message: "stateful: the carried states are for batch size \(carried.shape[0]), "
          + "received a batch of \(input.shape.first ?? 0); keep one batch size (a batch size "
          + "that divides the sample count, no shuffling) or call resetStates() first")
    }
    let sequenceMask = try mask.map { try SequenceMask(mask: $0) }
    let (result, record) = try layer.forward(
      input, initialState: states, mask: sequenceMask, training: training,
      generator: &generator)
    guard result.outputs.count == 1 else {
      throw LayerError.invalidArgument(
        layer: kerasClassName,
        message: "stateful: the wrapped layer returns \(result.outputs.count) outputs; use a "
          + "merge mode")
    }
    let layer = self.layer
    return LayerForward(
      output: result.output, mask: layer.returnSequences ? mask : nil, states: result.states
    ) { dy in
      // The output shape was checked by forward; a wrong dy shape is a programmer error.
      let g = try! layer.backward(record, gradOutputs: [dy], gradStates: [])
      // The gradient of the carried states is dropped: they are constants of this batch.
      var grads = layer
      grads.weights = g.weights
      return LayerGradients(input: g.input, parameters: grads.parameters)
    }
  }

  /// Inference on one batch that keeps the states it ends in, for stepping through a long
  /// sequence window by window outside a model.
  ///
  /// ```swift
  /// var gru = Stateful(GRU<Float>(inputSize: 4, hiddenSize: 8, returnSequences: true,
  ///                               generator: &rng))
  /// let a = try gru.advance(x[.., 0..<10])      // [B, 10, 8]
  /// let b = try gru.advance(x[.., 10..<20])     // continues from a's last step
  /// ```
  public mutating func advance(_ input: Tensor<Scalar>, mask: Tensor<Scalar>? = nil) throws
    -> Tensor<Scalar>
  {
    var none = NoRandomness()
    let step = try forward(input, mask: mask, training: false, generator: &none)
    states = step.states
    return step.output
  }
}

/// Stores each stateful layer's new states after a forward pass (`steps[i]` ran `layers[i]`).
func keepStates<S: TensorScalar>(_ layers: inout [any Layer<S>], _ steps: [LayerForward<S>]) {
  for i in steps.indices { keepStates(&layers[i], steps[i].states) }
}

/// Stores a stateful layer's new states (``LayerForward/states``); other layers are untouched.
func keepStates<S: TensorScalar>(_ layer: inout any Layer<S>, _ states: [Tensor<S>]?) {
  guard let states, var stateful = layer as? any StatefulLayer<S> else { return }
  stateful.states = states
  layer = stateful
}

/// Clears the states of every stateful layer.
func resetLayerStates<S: TensorScalar>(_ layers: inout [any Layer<S>]) {
  for i in layers.indices {
    guard var stateful = layers[i] as? any StatefulLayer<S> else { continue }
    stateful.states = nil
    layers[i] = stateful
  }
}

/// Whether any layer carries states between calls.
func containsStatefulLayer<S: TensorScalar>(_ layers: [any Layer<S>]) -> Bool {
  layers.contains { $0 is any StatefulLayer<S> }
}
