import RecurrentLayers
import RecurrentTensor
import XCTest

final class SequentialTests: XCTestCase {
  /// The summary text equals Keras 2's (tf_keras) for the same architecture, frozen embedding
  /// included.
  func testSummaryMatchesKeras2Exactly() throws {
    let expected = try XCTUnwrap(Fixture("train_summary").root["summary"] as? String)
    var model = Sequential<Float>([
      Embedding(inputDim: 100, outputDim: 8, maskZero: true, trainable: false),
      Dense(units: 4, activation: .relu),
      Dropout(rate: 0.1),
      Dense(units: 1, activation: .sigmoid),
    ])
    var rng = TestGenerator(seed: 0)
    try model.build(inputShape: [5], generator: &rng)
    XCTAssertEqual(model.summary(), expected)
    XCTAssertEqual(model.layerNames, ["embedding", "dense", "dropout", "dense_1"])
    XCTAssertEqual(model.trainableParameterCount, 41)
    XCTAssertEqual(model.nonTrainableParameterCount, 800)
  }

  func testSummaryWrapsLongNamesAsKeras() {
    // Keras 2 prints "time_distributed (TimeDistributed)" over two lines.
    let rows = Sequential<Float>.summaryRowForTesting([
      "time_distributed (TimeDistributed)", "(None, 5, 2)", "10",
    ])
    XCTAssertEqual(
      rows,
      [
        " time_distributed (TimeDist  (None, 5, 2)              10        ",
        " ributed)                                                        ",
      ])
  }

  func testLazyBuildShapesAndPredictBatching() throws {
    var model = Sequential<Double>([
      Embedding(inputDim: 10, outputDim: 4), Dense(units: 3, activation: .tanh),
      TimeDistributed(Dense<Double>(units: 2, activation: .softmax)),
    ])
    XCTAssertFalse(model.isBuilt)
    let ids = Tensor<Double>(shape: [5, 6], scalars: (0..<30).map { Double($0 % 10) })
    let all = try model.predict(ids, batchSize: 32)
    XCTAssert(model.isBuilt)
    XCTAssertEqual(all.shape, [5, 6, 2])
    XCTAssertEqual(try model.outputShapes(), [[6, 4], [6, 3], [6, 2]])
    // Batching does not change predictions.
    let chunked = try model.predict(ids, batchSize: 2)
    XCTAssertEqual(chunked.scalars, all.scalars)
    // Softmax rows sum to one.
    for r in 0..<30 {
      XCTAssertEqual(all.scalars[2 * r] + all.scalars[2 * r + 1], 1, accuracy: 1e-12)
    }
  }

  /// The whole model's backward (chained layer backwards + loss) against finite differences.
  func testModelGradientFiniteDifferences() throws {
    var model = Sequential<Double>([
      Dense(units: 3, activation: .tanh), Dense(units: 2, activation: .softmax),
    ])
    var rng = TestGenerator(seed: 3)
    try model.build(inputShape: [4], generator: &rng)
    let x = Tensor<Double>(shape: [3, 4], scalars: randomDoubles(12, seed: 4))
    let y = Tensor<Double>(shape: [3], scalars: [0, 1, 1])
    let loss = SparseCategoricalCrossentropy()
    var none = TestGenerator(seed: 0)
    let (out, _, steps) = try model.forward(x, training: false, generator: &none)
    let (_, dOut) = try loss.valueAndGradient(predictions: out, targets: y)
    // Backward through the steps by hand, as trainStep does.
    var dy: Tensor<Double>? = dOut
    var grads = [[Tensor<Double>]]()
    for step in steps.reversed() {
      let g = step.backward(dy!)
      grads.insert(g.parameters, at: 0)
      dy = g.input
    }
    let flat = grads.flatMap { $0 }
    for (k, w) in model.weights.enumerated() {
      let numeric = try numericalGradient(w.scalars) { values in
        var probe = model
        var ws = probe.weights
        ws[k] = Tensor(shape: w.shape, scalars: values)
        probe.weights = ws
        var g = TestGenerator(seed: 0)
        return try loss(probe.forward(x, training: false, generator: &g).output, y)
      }
      assertClose(flat[k].scalars, numeric, tol: 1e-7, "weight \(k)")
    }
  }
}
