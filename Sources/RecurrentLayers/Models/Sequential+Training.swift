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
    guard let loss, optimizer != nil else { throw ModelError.notCompiled }
    try ensureBuilt(for: x)
    let (output, mask, steps) = try forward(x, training: true, generator: &generator)
    let (value, dOutput) = try loss.valueAndGradient(
      predictions: output, targets: y, sampleWeight: sampleWeight, mask: lossMask(mask, output))
    let grads = backward(steps, outputGradient: dOutput)
    // Only trainable layers' tensors go to the optimizer (its slots follow that list).
    var params = [Tensor<Scalar>]()
    var trainableGrads = [Tensor<Scalar>]()
    var offset = 0
    for layer in layers {
      let n = layer.parameters.count
      if layer.isTrainable {
        params.append(contentsOf: layer.parameters)
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
    return (Double(value), output)
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
    guard loss != nil, optimizer != nil else { throw ModelError.notCompiled }
    guard epochs >= 0, batchSize > 0 else {
      throw ModelError.invalidArgument(
        "epochs must be ≥ 0 and batchSize > 0, received \(epochs) and \(batchSize)")
    }
    guard validationSplit >= 0, validationSplit < 1 else {
      throw ModelError.invalidArgument(
        "validationSplit must be in [0, 1), received \(validationSplit)")
    }
    let n = x.shape.first ?? 0
    try checkSamples(x, y, "y")
    if let sampleWeight { try checkSamples(x, sampleWeight, "sampleWeight") }
    var weights = try perSampleWeights(y: y, classWeight: classWeight, sampleWeight: sampleWeight)

    // Split before shuffling: Keras takes the last samples for validation.
    var trainX = x
    var trainY = y
    var validation = validationData
    if validation == nil && validationSplit > 0 {
      let splitAt = Int((Double(n) * (1 - validationSplit)).rounded(.down))
      guard splitAt > 0, splitAt < n else {
        throw ModelError.invalidArgument(
          "validationSplit \(validationSplit) of \(n) samples leaves an empty training or "
            + "validation set")
      }
      trainX = rows(x, Array(0..<splitAt))
      trainY = rows(y, Array(0..<splitAt))
      validation = (rows(x, Array(splitAt..<n)), rows(y, Array(splitAt..<n)))
      weights = weights.map { Array($0[0..<splitAt]) }
    }
    if let validation { try checkSamples(validation.x, validation.y, "validation y") }
    let trainCount = trainX.shape.first ?? 0
    try ensureBuilt(for: trainX)

    var callbacks = callbacks
    var history = History()
    stopTraining = false
    for i in callbacks.indices { try callbacks[i].onTrainBegin(model: &self) }
    let steps = (trainCount + batchSize - 1) / batchSize
    var lastLogs = Logs()
    for epoch in 0..<epochs {
      for i in callbacks.indices { try callbacks[i].onEpochBegin(epoch, model: &self) }
      if verbose > 0 && epochs > 1 { output.write("Epoch \(epoch + 1)/\(epochs)\n") }
      var bar = ProgressBar(
        target: steps, verbose: verbose, dynamic: output.isTerminal, start: output.now())
      var lossMean = Metric(.mean(name: "loss"))
      for i in metrics.indices { metrics[i].reset() }
      var order = Array(0..<trainCount)
      if shuffle { order.shuffle(using: &generator) }
      var logs = Logs()
      for step in 0..<steps {
        let index = Array(order[(step * batchSize)..<min((step + 1) * batchSize, trainCount)])
        let bx = rows(trainX, index)
        let by = rows(trainY, index)
        let bw = weights.map { w in
          Tensor<Scalar>(shape: [index.count], scalars: index.map { w[$0] })
        }
        let (batchLoss, predictions) = try trainStep(
          x: bx, y: by, sampleWeight: bw, generator: &generator)
        lossMean.update(mean: batchLoss, weight: Double(index.count))
        for i in metrics.indices { try metrics[i].update(predictions: predictions, targets: by) }
        logs = Logs()
        logs["loss"] = lossMean.result
        for m in metrics { logs[m.name] = m.result }
        for i in callbacks.indices { try callbacks[i].onBatchEnd(step, logs: logs, model: &self) }
        if step + 1 < steps {
          output.write(bar.update(step + 1, values: logs, now: output.now(), finalize: false))
        }
        if stopTraining { break }
      }
      if let validation {
        let v = try evaluateLogs(x: validation.x, y: validation.y, batchSize: batchSize)
        for (key, value) in v { logs["val_" + key] = value }
      }
      output.write(bar.update(steps, values: logs, now: output.now(), finalize: true))
      for i in callbacks.indices { try callbacks[i].onEpochEnd(epoch, logs: logs, model: &self) }
      history.append(epoch: epoch, logs: logs)
      lastLogs = logs
      if stopTraining { break }
    }
    for i in callbacks.indices { try callbacks[i].onTrainEnd(logs: lastLogs, model: &self) }
    history.callbacks = callbacks
    return history
  }

  /// Loss and metrics over a dataset (Keras's `evaluate`): the loss is the batch losses'
  /// mean weighted by batch size; metrics stream over all batches.
  public mutating func evaluate(
    x: Tensor<Scalar>, y: Tensor<Scalar>, batchSize: Int = 32, sampleWeight: Tensor<Scalar>? = nil
  ) throws -> Logs {
    try checkSamples(x, y, "y")
    try ensureBuilt(for: x)
    return try evaluateLogs(x: x, y: y, batchSize: batchSize, sampleWeight: sampleWeight)
  }

  func evaluateLogs(
    x: Tensor<Scalar>, y: Tensor<Scalar>, batchSize: Int, sampleWeight: Tensor<Scalar>? = nil
  ) throws -> Logs {
    guard let loss else { throw ModelError.notCompiled }
    var none = NoRandomnessNeeded()
    var lossMean = Metric(.mean(name: "loss"))
    var metrics = self.metrics
    for i in metrics.indices { metrics[i].reset() }
    let n = x.shape.first ?? 0
    for start in stride(from: 0, to: n, by: max(batchSize, 1)) {
      let index = Array(start..<min(start + batchSize, n))
      let by = rows(y, index)
      let (output, mask, _) = try forward(rows(x, index), training: false, generator: &none)
      let value = try loss(
        output, by, sampleWeight: sampleWeight.map { rows($0, index) },
        mask: lossMask(mask, output))
      lossMean.update(mean: Double(value), weight: Double(index.count))
      for i in metrics.indices { try metrics[i].update(predictions: output, targets: by) }
    }
    var logs = Logs()
    logs["loss"] = lossMean.result
    for m in metrics { logs[m.name] = m.result }
    return logs
  }

  private func checkSamples(_ x: Tensor<Scalar>, _ other: Tensor<Scalar>, _ what: String) throws {
    let n = x.shape.first ?? 0
    guard other.shape.first == n else {
      throw ModelError.sampleCountMismatch(what: what, x: n, other: other.shape.first ?? 0)
    }
  }

  /// Per-sample weights from `classWeight` and `sampleWeight`, or `nil` when neither is given.
  private func perSampleWeights(
    y: Tensor<Scalar>, classWeight: [Int: Double]?, sampleWeight: Tensor<Scalar>?
  ) throws -> [Scalar]? {
    guard classWeight != nil || sampleWeight != nil else { return nil }
    let n = y.shape.first ?? 0
    var w =
      sampleWeight.map { sw -> [Scalar] in
        let per = sw.count / max(n, 1)
        return (0..<n).map { sw.scalars[$0 * per] }
      } ?? [Scalar](repeating: 1, count: n)
    if let classWeight {
      let rowSize = n == 0 ? 0 : y.count / n
      for i in 0..<n {
        let row = y.scalars[(i * rowSize)..<((i + 1) * rowSize)]
        let cls = rowSize == 1 ? Int(Double(row.first!).rounded()) : argmax(row)
        guard let cw = classWeight[cls] else {
          throw ModelError.invalidArgument(
            "classWeight has no entry for class \(cls) (sample \(i)); give a weight for every class"
          )
        }
        w[i] *= Scalar(cw)
      }
    }
    return w
  }
}
