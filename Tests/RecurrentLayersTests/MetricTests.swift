import RecurrentLayers
import RecurrentTensor
import XCTest

final class MetricTests: XCTestCase {
  func metric(for name: String) -> Metric {
    switch name {
    case "binary_accuracy", "binary_accuracy_weighted": return .binaryAccuracy()
    case "binary_accuracy_threshold0.7": return .binaryAccuracy(threshold: 0.7)
    case "precision", "precision_weighted": return .precision()
    case "recall": return .recall()
    case "f1": return .f1Score()
    case "categorical_accuracy": return .categoricalAccuracy
    case "sparse_categorical_accuracy", "sparse_categorical_accuracy_weighted":
      return .sparseCategoricalAccuracy
    case "mae": return .meanAbsoluteError
    default: fatalError("no metric for fixture case \(name)")
    }
  }

  /// Streaming results after each batch, and after reset + one batch, match Keras.
  func testStreamingGoldenAgainstKeras() throws {
    let fixture = try Fixture("train_metrics")
    XCTAssertEqual(fixture.cases.count, 11)
    for (name, c) in fixture.cases {
      var m = metric(for: name)
      let batches = (c["batches"] as! [[String: Any]]).map { b in
        (
          tensor(b["y_pred"], as: Float.self), tensor(b["y_true"], as: Float.self),
          b["sample_weight"].map { tensor($0, as: Float.self) }
        )
      }
      var results = [Double]()
      for (p, y, w) in batches {
        try m.update(predictions: p, targets: y, sampleWeight: w)
        results.append(m.result)
      }
      assertClose(results, doubles(c["results"]), tol: 1e-6, name)
      m.reset()
      try m.update(predictions: batches[0].0, targets: batches[0].1, sampleWeight: batches[0].2)
      assertClose([m.result], [c["after_reset_first_batch"] as! Double], tol: 1e-6, "\(name) reset")
    }
  }

  /// Keras's "accuracy" resolves to binary / sparse / categorical accuracy from the shapes.
  func testAccuracyResolvesFromShapes() throws {
    var binary = Metric.accuracy
    try binary.update(
      predictions: Tensor<Float>(shape: [3, 1], scalars: [0.9, 0.4, 0.6]),
      targets: Tensor(shape: [3, 1], scalars: [1, 0, 0]))
    XCTAssertEqual(binary.kind, .binaryAccuracy(threshold: 0.5))
    XCTAssertEqual(binary.result, 2.0 / 3, accuracy: 1e-12)
    XCTAssertEqual(binary.name, "accuracy")

    var sparse = Metric.accuracy
    let p = Tensor<Float>(shape: [2, 3], scalars: [0.1, 0.7, 0.2, 0.5, 0.3, 0.2])
    try sparse.update(predictions: p, targets: Tensor(shape: [2], scalars: [1, 2]))
    XCTAssertEqual(sparse.kind, .sparseCategoricalAccuracy)
    XCTAssertEqual(sparse.result, 0.5)

    var categorical = Metric.accuracy
    try categorical.update(
      predictions: p, targets: Tensor(shape: [2, 3], scalars: [0, 1, 0, 1, 0, 0]))
    XCTAssertEqual(categorical.kind, .categoricalAccuracy)
    XCTAssertEqual(categorical.result, 1)
  }

  func testMeanMetricWeightsByBatchSize() {
    var loss = Metric(.mean(name: "loss"))
    loss.update(mean: 1.0, weight: 32)
    loss.update(mean: 4.0, weight: 8)
    XCTAssertEqual(loss.result, (32 + 32) / 40.0, accuracy: 1e-12)
    XCTAssertEqual(loss.name, "loss")
    loss.reset()
    XCTAssertEqual(loss.result, 0)
  }

  func testShapeMismatchThrows() {
    var m = Metric.categoricalAccuracy
    XCTAssertThrowsError(
      try m.update(predictions: Tensor<Float>(zeros: [2, 3]), targets: Tensor(zeros: [2, 2]))
    ) { XCTAssert("\($0)".contains("[2, 2]")) }
  }
}
