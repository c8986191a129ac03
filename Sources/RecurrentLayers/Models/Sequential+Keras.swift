// Keras's positional `fit(x, y)`, `evaluate(x, y)` and `predict(x)` on plain arrays (padded id
// rows `[[Int]]`, labels `[Int]`), printing what Keras prints: so the seed example reads line for
// line like its Keras original. Each converts with TensorConvertible and calls the tensor API.
import RecurrentTensor

extension Sequential {
  /// Keras's `model.fit(x, y, epochs=..., batch_size=...)` on arrays or tensors: `x` `[N, ...]`
  /// (e.g. padded ids `[[Int]]`), `y` `[N]` or `[N, ...]` (binary labels `[Int]` fit an `[N, 1]`
  /// output, as in Keras). Progress goes to standard output; the arguments are those of
  /// ``fit(x:y:epochs:batchSize:validationSplit:validationData:shuffle:classWeight:sampleWeight:callbacks:verbose:generator:output:)``.
  ///
  /// ```swift
  /// try model.fit(data, [1, 0, 1, 0], epochs: 5, batchSize: 2, generator: &rng)
  /// ```
  @discardableResult
  public mutating func fit<X: TensorConvertible, Y: TensorConvertible, G: RandomNumberGenerator>(
    _ x: X, _ y: Y, epochs: Int = 1, batchSize: Int = 32, validationSplit: Double = 0,
    shuffle: Bool = true, classWeight: [Int: Double]? = nil, callbacks: [any Callback] = [],
    verbose: Int = 1, generator: inout G
  ) throws -> History {
    var out = StandardOutput()
    return try fit(
      x: x.tensor(), y: y.tensor(), epochs: epochs, batchSize: batchSize,
      validationSplit: validationSplit, shuffle: shuffle, classWeight: classWeight,
      callbacks: callbacks, verbose: verbose, generator: &generator, output: &out)
  }

  /// Keras's `model.evaluate(x, y)`: the loss and metrics, with Keras 2's one-line progress
  /// bar on standard output when `verbose` is 1 (Keras's default).
  ///
  /// ```swift
  /// let scores = try model.evaluate(data, labels)   // 1/1 [====…] - 0s 1ms/step - loss: …
  /// print(scores["loss"]!, scores["accuracy"]!)
  /// ```
  @discardableResult
  public mutating func evaluate<X: TensorConvertible, Y: TensorConvertible>(
    _ x: X, _ y: Y, batchSize: Int = 32, verbose: Int = 1
  ) throws -> Logs {
    var out = StandardOutput()
    return try evaluate(x, y, batchSize: batchSize, verbose: verbose, output: &out)
  }

  /// ``evaluate(_:_:batchSize:verbose:)`` printing to `output`.
  public mutating func evaluate<X: TensorConvertible, Y: TensorConvertible, Sink: ProgressSink>(
    _ x: X, _ y: Y, batchSize: Int = 32, verbose: Int = 1, output: inout Sink
  ) throws -> Logs {
    let start = output.now()
    let x: Tensor<Scalar> = try x.tensor()
    let logs = try evaluate(x: x, y: y.tensor(), batchSize: batchSize)
    printSummaryBar(
      logs, samples: x.shape.first ?? 0, batchSize: batchSize, verbose: verbose,
      start: start, output: &output)
    return logs
  }

  /// Keras's `model.predict(x)` on arrays (e.g. padded ids `[[Int]]`), with Keras 2's one-line
  /// progress bar on standard output when `verbose` is 1 (Keras's default).
  ///
  /// ```swift
  /// let p = try model.predict(padSequences(tokenizer.textsToSequences(["so good"]), maxlen: 5))
  /// print(p[0, 0])
  /// ```
  public mutating func predict<X: TensorConvertible>(
    _ x: X, batchSize: Int = 32, verbose: Int = 1
  ) throws -> Tensor<Scalar> {
    var out = StandardOutput()
    return try predict(x, batchSize: batchSize, verbose: verbose, output: &out)
  }

  /// ``predict(_:batchSize:verbose:)`` printing to `output`.
  public mutating func predict<X: TensorConvertible, Sink: ProgressSink>(
    _ x: X, batchSize: Int = 32, verbose: Int = 1, output: inout Sink
  ) throws -> Tensor<Scalar> {
    let start = output.now()
    let x: Tensor<Scalar> = try x.tensor()
    let y = try predict(x, batchSize: batchSize)
    printSummaryBar(
      Logs(), samples: x.shape.first ?? 0, batchSize: batchSize, verbose: verbose,
      start: start, output: &output)
    return y
  }

  /// The finished bar Keras 2 prints after `evaluate` / `predict` (`1/1 [====…] - 0s 2ms/step`).
  private func printSummaryBar<Sink: ProgressSink>(
    _ logs: Logs, samples: Int, batchSize: Int, verbose: Int, start: Double,
    output: inout Sink
  ) {
    guard verbose > 0 else { return }
    let steps = max((samples + batchSize - 1) / max(batchSize, 1), 1)
    var bar = ProgressBar(target: steps, verbose: verbose, dynamic: false, start: start)
    output.write(bar.update(steps, values: logs, now: output.now(), finalize: true))
  }
}
