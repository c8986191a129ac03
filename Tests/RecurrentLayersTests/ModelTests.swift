import RecurrentLayers
import RecurrentTensor
import XCTest

final class ModelTests: XCTestCase {
  func sharedDenseGraph<S: TensorScalar>(_: S.Type) throws -> (
    ModelGraph<S>, [ModelNode], ModelNode
  ) {
    var g = ModelGraph<S>()
    let a = g.input(shape: [3])
    let b = g.input(shape: [3])
    let c = g.input(shape: [2])
    let shared = g.add(Dense<S>(units: 4, activation: .tanh))
    let summed = try g.add([try g(shared, a), try g(shared, b)])
    let merged = try g.concatenate([summed, c])
    XCTAssertEqual(merged.shape, [6])
    let out = try g(Dense<S>(units: 1, activation: .sigmoid), merged)
    return (g, [a, b, c], out)
  }

  /// A Dense shared by two inputs, Add, Concatenate with a third input, Dense: three epochs of
  /// Adam match Keras 3's functional model (history, weights, predictions).
  func testSharedLayerFunctionalModelMatchesKeras() throws {
    let c = try XCTUnwrap(Fixture("train_fit").cases.first { $0.0 == "functional_shared_dense" }?.1)
    let (g, inputs, out) = try sharedDenseGraph(Float.self)
    var rng = TestGenerator(seed: 3)
    var model = try Model(graph: g, inputs: inputs, outputs: [out], generator: &rng)
    XCTAssertEqual(model.layerNames, ["dense", "dense_1"])
    model.weights = (c["initial_weights"] as! [Any]).map { tensor($0, as: Float.self) }
    model.compile(
      optimizer: .adam(learningRate: 0.02), loss: .binaryCrossentropy(), metrics: [.accuracy])
    let xs = (c["x"] as! [Any]).map { tensor($0, as: Float.self) }
    var sink = RecordingSink()
    let history = try model.fit(
      x: xs, y: [tensor(c["y"])], epochs: 3, batchSize: 3, shuffle: false, verbose: 0,
      generator: &rng, output: &sink)
    for (key, values) in c["history"] as! [String: Any] {
      assertClose(history[key]!, doubles(values), tol: 2e-5, "history \(key)")
    }
    for (k, final) in (c["final_weights"] as! [Any]).enumerated() {
      assertClose(
        model.weights[k].scalars, doubles((final as! [String: Any])["values"]), tol: 2e-5,
        "weight \(k)")
    }
    assertClose(
      try model.predict(xs)[0].scalars, doubles((c["predict"] as! [String: Any])["values"]),
      tol: 2e-5,
      "predict")
  }

  /// The tape's gradient (read back from one plain SGD step with rate 1: w − w′) equals central
  /// finite differences of the loss, for the shared layer too (its two uses add up).
  func testTapeGradientsFiniteDifferences() throws {
    let (g, inputs, out) = try sharedDenseGraph(Double.self)
    var rng = TestGenerator(seed: 5)
    var model = try Model(graph: g, inputs: inputs, outputs: [out], generator: &rng)
    model.compile(optimizer: .sgd(learningRate: 1), loss: .binaryCrossentropy())
    let xs = [
      Tensor<Double>(shape: [4, 3], scalars: randomDoubles(12, seed: 1)),
      Tensor<Double>(shape: [4, 3], scalars: randomDoubles(12, seed: 2)),
      Tensor<Double>(shape: [4, 2], scalars: randomDoubles(8, seed: 3)),
    ]
    let y = Tensor<Double>(shape: [4, 1], scalars: [1, 0, 0, 1])
    let before = model.weights
    var stepped = model
    var sink = RecordingSink()
    try stepped.fit(
      x: xs, y: [y], epochs: 1, batchSize: 4, shuffle: false, verbose: 0, generator: &rng,
      output: &sink)
    for (k, w) in before.enumerated() {
      let tapeGrad = zip(w.scalars, stepped.weights[k].scalars).map { $0 - $1 }
      let numeric = try numericalGradient(w.scalars) { values in
        var probe = model
        var ws = probe.weights
        ws[k] = Tensor(shape: w.shape, scalars: values)
        probe.weights = ws
        return try probe.evaluate(x: xs, y: [y], batchSize: 4)["loss"]!
      }
      assertClose(tapeGrad, numeric, tol: 1e-7, "weight \(k)")
    }
  }

