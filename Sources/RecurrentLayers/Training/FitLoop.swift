import Foundation
import RecurrentTensor

/// What the shared training loop needs from a model (``Sequential`` and ``Model``): several
/// inputs and targets, each `[N, ...]` with the samples on the first axis.
protocol FitLoopModel: TrainableModel {
  var loss: (any Loss)? { get }
  var metrics: [Metric] { get set }
  /// Whether a layer carries states from batch to batch (``Stateful``).
  var isStateful: Bool { get }
  /// The per-sample shape of each output (once built); `[]` when unknown.
  var targetShapes: [[Int]] { get }
  /// Builds the layers from the inputs' shapes if needed, drawing weights from `generator`.
  mutating func prepare<G: RandomNumberGenerator>(inputs: [Tensor<Scalar>], generator: inout G)
    throws
  /// One optimization step; the loss, and the predictions and mask of each output.
  mutating func trainStep<G: RandomNumberGenerator>(
    inputs: [Tensor<Scalar>], targets: [Tensor<Scalar>], sampleWeight: Tensor<Scalar>?,
    generator: inout G
  ) throws -> (loss: Double, predictions: [Tensor<Scalar>], masks: [Tensor<Scalar>?])
  /// Inference on a batch (dropout off): the loss, and the predictions and mask of each output.
  /// Stateful layers keep the states the batch ends in.
  mutating func evaluateBatch(
    inputs: [Tensor<Scalar>], targets: [Tensor<Scalar>], sampleWeight: Tensor<Scalar>?
  ) throws -> (loss: Double, predictions: [Tensor<Scalar>], masks: [Tensor<Scalar>?])
}

