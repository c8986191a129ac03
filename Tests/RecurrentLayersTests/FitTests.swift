import Foundation
import RecurrentLayers
import RecurrentTensor
import XCTest

/// A sink that records output and advances a fake clock by `tick` seconds per reading.
struct RecordingSink: ProgressSink {
  var text = ""
  var isTerminal = false
  var tick = 0.0
  private let clock = Clock()
  final class Clock: @unchecked Sendable { var t = 0.0 }
  mutating func write(_ s: String) { text += s }
  func now() -> Double {
    clock.t += tick
    return clock.t
  }
}

final class FitTests: XCTestCase {
  func fixtureCase(_ name: String) throws -> [String: Any] {
    try XCTUnwrap(Fixture("train_fit").cases.first { $0.0 == name }?.1)
  }

  /// Three epochs of Adam on a Dense classifier with validationSplit, classWeight and no
  /// shuffling reproduce Keras 3's history, final weights, evaluate and predict.
  func testDenseClassifierMatchesKerasFit() throws {
    let c = try fixtureCase("dense_bce_adam")
    let w = (c["initial_weights"] as! [Any]).map { tensor($0, as: Float.self) }
    var model = Sequential<Float>([
      Dense(units: 4, activation: .relu), Dense(units: 1, activation: .sigmoid),
    ])
    var rng = TestGenerator(seed: 1)
    try model.build(inputShape: [3], generator: &rng)
    model.weights = w
    model.compile(
      optimizer: .adam(learningRate: 0.05), loss: .binaryCrossentropy(), metrics: [.accuracy])
    var sink = RecordingSink()
    let history = try model.fit(
      x: tensor(c["x"]), y: tensor(c["y"]), epochs: 3, batchSize: 4, validationSplit: 0.2,
      shuffle: false, classWeight: [0: 1, 1: 2], verbose: 0, generator: &rng, output: &sink)
    XCTAssertEqual(sink.text, "")
    let expected = c["history"] as! [String: Any]
    XCTAssertEqual(Set(history.keys), Set(expected.keys))
    for (key, values) in expected {
      assertClose(history[key]!, doubles(values), tol: 2e-5, "history \(key)")
    }
    for (k, final) in (c["final_weights"] as! [Any]).enumerated() {
      assertClose(
        model.weights[k].scalars, doubles((final as! [String: Any])["values"]), tol: 2e-5,
        "weight \(k)")
    }
    let eval = try model.evaluate(x: tensor(c["x"]), y: tensor(c["y"]), batchSize: 4)
    for (key, value) in c["evaluate"] as! [String: Any] {
      assertClose([eval[key]!], [value as! Double], tol: 2e-5, "evaluate \(key)")
    }
    let predicted = try model.predict(tensor(c["x"]), batchSize: 3)
    XCTAssertEqual(predicted.shape, [10, 1])
    assertClose(
      predicted.scalars, doubles((c["predict"] as! [String: Any])["values"]), tol: 2e-5, "predict")
  }

  /// Embedding(maskZero) → TimeDistributed(Dense softmax) with sparse CCE: the padding mask
  /// reaches the loss (mean over real tokens only), as in Keras.
  func testMaskedTaggerMatchesKerasFit() throws {
    let c = try fixtureCase("tagger_masked_sgd")
    let w = (c["initial_weights"] as! [Any]).map { tensor($0, as: Float.self) }
    var model = Sequential<Float>([
      Embedding(inputDim: 5, outputDim: 3, maskZero: true),
      TimeDistributed(Dense<Float>(units: 3, activation: .softmax)),
    ])
    var rng = TestGenerator(seed: 1)
    try model.build(inputShape: [4], generator: &rng)
    model.weights = w
    model.compile(
      optimizer: .sgd(learningRate: 0.5, momentum: 0.9, nesterov: true),
      loss: .sparseCategoricalCrossentropy(), metrics: [.accuracy])
    var sink = RecordingSink()
    let history = try model.fit(
      x: tensor(c["x"]), y: tensor(c["y"]), epochs: 3, batchSize: 4, shuffle: false, verbose: 0,
      generator: &rng, output: &sink)
    for (key, values) in c["history"] as! [String: Any] {
      assertClose(history[key]!, doubles(values), tol: 2e-5, "history \(key)")
    }
    for (k, final) in (c["final_weights"] as! [Any]).enumerated() {
      assertClose(
        model.weights[k].scalars, doubles((final as! [String: Any])["values"]), tol: 2e-5,
        "weight \(k)")
    }
  }

