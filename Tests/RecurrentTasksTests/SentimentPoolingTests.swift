import Foundation
import RecurrentLayers
import RecurrentTasks
import RecurrentTensor
import XCTest

/// A fixture made by Tools/make_sentiment_fixtures.py.
func sentimentFixture(_ name: String) throws -> [String: Any] {
  let url = try XCTUnwrap(
    Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
  return try XCTUnwrap(
    JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
}

final class SentimentPoolingTests: XCTestCase {
  /// Masked max and mean pooling and their input gradients equal PyTorch's (autograd), holes in
  /// the mask and an all-padding row included.
  func testMaskedPoolingMatchesPyTorch() throws {
    let f = try sentimentFixture("sentiment_pooling")
    let doubles = { (key: String) in try XCTUnwrap(f[key] as? [Double]) }
    let x = Tensor<Double>(shape: [4, 5, 3], scalars: try doubles("x"))
    let mask = Tensor<Double>(shape: [4, 5], scalars: try doubles("mask"))
    var rng = RandomGenerator(seed: 1)
    for (mode, name) in [(MaskedGlobalPooling<Double>.Mode.max, "max"), (.mean, "mean")] {
      let pool = MaskedGlobalPooling<Double>(mode: mode)
      XCTAssertEqual(try pool.outputShape(inputShape: [5, 3]), [3])
      let out = try pool.forward(x, mask: mask, training: true, generator: &rng)
      XCTAssertNil(out.mask)
      assertClose(out.output.scalars, try doubles(name), 1e-12, name)
      let dy = Tensor<Double>(shape: [4, 3], scalars: try doubles("dy_" + name))
      let dx = try XCTUnwrap(out.backward(dy).input)
      assertClose(dx.scalars, try doubles("dx_" + name), 1e-12, "d" + name)
    }
    // maxMean is the two concatenated per row.
    let both = try MaskedGlobalPooling<Double>(mode: .maxMean).forward(
      x, mask: mask, training: false, generator: &rng)
    XCTAssertEqual(both.output.shape, [4, 6])
    let (maxes, means) = (try doubles("max"), try doubles("mean"))
    for row in 0..<4 {
      assertClose(
        Array(both.output.scalars[(row * 6)..<(row * 6 + 6)]),
        Array(maxes[(row * 3)..<(row * 3 + 3)] + means[(row * 3)..<(row * 3 + 3)]), 1e-12,
        "row \(row)")
    }
  }

  /// Central finite differences of `sum(pool(x) ⊙ w)` agree with the backward pass (Double;
  /// inputs drawn so no two steps tie for a max).
  func testPoolingGradientsByFiniteDifferences() throws {
    var rng = RandomGenerator(seed: 3)
    let x = Tensor<Double>(
      shape: [2, 4, 3], scalars: (0..<24).map { _ in Double.random(in: -1...1, using: &rng) })
    let mask = Tensor<Double>(shape: [2, 4], scalars: [1, 1, 1, 0, 0, 1, 1, 1])
    for mode in MaskedGlobalPooling<Double>.Mode.allCases {
      let pool = MaskedGlobalPooling<Double>(mode: mode)
      let width = mode == .maxMean ? 6 : 3
      let w = (0..<(2 * width)).map { Double($0 % 5) - 1.5 }
      func loss(_ input: Tensor<Double>) throws -> Double {
        let y = try pool.forward(input, mask: mask, training: false, generator: &rng).output
        return zip(y.scalars, w).reduce(0) { $0 + $1.0 * $1.1 }
      }
      let analytic = try XCTUnwrap(
        try pool.forward(x, mask: mask, training: false, generator: &rng).backward(
          Tensor(shape: [2, width], scalars: w)
        ).input)
      let h = 1e-6
      for i in 0..<x.count {
        var plus = x.scalars
        var minus = x.scalars
        plus[i] += h
        minus[i] -= h
        let numeric =
          (try loss(Tensor(shape: x.shape, scalars: plus))
            - loss(Tensor(shape: x.shape, scalars: minus))) / (2 * h)
        XCTAssertEqual(analytic.scalars[i], numeric, accuracy: 1e-6, "\(mode) x[\(i)]")
      }
    }
  }

  /// Spatial dropout drops whole channels of a sequence (the same ones at every step), scales
  /// survivors by 1/(1 − rate), routes the gradient through the same mask, passes the input mask
  /// on, and is the identity at inference.
  func testSpatialDropoutDropsChannelsAcrossTime() throws {
    let drop = SpatialDropout1D<Double>(rate: 0.5)
    let x = Tensor<Double>(ones: [3, 4, 8])
    let mask = Tensor<Double>(shape: [3, 4], scalars: [1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0])
    var rng = RandomGenerator(seed: 5)
    let out = try drop.forward(x, mask: mask, training: true, generator: &rng)
    XCTAssertEqual(out.mask, mask)
    let y = out.output.scalars
    var dropped = 0
    for row in 0..<3 {
      for j in 0..<8 {
        let column = (0..<4).map { y[(row * 4 + $0) * 8 + j] }
        XCTAssertTrue(column.allSatisfy { $0 == column[0] }, "channel \(j) of row \(row)")
        XCTAssertTrue(column[0] == 0 || column[0] == 2, "kept channels are scaled by 2")
        if column[0] == 0 { dropped += 1 }
      }
    }
    XCTAssertGreaterThan(dropped, 0)
    XCTAssertLessThan(dropped, 24)
    let dy = Tensor<Double>(shape: [3, 4, 8], scalars: (0..<96).map(Double.init))
    let dx = try XCTUnwrap(out.backward(dy).input)
    for i in 0..<96 { XCTAssertEqual(dx.scalars[i], dy.scalars[i] * y[i]) }
    let inference = try drop.forward(x, mask: mask, training: false, generator: &rng)
    XCTAssertEqual(inference.output, x)
  }

  /// A BiLSTM with spatial dropout, recurrent dropout and max pooling trains deterministically
  /// and survives save / load (the loader knows the task's layers); old manifests without the
  /// new settings still decode.
  func testPooledBiLSTMRoundTripsAndOldOptionsDecode() throws {
    let dev = try shippedRTPolarity("dev")
    let data = dev.subset(Array(0..<64))
    var options = smallRecurrentOptions(
      epochs: 1, maxLength: 10, vocabularySize: 200,
      embeddingDim: 6, hiddenUnits: 3)
    options.embeddingDropout = 0.2
    options.recurrentDropout = 0.2
    options.validationSplit = 0.25
    options.monitor = "val_accuracy"
    for pooling in [SentimentPooling.max, .maxMean] {
      options.pooling = pooling
      let a = try SentimentClassifier(training: data, kind: .bilstm, options: options)
      let b = try SentimentClassifier(training: data, kind: .bilstm, options: options)
      let texts = Array(dev.texts.suffix(10))
      let pa = try a.predict(texts)
      XCTAssertEqual(pa, try b.predict(texts), "same seed, same model")
      let dir = try temporaryDirectory(self).appendingPathComponent("pooled")
      try a.save(to: dir)
      let loaded = try SentimentClassifier(contentsOf: dir)
      XCTAssertEqual(loaded.options, options)
      XCTAssertEqual(try loaded.predict(texts), pa)
    }
    let old =
      #"{"seed":3,"epochs":2,"batchSize":8,"vocabularySize":50,"maxLength":7,"#
      + #""embeddingDim":5,"hiddenUnits":2,"dropout":0.5,"learningRate":0.001,"#
      + #""validationSplit":0.1,"patience":2,"verbose":0}"#
    let decoded = try JSONDecoder().decode(SentimentOptions.self, from: Data(old.utf8))
    XCTAssertEqual(decoded.seed, 3)
    XCTAssertEqual(decoded.maxLength, 7)
    XCTAssertEqual(decoded.pooling, .last)
    XCTAssertEqual(decoded.embeddingDropout, 0)
    XCTAssertEqual(decoded.recurrentDropout, 0)
    XCTAssertFalse(decoded.freezeEmbeddings)
    XCTAssertEqual(decoded.monitor, "val_loss")
    XCTAssertEqual(decoded.ensemble, 1, "models saved before ensembles had one network")
    var badMonitor = options
    badMonitor.monitor = "val_f1"
    XCTAssertThrowsError(try badMonitor.validate())
    options.recurrentDropout = 1
    XCTAssertThrowsError(try options.validate())
  }

  /// An ensemble's probabilities are the mean of its members', each member the single network
  /// of seed `seed + k`; it saves every member and refuses a directory missing one.
  func testEnsembleAveragesSeededMembersAndRoundTrips() throws {
    let dev = try shippedRTPolarity("dev")
    let data = dev.subset(Array(0..<48))
    var options = smallRecurrentOptions(
      epochs: 1, maxLength: 8, vocabularySize: 150,
      embeddingDim: 4, hiddenUnits: 3)
    options.validationSplit = 0
    let texts = Array(dev.texts.suffix(6))
    var single = options
    single.ensemble = 1
    let first = try SentimentClassifier(training: data, kind: .bilstm, options: single).predict(
      texts)
    single.seed = options.seed + 1
    let second = try SentimentClassifier(training: data, kind: .bilstm, options: single).predict(
      texts)
    options.ensemble = 2
    let pair = try SentimentClassifier(training: data, kind: .bilstm, options: options)
    let predictions = try pair.predict(texts)
    for (p, (a, b)) in zip(predictions, zip(first, second)) {
      XCTAssertEqual(p.scores[0], (a.scores[0] + b.scores[0]) / 2, accuracy: 1e-6)
    }
    let dir = try temporaryDirectory(self).appendingPathComponent("ensemble")
    try pair.save(to: dir)
    XCTAssertEqual(try SentimentClassifier(contentsOf: dir).predict(texts), predictions)
    try FileManager.default.removeItem(at: dir.appendingPathComponent("network-2"))
    XCTAssertThrowsError(try SentimentClassifier(contentsOf: dir)) { error in
      XCTAssertTrue("\(error)".contains("network-2"), "\(error)")
    }
  }

  /// The sentiment task's NB-SVM is Wang & Manning's (no bias term): its decision values equal
  /// scikit-learn's LinearSVC(fit_intercept=False) version on shipped sentences.
  func testNBSVMHasNoInterceptAsThePaper() throws {
    let f = try sentimentFixture("sentiment_nbsvm")
    let dev = try shippedRTPolarity("dev")
    let model = try SentimentClassifier(training: dev.subset(Array(0..<400)), kind: .nbsvm)
    let predictions = try model.predict(dev.subset(Array(400..<600)).texts)
    let expected = try XCTUnwrap(f["decision"] as? [Double])
    assertClose(predictions.map { $0.scores[0] }, expected, 1e-3, "decision")
    let labels = try XCTUnwrap(f["predicted"] as? [Int]).map(String.init)
    XCTAssertEqual(predictions.map(\.label), labels)
  }

  /// `onlyFirst` runs the first folds of the full split only.
  func testCrossValidationOnlyFirstFolds() throws {
    let data = try shippedRTPolarity("dev").subset(Array(0..<300))
    let full = try SentimentClassifier.crossValidate(data, kind: .nb, folds: 5, seed: 2)
    let first = try SentimentClassifier.crossValidate(
      data, kind: .nb, folds: 5, seed: 2, onlyFirst: 2)
    XCTAssertEqual(first.foldAccuracies, Array(full.foldAccuracies.prefix(2)))
    XCTAssertThrowsError(
      try SentimentClassifier.crossValidate(data, kind: .nb, folds: 5, onlyFirst: 0))
  }
}

private func assertClose(
  _ a: [Double], _ b: [Double], _ tolerance: Double, _ what: String, line: UInt = #line
) {
  XCTAssertEqual(a.count, b.count, what, line: line)
  for (i, (x, y)) in zip(a, b).enumerated() where abs(x - y) > tolerance {
    XCTFail("\(what)[\(i)]: \(x) vs \(y)", line: line)
    return
  }
}