/// Keras's `fit` loop, shared by every model type. See ``Sequential/fit(x:y:epochs:batchSize:validationSplit:validationData:shuffle:classWeight:sampleWeight:callbacks:verbose:generator:output:)``
/// for the semantics of each argument.
func runFit<M: FitLoopModel, G: RandomNumberGenerator, Sink: ProgressSink>(
  _ model: inout M, xs: [Tensor<M.Scalar>], ys: [Tensor<M.Scalar>], epochs: Int, batchSize: Int,
  validationSplit: Double, validationData: (xs: [Tensor<M.Scalar>], ys: [Tensor<M.Scalar>])?,
  shuffle: Bool, classWeight: [Int: Double]?, sampleWeight: Tensor<M.Scalar>?,
  callbacks: [any Callback], verbose: Int, generator: inout G, output: inout Sink
) throws -> History {
  typealias T = Tensor<M.Scalar>
  guard model.loss != nil, model.optimizer != nil else { throw ModelError.notCompiled }
  guard epochs >= 0, batchSize > 0 else {
    throw ModelError.invalidArgument(
      "epochs must be ≥ 0 and batchSize > 0, received \(epochs) and \(batchSize)")
  }
  guard validationSplit >= 0, validationSplit < 1 else {
    throw ModelError.invalidArgument(
      "validationSplit must be in [0, 1), received \(validationSplit)")
  }
  let n = try sampleCount(xs, ys, sampleWeight)
  var weights = try perSampleWeights(
    y: ys[0], classWeight: classWeight, sampleWeight: sampleWeight)

  // Split before shuffling: Keras takes the last samples for validation.
  var trainXs = xs
  var trainYs = ys
  var validation = validationData
  if validation == nil && validationSplit > 0 {
    let splitAt = Int((Double(n) * (1 - validationSplit)).rounded(.down))
    guard splitAt > 0, splitAt < n else {
      throw ModelError.invalidArgument(
        "validationSplit \(validationSplit) of \(n) samples leaves an empty training or "
          + "validation set")
    }
    let head = Array(0..<splitAt)
    let tail = Array(splitAt..<n)
    trainXs = xs.map { rows($0, head) }
    trainYs = ys.map { rows($0, head) }
    validation = (xs.map { rows($0, tail) }, ys.map { rows($0, tail) })
    weights = weights.map { Array($0[0..<splitAt]) }
  }
  if let validation { _ = try sampleCount(validation.xs, validation.ys, nil) }
  let trainCount = trainXs[0].shape.first ?? 0
  try model.prepare(inputs: trainXs, generator: &generator)
  trainYs = alignTargets(trainYs, model.targetShapes)
  validation = validation.map { ($0.xs, alignTargets($0.ys, model.targetShapes)) }
  if model.isStateful {
    // Keras: row b of each batch continues row b of the previous batch, so the order is fixed
    // and every batch has the same size.
    guard !shuffle else {
      throw ModelError.invalidArgument(
        "the model has stateful layers: pass shuffle: false to fit (row b of each batch "
          + "continues row b of the previous batch)")
    }
    guard trainCount % batchSize == 0 else {
      throw ModelError.invalidArgument(
        "the model has stateful layers: the batch size (\(batchSize)) must divide the number "
          + "of training samples (\(trainCount)), so every batch has the same rows")
    }
  }

  var callbacks = callbacks
  var history = History()
  model.stopTraining = false
  for i in callbacks.indices { try callbacks[i].onTrainBegin(model: &model) }
  let steps = (trainCount + batchSize - 1) / batchSize
  var lastLogs = Logs()
  for epoch in 0..<epochs {
    for i in callbacks.indices { try callbacks[i].onEpochBegin(epoch, model: &model) }
    if verbose > 0 && epochs > 1 { output.write("Epoch \(epoch + 1)/\(epochs)\n") }
    var bar = ProgressBar(
      target: steps, verbose: verbose, dynamic: output.isTerminal, start: output.now())
    var lossMean = Metric(.mean(name: "loss"))
    for i in model.metrics.indices { model.metrics[i].reset() }
    var order = Array(0..<trainCount)
    if shuffle { order.shuffle(using: &generator) }
    var logs = Logs()
    for step in 0..<steps {
      let index = Array(order[(step * batchSize)..<min((step + 1) * batchSize, trainCount)])
      let bys = trainYs.map { rows($0, index) }
      let bw = weights.map { w in T(shape: [index.count], scalars: index.map { w[$0] }) }
      let (batchLoss, predictions, masks) = try model.trainStep(
        inputs: trainXs.map { rows($0, index) }, targets: bys, sampleWeight: bw,
        generator: &generator)
      lossMean.update(mean: batchLoss, weight: Double(index.count))
      for i in model.metrics.indices {
        try model.metrics[i].update(predictions: predictions[0], targets: bys[0], mask: masks[0])
      }
      logs = Logs()
      logs["loss"] = lossMean.result
      for m in model.metrics { logs[m.name] = m.result }
      for i in callbacks.indices { try callbacks[i].onBatchEnd(step, logs: logs, model: &model) }
      if step + 1 < steps {
        output.write(bar.update(step + 1, values: logs, now: output.now(), finalize: false))
      }
      if model.stopTraining { break }
    }
    if let validation {
      // On a copy: validation batches must not advance the states training carries.
      var copy = model
      let v = try evaluateLogs(&copy, xs: validation.xs, ys: validation.ys, batchSize: batchSize)
      for (key, value) in v { logs["val_" + key] = value }
    }
    output.write(bar.update(steps, values: logs, now: output.now(), finalize: true))
    for i in callbacks.indices { try callbacks[i].onEpochEnd(epoch, logs: logs, model: &model) }
    history.append(epoch: epoch, logs: logs)
    lastLogs = logs
    if model.stopTraining { break }
  }
  for i in callbacks.indices { try callbacks[i].onTrainEnd(logs: lastLogs, model: &model) }
  history.callbacks = callbacks
  return history
}