  func seedModel(_ weights: [Any]) throws -> Sequential<Float> {
    var model = Sequential<Float>([
      Embedding(inputDim: 100, outputDim: 8), LSTM<Float>(units: 8),
      Dense(units: 1, activation: .sigmoid),
    ])
    var rng = TestGenerator(seed: 1)
    try model.build(inputShape: [5], generator: &rng)
    model.weights = weights.map { tensor($0, as: Float.self) }
    return model
  }

  /// The README's seed example (Embedding → LSTM → Dense sigmoid) from Keras's weights (LSTM
  /// kernels transposed into PyTorch's layout, `bias_hh` 0): predictions and the first batch
  /// loss match Keras 3.
  func testSeedKerasExampleForwardMatchesKeras() throws {
    let c = try fixtureCase("seed_example_lstm")
    var model = try seedModel(c["initial_weights"] as! [Any])
    let x: Tensor<Float> = tensor(c["x"])
    let y: Tensor<Float> = tensor(c["y"])
    assertClose(
      try model.predict(x).scalars, doubles((c["initial_predict"] as! [String: Any])["values"]),
      tol: 1e-6, "predict")
    model.compile(optimizer: .adam(), loss: .binaryCrossentropy())
    var rng = TestGenerator(seed: 1)
    let first = try model.trainStep(
      x: Tensor(shape: [2, 5], scalars: Array(x.scalars[0..<10])),
      y: Tensor(shape: [2, 1], scalars: Array(y.scalars[0..<2])), generator: &rng)
    assertClose([first.loss], [c["first_batch_loss"] as! Double], tol: 1e-6, "first batch loss")
  }

  /// The same model trained with SGD + momentum for 5 epochs of batch 2 matches PyTorch
  /// (whose LSTM has Recurrent's two biases): losses, predictions and every trained weight —
  /// the recurrent layer's hand-written BPTT plugged into Sequential.fit.
  func testSeedExampleTrainingMatchesPyTorch() throws {
    let c = try XCTUnwrap(Fixture("train_fit_torch").cases.first?.1)
    var model = try seedModel(c["initial_weights"] as! [Any])
    model.compile(optimizer: .sgd(learningRate: 0.5, momentum: 0.9), loss: .binaryCrossentropy())
    var rng = TestGenerator(seed: 1)
    var sink = RecordingSink()
    let history = try model.fit(
      x: tensor(c["x"]), y: tensor(c["y"]), epochs: 5, batchSize: 2, shuffle: false, verbose: 0,
      generator: &rng, output: &sink)
    assertClose(history["loss"]!, doubles(c["loss"]), tol: 1e-5, "loss")
    assertClose(
      try model.predict(tensor(c["x"])).scalars,
      doubles((c["predict"] as! [String: Any])["values"]),
      tol: 1e-5, "predict")
    for (k, final) in (c["final_weights"] as! [Any]).enumerated() {
      assertClose(
        model.weights[k].scalars, doubles((final as! [String: Any])["values"]), tol: 1e-5,
        "weight \(model.weightKeys[k])")
    }
  }