  /// The functional path (tape) and Sequential's chained backwards agree step for step.
  func testFunctionalEqualsSequential() throws {
    var seq = Sequential<Double>([
      Embedding(inputDim: 6, outputDim: 3, maskZero: true), LSTM<Double>(units: 4),
      Dropout(rate: 0.25), Dense(units: 2, activation: .softmax),
    ])
    var rng = TestGenerator(seed: 8)
    try seq.build(inputShape: [5], generator: &rng)
    var g = ModelGraph<Double>()
    let ids = g.input(shape: [5])
    var h = try g(Embedding<Double>(inputDim: 6, outputDim: 3, maskZero: true), ids)
    h = try g(LSTM<Double>(units: 4), h)
    h = try g(Dropout<Double>(rate: 0.25), h)
    let out = try g(Dense<Double>(units: 2, activation: .softmax), h)
    var model = try Model(graph: g, inputs: [ids], outputs: [out], generator: &rng)
    model.weights = seq.weights
    seq.compile(optimizer: .adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy())
    model.compile(optimizer: .adam(learningRate: 0.01), loss: .sparseCategoricalCrossentropy())
    let x = Tensor<Double>(shape: [6, 5], scalars: (0..<30).map { Double(($0 * 7) % 6) })
    let y = Tensor<Double>(shape: [6], scalars: [0, 1, 1, 0, 1, 0])
    var r1 = TestGenerator(seed: 11)
    var r2 = TestGenerator(seed: 11)
    var s1 = RecordingSink()
    var s2 = RecordingSink()
    let h1 = try seq.fit(
      x: x, y: y, epochs: 3, batchSize: 4, verbose: 0, generator: &r1, output: &s1)
    let h2 = try model.fit(
      x: [x], y: [y], epochs: 3, batchSize: 4, verbose: 0, generator: &r2, output: &s2)
    assertClose(h1["loss"]!, h2["loss"]!, tol: 1e-12, "loss")
    for (a, b) in zip(seq.weights, model.weights) {
      assertClose(a.scalars, b.scalars.map { $0 }, tol: 1e-12, "weights")
    }
  }

  func testGraphErrors() throws {
    var g = ModelGraph<Float>()
    let a = g.input(shape: [3])
    let b = g.input(shape: [4, 2])
    XCTAssertThrowsError(try g.add([a, b]))
    XCTAssertThrowsError(try g.concatenate([a, b]))
    let out = try g(Dense<Float>(units: 1), a)
    var rng = TestGenerator(seed: 1)
    let model = try Model(graph: g, inputs: [a, b], outputs: [out], generator: &rng)
    XCTAssertThrowsError(try model.predict([Tensor(zeros: [2, 3])])) {
      XCTAssert("\($0)".contains("2 inputs"))
    }
    XCTAssertThrowsError(try model.predict([Tensor(zeros: [2, 4]), Tensor(zeros: [2, 4, 2])]))
  }
}

final class ModelSummaryTests: XCTestCase {
  func testFunctionalSummaryMatchesKeras2Exactly() throws {
    let expected = try XCTUnwrap(Fixture("train_summary").root["functional_summary"] as? String)
    var g = ModelGraph<Float>()
    let a = g.input(shape: [3])
    let b = g.input(shape: [3])
    let c = g.input(shape: [2])
    let shared = g.add(Dense<Float>(units: 4, activation: .tanh))
    let merged = try g.concatenate([try g.add([try g(shared, a), try g(shared, b)]), c])
    let out = try g(Dense<Float>(units: 1, activation: .sigmoid), merged)
    var rng = TestGenerator(seed: 0)
    let model = try Model(graph: g, inputs: [a, b, c], outputs: [out], generator: &rng)
    XCTAssertEqual(model.summary(), expected)
  }
}