/// Loss (batch losses averaged with batch-size weights) and streaming metrics over a dataset.
/// Stateful layers carry their states through the batches (and keep the last ones).
func evaluateLogs<M: FitLoopModel>(
  _ model: inout M, xs: [Tensor<M.Scalar>], ys: [Tensor<M.Scalar>], batchSize: Int,
  sampleWeight: Tensor<M.Scalar>? = nil
) throws -> Logs {
  guard model.loss != nil else { throw ModelError.notCompiled }
  let ys = alignTargets(ys, model.targetShapes)
  var lossMean = Metric(.mean(name: "loss"))
  var metrics = model.metrics
  for i in metrics.indices { metrics[i].reset() }
  let n = xs[0].shape.first ?? 0
  for start in stride(from: 0, to: n, by: max(batchSize, 1)) {
    let index = Array(start..<min(start + batchSize, n))
    let bys = ys.map { rows($0, index) }
    let (value, predictions, masks) = try model.evaluateBatch(
      inputs: xs.map { rows($0, index) }, targets: bys,
      sampleWeight: sampleWeight.map { rows($0, index) })
    lossMean.update(mean: value, weight: Double(index.count))
    for i in metrics.indices {
      try metrics[i].update(predictions: predictions[0], targets: bys[0], mask: masks[0])
    }
  }
  var logs = Logs()
  logs["loss"] = lossMean.result
  for m in metrics { logs[m.name] = m.result }
  return logs
}

/// The common sample count of all inputs, targets and weights, or a typed error.
func sampleCount<S: TensorScalar>(_ xs: [Tensor<S>], _ ys: [Tensor<S>], _ w: Tensor<S>?) throws
  -> Int
{
  guard let n = xs.first?.shape.first else {
    throw ModelError.invalidArgument("fit needs at least one input with a batch axis")
  }
  for (k, x) in xs.enumerated() where x.shape.first != n {
    throw ModelError.sampleCountMismatch(what: "input \(k)", x: n, other: x.shape.first ?? 0)
  }
  for (k, y) in ys.enumerated() where y.shape.first != n {
    throw ModelError.sampleCountMismatch(
      what: ys.count == 1 ? "y" : "target \(k)", x: n, other: y.shape.first ?? 0)
  }
  if let w, w.shape.first != n {
    throw ModelError.sampleCountMismatch(what: "sampleWeight", x: n, other: w.shape.first ?? 0)
  }
  return n
}

/// Per-sample weights from `classWeight` and `sampleWeight`, or `nil` when neither is given.
func perSampleWeights<S: TensorScalar>(
  y: Tensor<S>, classWeight: [Int: Double]?, sampleWeight: Tensor<S>?
) throws -> [S]? {
  guard classWeight != nil || sampleWeight != nil else { return nil }
  let n = y.shape.first ?? 0
  var w =
    sampleWeight.map { sw -> [S] in
      let per = sw.count / max(n, 1)
      return (0..<n).map { sw.scalars[$0 * per] }
    } ?? [S](repeating: 1, count: n)
  if let classWeight {
    let rowSize = n == 0 ? 0 : y.count / n
    for i in 0..<n {
      let row = y.scalars[(i * rowSize)..<((i + 1) * rowSize)]
      let cls = rowSize == 1 ? Int(Double(row.first!).rounded()) : argmax(row)
      guard let cw = classWeight[cls] else {
        throw ModelError.invalidArgument(
          "classWeight has no entry for class \(cls) (sample \(i)); give a weight for every class")
      }
      w[i] *= S(cw)
    }
  }
  return w
}

/// Keras takes binary labels `[N]` for an output `[N, 1]`: such targets become `[N, 1]`.
func alignTargets<S: TensorScalar>(_ ys: [Tensor<S>], _ outputShapes: [[Int]]) -> [Tensor<S>] {
  guard ys.count == outputShapes.count else { return ys }
  return zip(ys, outputShapes).map { y, shape in
    y.rank == 1 && shape == [1] ? Tensor(shape: [y.count, 1], scalars: y.scalars) : y
  }
}