  /// Same seed → identical weights after training with shuffling and dropout; another seed differs.
  func testSameSeedSameWeightsAfterTraining() throws {
    func train(seed: UInt64) throws -> [Tensor<Float>] {
      var model = Sequential<Float>([
        Dense(units: 6, activation: .tanh), Dropout(rate: 0.3),
        Dense(units: 1, activation: .sigmoid),
      ])
      model.compile(optimizer: .rmsprop(learningRate: 0.01), loss: .binaryCrossentropy())
      let x = Tensor<Float>(shape: [12, 2], scalars: randomDoubles(24, seed: 5).map(Float.init))
      let y = Tensor<Float>(
        shape: [12, 1],
        scalars: x.scalars.enumerated().compactMap { i, v in i % 2 == 0 ? (v > 0 ? 1 : 0) : nil })
      var rng = TestGenerator(seed: seed)
      try model.build(inputShape: [2], generator: &rng)
      var sink = RecordingSink()
      try model.fit(x: x, y: y, epochs: 4, batchSize: 5, verbose: 0, generator: &rng, output: &sink)
      return model.weights
    }
    let a = try train(seed: 7)
    let b = try train(seed: 7)
    let c = try train(seed: 8)
    XCTAssert(zip(a, b).allSatisfy { same($0, $1) })
    XCTAssertFalse(zip(a, c).allSatisfy { same($0, $1) })
  }

  func testProgressOutputOneLinePerEpochWhenNotATerminal() throws {
    var model = Sequential<Float>([Dense(units: 1, activation: .sigmoid)])
    model.compile(optimizer: .sgd(), loss: .binaryCrossentropy(), metrics: [.accuracy])
    let x = Tensor<Float>(zeros: [4, 2])
    let y = Tensor<Float>(shape: [4, 1], scalars: [0, 1, 0, 1])
    var rng = TestGenerator(seed: 1)
    var sink = RecordingSink(tick: 0.001)
    // Zero inputs and unshuffled batches of one 0 and one 1 label: the bias gradient is zero, so
    // the sigmoid outputs 0.5 whatever the kernel: the loss is ln 2 and half the labels right.
    try model.fit(
      x: x, y: y, epochs: 2, batchSize: 2, shuffle: false, verbose: 1, generator: &rng,
      output: &sink)
    let lines = sink.text.split(separator: "\n", omittingEmptySubsequences: false)
    XCTAssertEqual(lines.count, 5)
    XCTAssertEqual(lines[0], "Epoch 1/2")
    XCTAssertEqual(lines[2], "Epoch 2/2")
    for line in [lines[1], lines[3]] {
      XCTAssert(line.hasPrefix("2/2 [==============================] - 0s "), String(line))
      XCTAssert(line.hasSuffix("ms/step - loss: 0.6931 - accuracy: 0.5000"), String(line))
    }
    var quiet = RecordingSink()
    try model.fit(
      x: x, y: y, epochs: 2, batchSize: 2, shuffle: false, verbose: 2, generator: &rng,
      output: &quiet)
    XCTAssert(quiet.text.contains("2/2 - 0s - loss: 0.6931 - accuracy: 0.5000 - "), quiet.text)
  }

  func testErrorsNameTheFix() throws {
    var model = Sequential<Float>([Dense(units: 1)])
    var rng = TestGenerator(seed: 1)
    XCTAssertThrowsError(
      try model.fit(x: Tensor(zeros: [2, 1]), y: Tensor(zeros: [2, 1]), generator: &rng)
    ) {
      XCTAssertEqual($0 as? ModelError, .notCompiled)
    }
    model.compile(optimizer: .sgd(), loss: .meanSquaredError)
    XCTAssertThrowsError(
      try model.fit(x: Tensor(zeros: [2, 1]), y: Tensor(zeros: [3, 1]), generator: &rng)
    ) {
      XCTAssertEqual($0 as? ModelError, .sampleCountMismatch(what: "y", x: 2, other: 3))
    }
    XCTAssertThrowsError(
      try model.fit(
        x: Tensor(zeros: [2, 1]), y: Tensor(zeros: [2, 1]), validationSplit: 1.5, generator: &rng))
    XCTAssertThrowsError(
      try model.fit(
        x: Tensor(zeros: [2, 1]), y: Tensor(shape: [2, 1], scalars: [0, 1]), classWeight: [0: 1],
        verbose: 0, generator: &rng)
    ) { XCTAssert("\($0)".contains("class 1")) }
  }
}

