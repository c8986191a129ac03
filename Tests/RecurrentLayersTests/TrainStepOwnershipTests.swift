import RecurrentLayers
import RecurrentTensor
import XCTest

/// `Sequential` and `Model` move the parameters out of their layers for the optimizer step (so
/// the update runs in place without a copy-on-write copy). These tests pin down what that must
/// not change: every layer gets its own tensors back in the same shapes, and a copy of the model
/// taken before the step keeps its old weights (value semantics).
final class TrainStepOwnershipTests: XCTestCase {
  func makeData() -> (Tensor<Float>, Tensor<Float>) {
    let x = Tensor<Float>(shape: [4, 5], scalars: (0..<20).map { Float(($0 * 7) % 9 + 1) })
    let y = Tensor<Float>(shape: [4, 1], scalars: [0, 1, 1, 0])
    return (x, y)
  }

  func testSequentialStepKeepsShapesAndCopies() throws {
    for optimizer in [Optimizer<Float>.sgd(), .rmsprop(), .adagrad(), .adam()] {
      var rng = RandomGenerator(seed: 3)
      var model = Sequential<Float>([
        Embedding(inputDim: 10, outputDim: 3), GRU<Float>(units: 4),
        Dense(units: 1, activation: .sigmoid),
      ])
      try model.build(inputShape: [5], generator: &rng)
      model.compile(optimizer: optimizer, loss: .binaryCrossentropy())
      let before = model
      let beforeBits = before.weights.map { $0.scalars.map(\.bitPattern) }
      let (x, y) = makeData()
      _ = try model.trainStep(x: x, y: y, generator: &rng)
      XCTAssertEqual(model.weights.map(\.shape), before.weights.map(\.shape))
      XCTAssertEqual(before.weights.map { $0.scalars.map(\.bitPattern) }, beforeBits)
      for (k, (a, b)) in zip(model.weights, before.weights).enumerated() {
        XCTAssertNotEqual(a.scalars, b.scalars, "\(optimizer.algorithm): weight \(k) not updated")
      }
    }
  }

  func testFunctionalStepKeepsShapesAndCopies() throws {
    var rng = RandomGenerator(seed: 5)
    var g = ModelGraph<Float>()
    let ids = g.input(shape: [5])
    var h = try g(Embedding<Float>(inputDim: 10, outputDim: 3), ids)
    h = try g(LSTM<Float>(units: 4), h)
    let out = try g(Dense<Float>(units: 1, activation: .sigmoid), h)
    var model = try Model(graph: g, inputs: [ids], outputs: [out], generator: &rng)
    model.compile(optimizer: .sgd(learningRate: 0.5), loss: .binaryCrossentropy())
    let before = model
    let beforeBits = before.weights.map { $0.scalars.map(\.bitPattern) }
    let (x, y) = makeData()
    _ = try model.fit(x: [x], y: [y], epochs: 1, batchSize: 4, verbose: 0, generator: &rng)
    XCTAssertEqual(model.weights.map(\.shape), before.weights.map(\.shape))
    XCTAssertEqual(before.weights.map { $0.scalars.map(\.bitPattern) }, beforeBits)
    for (k, (a, b)) in zip(model.weights, before.weights).enumerated() {
      XCTAssertNotEqual(a.scalars, b.scalars, "functional: weight \(k) not updated")
    }
  }
}
