import Foundation
import RecurrentTensor

extension Sequential {
  /// Sets the optimizer, loss and metrics (Keras's `compile`). Recompiling resets the
  /// optimizer's state.
  ///
  /// ```swift
  /// model.compile(optimizer: .adam(), loss: .binaryCrossentropy(), metrics: [.accuracy])
  /// ```
  public mutating func compile(
    optimizer: Optimizer<Scalar>, loss: some Loss, metrics: [Metric] = []
  ) {
    self.optimizer = optimizer
    self.loss = loss
    self.metrics = metrics
  }

  /// One optimization step on a batch; returns the batch loss and predictions.
  public mutating func trainStep<G: RandomNumberGenerator>(
    x: Tensor<Scalar>, y: Tensor<Scalar>, sampleWeight: Tensor<Scalar>? = nil, generator: inout G
  ) throws -> (loss: Double, predictions: Tensor<Scalar>) {
    let step = try maskedTrainStep(x: x, y: y, sampleWeight: sampleWeight, generator: &generator)
    return (step.loss, step.predictions)
  }

  /// ``trainStep(x:y:sampleWeight:generator:)`` also returning the loss mask it used.
  mutating func maskedTrainStep<G: RandomNumberGenerator>(
    x: Tensor<Scalar>, y: Tensor<Scalar>, sampleWeight: Tensor<Scalar>?, generator: inout G
  ) throws -> (loss: Double, predictions: Tensor<Scalar>, mask: Tensor<Scalar>?) {
    guard let loss, optimizer != nil else { throw ModelError.notCompiled }
    try ensureBuilt(for: x, generator: &generator)
    // The forward records (whose backward closures hold the weights) end with this block, so
    // the optimizer below sees the only reference to each parameter buffer.
    let (lossValue, output, mask, grads) = try {
      let (output, mask, steps) = try forward(x, training: true, generator: &generator)
      let (value, dOutput) = try loss.valueAndGradient(
        predictions: output, targets: y, sampleWeight: sampleWeight, mask: lossMask(mask, output))
      let grads = backward(steps, outputGradient: dOutput)
      keepStates(&layers, steps)
      return (value, output, mask, grads)
    }()
    // Only trainable layers' tensors go to the optimizer (its slots follow that list). They are
    // moved out of the layers (empty placeholders meanwhile): a second reference would make every
    // in-place update copy the whole tensor first (copy-on-write).
    var params = [Tensor<Scalar>]()
    var trainableGrads = [Tensor<Scalar>]()
    var offset = 0
    for i in layers.indices {
      let n = layers[i].parameters.count
      if layers[i].isTrainable {
        params.append(contentsOf: takeParameters(&layers[i]))
        trainableGrads.append(contentsOf: grads[offset..<(offset + n)])
      }
      offset += n
    }
    optimizer!.update(&params, gradients: trainableGrads)
    var k = 0
    for i in layers.indices where layers[i].isTrainable {
      let n = layers[i].parameters.count
      layers[i].parameters = Array(params[k..<(k + n)])
      k += n
    }
    return (Double(lossValue), output, lossMask(mask, output))
  }

  /// The output mask is passed to the loss only when it fits the per-sample loss shape
  /// (`[B, T]` for sequence outputs), as Keras applies `y_pred`'s mask.
  func lossMask(_ mask: Tensor<Scalar>?, _ output: Tensor<Scalar>) -> Tensor<Scalar>? {
    guard let mask, Array(output.shape.dropLast()) == mask.shape else { return nil }
    return mask
  }

  /// Trains for `epochs` passes over the data (Keras's `fit`), printing progress to standard
  /// output. See ``fit(x:y:epochs:batchSize:validationSplit:validationData:shuffle:classWeight:sampleWeight:callbacks:verbose:generator:output:)``.
  @discardableResult
  public mutating func fit<G: RandomNumberGenerator>(
    x: Tensor<Scalar>, y: Tensor<Scalar>, epochs: Int = 1, batchSize: Int = 32,
    validationSplit: Double = 0, validationData: (x: Tensor<Scalar>, y: Tensor<Scalar>)? = nil,
    shuffle: Bool = true, classWeight: [Int: Double]? = nil, sampleWeight: Tensor<Scalar>? = nil,
    callbacks: [any Callback] = [], verbose: Int = 1, generator: inout G
  ) throws -> History {
    var out = StandardOutput()
    return try fit(
      x: x, y: y, epochs: epochs, batchSize: batchSize, validationSplit: validationSplit,
      validationData: validationData, shuffle: shuffle, classWeight: classWeight,
      sampleWeight: sampleWeight, callbacks: callbacks, verbose: verbose, generator: &generator,
      output: &out)
  }

