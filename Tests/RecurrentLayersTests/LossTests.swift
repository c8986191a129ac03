import RecurrentLayers
import RecurrentTensor
import XCTest

final class LossTests: XCTestCase {
  /// The loss each fixture case was made with (see Tools/make_training_fixtures.py).
  func loss(for name: String) -> any Loss {
    let sum = name.contains("_sum") && !name.contains("sum_over")
    let reduction: LossReduction = sum ? .sum : .sumOverBatchSize
    if name.hasPrefix("bce") {
      return BinaryCrossentropy(fromLogits: name.contains("logits"), reduction: reduction)
    }
    if name.hasPrefix("cce") {
      return CategoricalCrossentropy(fromLogits: name.contains("logits"), reduction: reduction)
    }
    if name.hasPrefix("scce") {
      return SparseCategoricalCrossentropy(
        fromLogits: name.contains("logits"), ignoreClass: name.contains("ignore0") ? 0 : nil,
        reduction: reduction)
    }
    if name.hasPrefix("mse") { return MeanSquaredError(reduction: reduction) }
    if name.hasPrefix("mae") { return MeanAbsoluteError(reduction: reduction) }
    if name == "huber_default" { return Huber() }
    if name == "huber_delta0.5" { return Huber(delta: 0.5) }
    fatalError("no loss for fixture case \(name)")
  }

  func check<S: TensorScalar>(_: S.Type, tol: Double) throws {
    let fixture = try Fixture("train_losses")
    XCTAssertGreaterThan(fixture.cases.count, 20)
    for (name, c) in fixture.cases {
      let loss = loss(for: name)
      let pred: Tensor<S> = tensor(c["y_pred"])
      let truth: Tensor<S> = tensor(c["y_true"])
      let weight: Tensor<S>? = c["sample_weight"].map { tensor($0) }
      let (value, grad) = try loss.valueAndGradient(
        predictions: pred, targets: truth, sampleWeight: weight)
      assertClose([value], [c["value"] as! Double], tol: tol, "\(name) value")
      assertClose(grad.scalars, doubles((c["grad"] as! [String: Any])["values"]), tol: tol, name)
      XCTAssertEqual(grad.shape, pred.shape, name)
      let forwardOnly = try loss(pred, truth, sampleWeight: weight)
      XCTAssertEqual(forwardOnly, value, name)
    }
  }

  func testGoldenAgainstKerasDouble() throws { try check(Double.self, tol: 1e-12) }
  func testGoldenAgainstKerasFloat() throws { try check(Float.self, tol: 2e-5) }

  /// Central differences on every loss, away from the clip boundaries and the kinks.
  func testFiniteDifferenceGradients() throws {
    let shape = [3, 4]
    let n = 12
    let probs = randomDoubles(n, seed: 1, in: 0.05...0.95)
    let logits = randomDoubles(n, seed: 2, in: -3...3)
    let binary = randomDoubles(n, seed: 3, in: 0...1).map { $0.rounded() }
    var oneHot = [Double](repeating: 0, count: n)
    for (row, cls) in [2, 0, 3].enumerated() { oneHot[row * 4 + cls] = 1 }
    let ids: [Double] = [2, 0, 3]
    let regression = randomDoubles(n, seed: 4, in: -2...2)
    let weights = Tensor<Double>(shape: [3], scalars: [0.5, 2, 1])
    let cases: [(String, any Loss, [Double], Tensor<Double>)] = [
      ("bce", BinaryCrossentropy(), probs, Tensor(shape: shape, scalars: binary)),
      (
        "bce logits", BinaryCrossentropy(fromLogits: true), logits,
        Tensor(shape: shape, scalars: binary)
      ),
      ("cce", CategoricalCrossentropy(), probs, Tensor(shape: shape, scalars: oneHot)),
      (
        "cce logits sum", CategoricalCrossentropy(fromLogits: true, reduction: .sum), logits,
        Tensor(shape: shape, scalars: oneHot)
      ),
      ("scce", SparseCategoricalCrossentropy(), probs, Tensor(shape: [3], scalars: ids)),
      (
        "scce logits ignore", SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: 0),
        logits, Tensor(shape: [3], scalars: ids)
      ),
      ("mse", MeanSquaredError(), logits, Tensor(shape: shape, scalars: regression)),
      ("mae", MeanAbsoluteError(), logits, Tensor(shape: shape, scalars: regression)),
      ("huber", Huber(delta: 0.7), logits, Tensor(shape: shape, scalars: regression)),
    ]
    for (name, loss, x, targets) in cases {
      let (_, grad) = try loss.valueAndGradient(
        predictions: Tensor(shape: shape, scalars: x), targets: targets, sampleWeight: weights)
      let numeric = try numericalGradient(x) {
        try loss(Tensor(shape: shape, scalars: $0), targets, sampleWeight: weights)
      }
      assertClose(grad.scalars, numeric, tol: 1e-7, "finite differences: \(name)")
    }
  }

  func testMaskDropsPositionsFromMeanDenominator() throws {
    // [B, T, 1] regression with a [B, T] mask: the mean runs over the 3 valid steps only.
    let p = Tensor<Double>(shape: [2, 2, 1], scalars: [1, 2, 3, 4])
    let y = Tensor<Double>(shape: [2, 2, 1], scalars: [0, 0, 0, 0])
    let mask = Tensor<Double>(shape: [2, 2], scalars: [1, 1, 1, 0])
    let (value, grad) = try MeanSquaredError().valueAndGradient(
      predictions: p, targets: y, mask: mask)
    XCTAssertEqual(value, (1 + 4 + 9) / 3, accuracy: 1e-12)
    XCTAssertEqual(grad.scalars, [2.0 / 3, 4.0 / 3, 6.0 / 3, 0])
  }

  func testBadInputsThrowTypedErrors() {
    let p = Tensor<Float>(shape: [2, 3], scalars: [0.2, 0.3, 0.5, 0.1, 0.1, 0.8])
    XCTAssertThrowsError(try BinaryCrossentropy()(p, Tensor(zeros: [3, 2]))) { error in
      XCTAssertEqual(
        error as? LossError,
        .shapeMismatch(
          loss: "binary_crossentropy", what: "targets", expected: [2, 3], received: [3, 2]))
    }
    XCTAssertThrowsError(
      try SparseCategoricalCrossentropy()(p, Tensor(shape: [2], scalars: [1, 3]))
    ) { error in
      XCTAssertEqual(
        error as? LossError,
        .invalidClassID(loss: "sparse_categorical_crossentropy", index: 1, value: 3, classes: 3))
      XCTAssert("\(error)".contains("0..<3"))
    }
    XCTAssertThrowsError(
      try MeanSquaredError()(p, p, sampleWeight: Tensor(zeros: [3])))
  }
}
