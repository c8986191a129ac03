import Foundation
import RecurrentLayers
import RecurrentTensor
import XCTest

/// A stand-in model: callbacks see only the TrainableModel surface.
struct FakeModel: TrainableModel {
  var weights: [Tensor<Float>] = [Tensor(shape: [1], scalars: [0])]
  var optimizer: Optimizer<Float>? = .sgd(learningRate: 0.1)
  var stopTraining = false
  func save(to directory: URL) throws {}
  func saveWeights(to file: URL) throws {}
}

final class CallbackTests: XCTestCase {
  func logs(_ pairs: [(String, Double)]) -> Logs {
    var l = Logs()
    for (k, v) in pairs { l[k] = v }
    return l
  }

  /// Keras semantics: patience counts epochs without improvement; restoreBestWeights puts the
  /// best epoch's weights back when stopping.
  func testEarlyStoppingPatienceAndRestore() throws {
    var cb = EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true)
    var model = FakeModel()
    try cb.onTrainBegin(model: &model)
    let losses = [1.0, 0.5, 0.6, 0.55, 0.4]
    var stoppedAt: Int?
    for (epoch, v) in losses.enumerated() {
      model.weights = [Tensor(shape: [1], scalars: [Float(epoch)])]
      try cb.onEpochEnd(epoch, logs: logs([("val_loss", v)]), model: &model)
      if model.stopTraining { stoppedAt = epoch; break }
    }
    XCTAssertEqual(stoppedAt, 3)
    XCTAssertEqual(cb.stoppedEpoch, 3)
    XCTAssertEqual(cb.bestEpoch, 1)
    XCTAssertEqual(model.weights[0].scalars, [1], "weights of epoch 1 restored")

    var acc = EarlyStopping(monitor: "val_accuracy", minDelta: 0.01, patience: 1)
    try acc.onTrainBegin(model: &model)
    model.stopTraining = false
    try acc.onEpochEnd(0, logs: logs([("val_accuracy", 0.5)]), model: &model)
    try acc.onEpochEnd(1, logs: logs([("val_accuracy", 0.505)]), model: &model)  // < minDelta
    XCTAssert(model.stopTraining, "max mode chosen from the name; 0.005 is below minDelta")
    XCTAssertThrowsError(try acc.onEpochEnd(2, logs: logs([("loss", 1)]), model: &model)) {
      XCTAssert("\($0)".contains("validationData"))
    }
  }

  func testReduceLROnPlateauWithCooldownAndFloor() throws {
    var cb = ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 1, cooldown: 1, minLR: 0.03)
    var model = FakeModel()
    try cb.onTrainBegin(model: &model)
    for (epoch, v) in [1.0, 1.0, 1.0, 1.0, 1.0, 1.0].enumerated() {
      try cb.onEpochEnd(epoch, logs: logs([("loss", v)]), model: &model)
    }
    // Keras's order: the cooldown counter is decremented before the check, so cooldown 1 only
    // resets `wait`. Reduce at epoch 1 (0.05) and 2 (0.025, floored to 0.03); then at the floor
    // nothing more.
    XCTAssertEqual(cb.reductions.map(\.epoch), [1, 2])
    XCTAssertEqual(cb.reductions.map(\.learningRate), [0.05, 0.03])
    XCTAssertEqual(model.optimizer!.currentLearningRate, 0.03)
  }

  func testSchedulerAndTerminateOnNaN() throws {
    var model = FakeModel()
    var sched = LearningRateScheduler { epoch, lr in epoch == 0 ? lr : lr * 0.1 }
    try sched.onEpochBegin(0, model: &model)
    try sched.onEpochBegin(1, model: &model)
    XCTAssertEqual(model.optimizer!.currentLearningRate, 0.01, accuracy: 1e-15)
    var nan = TerminateOnNaN()
    try nan.onBatchEnd(0, logs: logs([("loss", 1)]), model: &model)
    XCTAssertFalse(model.stopTraining)
    try nan.onBatchEnd(1, logs: logs([("loss", .nan)]), model: &model)
    XCTAssert(model.stopTraining)
    XCTAssertEqual(nan.terminatedAtBatch, 1)
  }

  func testCSVLoggerWritesSortedColumnsAtomically() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("log.csv").path
    var cb = CSVLogger(path: path)
    var model = FakeModel()
    try cb.onTrainBegin(model: &model)
    try cb.onEpochEnd(
      0, logs: logs([("loss", 0.5), ("accuracy", 0.75), ("val_loss", 0.25)]), model: &model)
    try cb.onEpochEnd(
      1, logs: logs([("loss", 0.25), ("accuracy", 1), ("val_loss", 0.125)]), model: &model)
    XCTAssertEqual(
      try String(contentsOfFile: path, encoding: .utf8),
      "epoch,accuracy,loss,val_loss\n0,0.75,0.5,0.25\n1,1.0,0.25,0.125\n")
    var again = CSVLogger(path: path, append: true)
    try again.onTrainBegin(model: &model)
    try again.onEpochEnd(
      0, logs: logs([("loss", 0.1), ("accuracy", 1), ("val_loss", 0.1)]), model: &model)
    XCTAssertEqual(
      try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count, 4)
  }

  /// Early stopping inside a real fit: training ends early and History records the epochs run.
  func testEarlyStoppingEndsFit() throws {
    var model = Sequential<Float>([Dense(units: 1, activation: .sigmoid)])
    model.compile(optimizer: .sgd(learningRate: 0), loss: .binaryCrossentropy())
    let x = Tensor<Float>(shape: [4, 1], scalars: [1, 2, 3, 4])
    let y = Tensor<Float>(shape: [4, 1], scalars: [0, 1, 0, 1])
    var rng = TestGenerator(seed: 2)
    var sink = RecordingSink()
    let history = try model.fit(
      x: x, y: y, epochs: 10, batchSize: 2,
      callbacks: [EarlyStopping(monitor: "loss", patience: 2)],
      verbose: 0, generator: &rng, output: &sink)
    // A zero learning rate never improves: stop after epoch 2 (patience 2).
    XCTAssertEqual(history.epochs, [0, 1, 2])
    XCTAssertEqual((history.callbacks[0] as? EarlyStopping)?.stoppedEpoch, 2)
  }
}
