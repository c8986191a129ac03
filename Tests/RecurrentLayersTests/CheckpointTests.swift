import Foundation
import RecurrentLayers
import RecurrentTensor
import XCTest

final class CheckpointTests: XCTestCase {
  var dir: URL!

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }
  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

  func makeModel() throws -> Sequential<Float> {
    var model = Sequential<Float>([
      Embedding(inputDim: 7, outputDim: 3, maskZero: true),
      TimeDistributed(Dense<Float>(units: 4, activation: .relu)),
      Dropout(rate: 0.2),
      Dense(units: 2, activation: .softmax, useBias: false),
    ])
    var rng = TestGenerator(seed: 9)
    try model.build(inputShape: [5], generator: &rng)
    return model
  }

  /// save → load reproduces the architecture, names and every weight bit for bit.
  func testSaveLoadRoundTripIsExact() throws {
    let model = try makeModel()
    try model.save(to: dir)
    XCTAssert(
      FileManager.default.fileExists(atPath: dir.appendingPathComponent("config.json").path))
    var loaded = try Sequential<Float>.load(from: dir)
    XCTAssertEqual(loaded.layerNames, model.layerNames)
    XCTAssertEqual(loaded.layers.map(\.kerasClassName), model.layers.map(\.kerasClassName))
    XCTAssert(zip(loaded.weights, model.weights).allSatisfy { same($0, $1) })
    XCTAssertEqual(loaded.summary(), model.summary())
    var original = model
    let ids = Tensor<Float>(shape: [2, 5], scalars: [1, 2, 3, 0, 0, 6, 5, 4, 3, 0])
    XCTAssertEqual(try loaded.predict(ids).scalars, try original.predict(ids).scalars)
  }

  /// Recurrent layers (built by the registry from their saved configs) round-trip too.
  func testRecurrentModelRoundTrip() throws {
    var model = Sequential<Float>([
      Embedding(inputDim: 9, outputDim: 4, maskZero: true),
      Bidirectional(GRU<Float>(units: 3, returnSequences: true), merge: .sum),
      LSTM<Float>(units: 5, goBackwards: true),
      Dense(units: 1, activation: .sigmoid),
    ])
    var rng = TestGenerator(seed: 4)
    try model.build(inputShape: [6], generator: &rng)
    try model.save(to: dir)
    var loaded = try Sequential<Float>.load(from: dir)
    XCTAssertEqual(loaded.summary(), model.summary())
    XCTAssert(zip(loaded.weights, model.weights).allSatisfy { same($0, $1) })
    let ids = Tensor<Float>(shape: [2, 6], scalars: [1, 2, 3, 0, 0, 0, 8, 7, 6, 5, 4, 3])
    XCTAssertEqual(try loaded.predict(ids).scalars, try model.predict(ids).scalars)
  }

  func testWeightsOnlyRoundTripAndMismatchErrors() throws {
    let model = try makeModel()
    let file = dir.appendingPathComponent("w.safetensors")
    try model.saveWeights(to: file)
    var other = Sequential<Float>([
      Embedding(inputDim: 7, outputDim: 3, maskZero: true),
      TimeDistributed(Dense<Float>(units: 4, activation: .relu)),
      Dropout(rate: 0.2),
      Dense(units: 2, activation: .softmax, useBias: false),
    ])
    var rng = TestGenerator(seed: 1)
    try other.build(inputShape: [5], generator: &rng)
    XCTAssertFalse(zip(other.weights, model.weights).allSatisfy { same($0, $1) })
    try other.loadWeights(from: file)
    XCTAssert(zip(other.weights, model.weights).allSatisfy { same($0, $1) })
    XCTAssertEqual(
      model.weightKeys,
      ["embedding.embeddings", "time_distributed.kernel", "time_distributed.bias", "dense.kernel"])

    var wrong = Sequential<Float>([Embedding(inputDim: 8, outputDim: 3)])
    try wrong.build(inputShape: [5], generator: &rng)
    XCTAssertThrowsError(try wrong.loadWeights(from: file)) {
      XCTAssert("\($0)".contains("[7, 3]"))
    }
    XCTAssertThrowsError(try Sequential<Float>.load(from: dir.appendingPathComponent("missing")))
  }

  func testModelCheckpointSavesBestEpochs() throws {
    var model = Sequential<Float>([Dense(units: 1, activation: .sigmoid)])
    model.compile(optimizer: .sgd(learningRate: 0.5), loss: .binaryCrossentropy())
    let x = Tensor<Float>(shape: [4, 1], scalars: [-2, -1, 1, 2])
    let y = Tensor<Float>(shape: [4, 1], scalars: [0, 0, 1, 1])
    var rng = TestGenerator(seed: 2)
    var sink = RecordingSink()
    let path = dir.appendingPathComponent("e{epoch:02d}.safetensors").path
    let history = try model.fit(
      x: x, y: y, epochs: 3, batchSize: 4,
      callbacks: [
        ModelCheckpoint(path: path, monitor: "loss", saveBestOnly: true, saveWeightsOnly: true)
      ],
      verbose: 0, generator: &rng, output: &sink)
    let saved = (history.callbacks[0] as! ModelCheckpoint).saved
    // The loss falls every epoch on separable data, so every epoch is a new best.
    XCTAssertEqual(
      saved.map { URL(fileURLWithPath: $0).lastPathComponent },
      ["e01.safetensors", "e02.safetensors", "e03.safetensors"])
    var restored = Sequential<Float>([Dense(units: 1, activation: .sigmoid)])
    try restored.build(inputShape: [1], generator: &rng)
    try restored.loadWeights(from: URL(fileURLWithPath: saved[2]))
    XCTAssert(zip(restored.weights, model.weights).allSatisfy { same($0, $1) })
  }
}