final class FitOptionsTests: XCTestCase {
  func data() -> (Tensor<Double>, Tensor<Double>) {
    let x = Tensor<Double>(shape: [6, 2], scalars: randomDoubles(12, seed: 21))
    let y = Tensor<Double>(shape: [6, 1], scalars: [1, 0, 1, 1, 0, 0])
    return (x, y)
  }

  func model() throws -> Sequential<Double> {
    var m = Sequential<Double>([Dense(units: 1, activation: .sigmoid)])
    var rng = TestGenerator(seed: 2)
    try m.build(inputShape: [2], generator: &rng)
    m.compile(optimizer: .sgd(learningRate: 0.1), loss: .binaryCrossentropy(), metrics: [.accuracy])
    return m
  }

  /// validationData gives the same val_ entries as evaluate on that data after each epoch, and
  /// validationSplit equals passing the last samples as validationData.
  func testValidationDataAndSplitAgree() throws {
    let (x, y) = data()
    var a = try model()
    var b = try model()
    var r1 = TestGenerator(seed: 3)
    var r2 = TestGenerator(seed: 3)
    var sink = RecordingSink()
    let head = Tensor<Double>(shape: [4, 2], scalars: Array(x.scalars[0..<8]))
    let headY = Tensor<Double>(shape: [4, 1], scalars: Array(y.scalars[0..<4]))
    let tail = Tensor<Double>(shape: [2, 2], scalars: Array(x.scalars[8...]))
    let tailY = Tensor<Double>(shape: [2, 1], scalars: Array(y.scalars[4...]))
    let h1 = try a.fit(
      x: x, y: y, epochs: 2, batchSize: 2, validationSplit: 1.0 / 3, verbose: 0, generator: &r1,
      output: &sink)
    let h2 = try b.fit(
      x: head, y: headY, epochs: 2, batchSize: 2, validationData: (tail, tailY), verbose: 0,
      generator: &r2, output: &sink)
    XCTAssertEqual(h1.keys, ["loss", "accuracy", "val_loss", "val_accuracy"])
    for key in h1.keys { XCTAssertEqual(h1[key]!, h2[key]!, key) }
    let eval = try b.evaluate(x: tail, y: tailY, batchSize: 2)
    XCTAssertEqual(eval["loss"]!, h2["val_loss"]!.last!, accuracy: 1e-15)
  }

  /// classWeight {c: w} equals sampleWeight holding w for each sample of class c.
  func testClassWeightEqualsSampleWeight() throws {
    let (x, y) = data()
    var a = try model()
    var b = try model()
    var r1 = TestGenerator(seed: 4)
    var r2 = TestGenerator(seed: 4)
    var sink = RecordingSink()
    try a.fit(
      x: x, y: y, epochs: 2, batchSize: 4, classWeight: [0: 0.5, 1: 3], verbose: 0, generator: &r1,
      output: &sink)
    let w = Tensor<Double>(shape: [6], scalars: y.scalars.map { $0 == 1 ? 3 : 0.5 })
    try b.fit(
      x: x, y: y, epochs: 2, batchSize: 4, sampleWeight: w, verbose: 0, generator: &r2,
      output: &sink)
    XCTAssert(zip(a.weights, b.weights).allSatisfy { same($0, $1) })
  }

  /// On a terminal, fit redraws the bar in place each batch (\r) and ends each epoch with \n.
  func testTerminalOutputRedrawsInPlace() throws {
    let (x, y) = data()
    var m = try model()
    var rng = TestGenerator(seed: 5)
    var sink = RecordingSink(isTerminal: true, tick: 0.5)
    try m.fit(x: x, y: y, epochs: 1, batchSize: 2, verbose: 1, generator: &rng, output: &sink)
    XCTAssertEqual(sink.text.filter { $0 == "\r" }.count, 3)
    XCTAssert(sink.text.contains("1/3 [=========>....................] - ETA: "), sink.text)
    XCTAssert(sink.text.hasSuffix("\n"))
    XCTAssertFalse(sink.text.contains("Epoch"), "one epoch: no epoch header, as Keras")
  }
}