  /// Trains for `epochs` passes over `x` `[N, ...]` / `y` `[N, ...]` (Keras's `fit`).
  ///
  /// - `validationSplit` holds out the *last* fraction of the samples (before shuffling), as
  ///   Keras; `validationData` takes precedence.
  /// - `shuffle` permutes the training samples every epoch with `generator` (which also draws
  ///   dropout masks), so one seed fixes the whole run.
  /// - `classWeight` maps a class id (the label for `[N]`/`[N, 1]` targets, the argmax of one-hot
  ///   rows) to a weight multiplying that sample's loss; it combines with `sampleWeight` `[N]`.
  /// - `verbose`: 0 silent, 1 progress bar (in place on a terminal, one line per epoch
  ///   otherwise), 2 one line per epoch.
  /// - Returns: the ``History`` (losses and metrics per epoch, with `val_` entries when there is
  ///   validation data) and the callbacks' final states in ``History/callbacks``.
  @discardableResult
  public mutating func fit<G: RandomNumberGenerator, Sink: ProgressSink>(
    x: Tensor<Scalar>, y: Tensor<Scalar>, epochs: Int = 1, batchSize: Int = 32,
    validationSplit: Double = 0, validationData: (x: Tensor<Scalar>, y: Tensor<Scalar>)? = nil,
    shuffle: Bool = true, classWeight: [Int: Double]? = nil, sampleWeight: Tensor<Scalar>? = nil,
    callbacks: [any Callback] = [], verbose: Int = 1, generator: inout G, output: inout Sink
  ) throws -> History {
    try runFit(
      &self, xs: [x], ys: [y], epochs: epochs, batchSize: batchSize,
      validationSplit: validationSplit, validationData: validationData.map { ([$0.x], [$0.y]) },
      shuffle: shuffle, classWeight: classWeight, sampleWeight: sampleWeight,
      callbacks: callbacks, verbose: verbose, generator: &generator, output: &output)
  }

  /// Loss and metrics over a dataset (Keras's `evaluate`): the loss is the batch losses'
  /// mean weighted by batch size; metrics stream over all batches.
  public mutating func evaluate(
    x: Tensor<Scalar>, y: Tensor<Scalar>, batchSize: Int = 32, sampleWeight: Tensor<Scalar>? = nil
  ) throws -> Logs {
    _ = try sampleCount([x], [y], sampleWeight)
    try ensureBuilt(for: x)
    return try evaluateLogs(
      &self, xs: [x], ys: [y], batchSize: batchSize, sampleWeight: sampleWeight)
  }
}

extension Sequential: FitLoopModel {
  mutating func prepare<G: RandomNumberGenerator>(inputs: [Tensor<Scalar>], generator: inout G)
    throws
  { try ensureBuilt(for: inputs[0], generator: &generator) }

  var targetShapes: [[Int]] {
    guard let last = try? outputShapes().last else { return [] }
    return [last]
  }

  mutating func trainStep<G: RandomNumberGenerator>(
    inputs: [Tensor<Scalar>], targets: [Tensor<Scalar>], sampleWeight: Tensor<Scalar>?,
    generator: inout G
  ) throws -> (loss: Double, predictions: [Tensor<Scalar>], masks: [Tensor<Scalar>?]) {
    let step = try maskedTrainStep(
      x: inputs[0], y: targets[0], sampleWeight: sampleWeight, generator: &generator)
    return (step.loss, [step.predictions], [step.mask])
  }

  mutating func evaluateBatch(
    inputs: [Tensor<Scalar>], targets: [Tensor<Scalar>], sampleWeight: Tensor<Scalar>?
  ) throws -> (loss: Double, predictions: [Tensor<Scalar>], masks: [Tensor<Scalar>?]) {
    guard let loss else { throw ModelError.notCompiled }
    var none = NoRandomnessNeeded()
    let (output, mask, steps) = try forward(inputs[0], training: false, generator: &none)
    keepStates(&layers, steps)
    let value = try loss(
      output, targets[0], sampleWeight: sampleWeight, mask: lossMask(mask, output))
    return (Double(value), [output], [lossMask(mask, output)])
  }
}

/// Moves a layer's parameters out, leaving empty placeholders (same count) until they are set
/// back, so the caller holds the only reference to each buffer.
func takeParameters<Scalar>(_ layer: inout any Layer<Scalar>) -> [Tensor<Scalar>] {
  let taken = layer.parameters
  layer.parameters = Array(repeating: Tensor(zeros: [0]), count: taken.count)
  return taken
}
