import RecurrentLayers
import RecurrentTensor
import XCTest

final class KerasSugarTests: XCTestCase {
  /// The spellings of the Keras example build what the labelled API builds.
  func testKerasSpellingsBuildTheSameModel() throws {
    let short = Sequential<Float> {
      Embedding(inputDim: 100, outputDim: 8)
      LSTM(8)
      Dense(1, activation: .sigmoid)
    }
    let long = Sequential<Float>([
      Embedding(inputDim: 100, outputDim: 8), LSTM(units: 8),
      Dense(units: 1, activation: .sigmoid),
    ])
    XCTAssertEqual(short.layerNames, ["embedding", "lstm", "dense"])
    XCTAssertEqual(short.layers.map(\.config), long.layers.map(\.config))
    XCTAssertEqual(GRU<Float>(8).config, GRU<Float>(units: 8).config)
    XCTAssertEqual(SimpleRNN<Float>(8).config, SimpleRNN<Float>(units: 8).config)
    let adam: Optimizer<Float> = .adam
    XCTAssertEqual(adam.algorithm, Optimizer<Float>.adam().algorithm)
    XCTAssertEqual(adam.currentLearningRate, 0.001)
    XCTAssertEqual((Optimizer<Float>.sgd).currentLearningRate, 0.01)
    func name(_ loss: some Loss) -> String { loss.name }
    XCTAssertEqual(name(.binaryCrossentropy), "binary_crossentropy")
    XCTAssertEqual(name(.sparseCategoricalCrossentropy), "sparse_categorical_crossentropy")
  }

  /// fit / evaluate / predict on `[[Int]]` ids and `[Int]` labels equal the tensor calls with
  /// `[N, 1]` labels, step for step (same seed → same weights and history).
  func testArraysEqualTensors() throws {
    let ids = [[0, 1, 2, 3], [4, 5, 0, 1], [2, 2, 3, 0], [5, 4, 3, 2]]
    let labels = [1, 0, 1, 0]
    func model() -> Sequential<Float> {
      var m = Sequential<Float> {
        Embedding(inputDim: 6, outputDim: 3)
        GRU(4)
        Dense(1, activation: .sigmoid)
      }
      m.compile(optimizer: .adam, loss: .binaryCrossentropy, metrics: [.accuracy])
      return m
    }
    var a = model()
    var b = model()
    var ra = RandomGenerator(seed: 7)
    var rb = RandomGenerator(seed: 7)
    let ha = try a.fit(ids, labels, epochs: 3, batchSize: 2, verbose: 0, generator: &ra)
    let x = Tensor<Float>(idRows: ids)
    var sink = SilentSink()
    let hb = try b.fit(
      x: x, y: Tensor(shape: [4, 1], scalars: [1, 0, 1, 0]), epochs: 3, batchSize: 2,
      verbose: 0, generator: &rb, output: &sink)
    XCTAssertEqual(ha["loss"], hb["loss"])
    XCTAssertEqual(a.weights.map(\.scalars), b.weights.map(\.scalars))
    let scores = try a.evaluate(ids, labels, verbose: 0)
    XCTAssertEqual(
      scores["loss"], try b.evaluate(x: x, y: Tensor(shape: [4], scalars: [1, 0, 1, 0]))["loss"])
    XCTAssertEqual(try a.predict(ids, verbose: 0).scalars, try b.predict(x).scalars)
  }

  /// evaluate and predict print Keras 2's finished one-line bar when verbose.
  func testEvaluatePrintsKerasBar() throws {
    var m = Sequential<Float> { Dense(1, activation: .sigmoid) }
    m.compile(optimizer: .adam, loss: .binaryCrossentropy, metrics: [.accuracy])
    var sink = SilentSink()
    _ = try m.evaluate([[0.5, 1], [1, 0], [0, 0]], [1, 0, 1], batchSize: 2, output: &sink)
    XCTAssert(sink.text.hasPrefix("2/2 [==============================] - 0s "), sink.text)
    XCTAssert(sink.text.contains(" - loss: "), sink.text)
    XCTAssert(sink.text.contains(" - accuracy: "), sink.text)
    sink.text = ""
    _ = try m.predict([[0.5, 1]], verbose: 1, output: &sink)
    XCTAssert(sink.text.hasPrefix("1/1 [==="), sink.text)
  }

  /// Ragged rows are refused with the row and the fix.
  func testRaggedRowsAreRefused() {
    XCTAssertThrowsError(try [[1, 2, 3], [4, 5]].tensor(as: Float.self)) {
      XCTAssert("\($0)".contains("row 1"), "\($0)")
      XCTAssert("\($0)".contains("padSequences"), "\($0)")
    }
    XCTAssertEqual(try [[1, 2], [3, 4]].tensor(as: Double.self).shape, [2, 2])
    XCTAssertEqual(try [Float]().tensor(as: Double.self).shape, [0])
  }
}

/// Collects progress text instead of printing it.
struct SilentSink: ProgressSink {
  var text = ""
  var isTerminal: Bool { false }
  mutating func write(_ s: String) { text += s }
}
