import Foundation
import RecurrentEmbeddings
import RecurrentLayers
import RecurrentTasks
import RecurrentTensor
import XCTest

/// Records the weights after every batch (to recompute what ``AveragedEarlyStopping`` saw).
private struct RecordWeights: Callback {
  var seen: [[Tensor<Float>]] = []
  mutating func onBatchEnd<M: TrainableModel>(_ batch: Int, logs: Logs, model: inout M) throws {
    seen.append(model.weights as! [Tensor<Float>])
  }
}

final class SentimentRegularizationTests: XCTestCase {
  /// Word dropout replaces only real word ids (≥ 2) by the OOV id, about `rate` of them, the
  /// same ones for the same seed; padding and OOV stay, inference is the identity, and the
  /// gradient passes through.
  func testWordDropoutReplacesOnlyRealWords() throws {
    // Per ten ids: eight real words, one OOV (1), one padding (0).
    var ids = [Float](repeating: 0, count: 400)
    for i in 0..<400 where i % 10 != 9 {
      ids[i] = i % 10 == 8 ? 1 : Float(2 + i % 7)
    }
    let x = Tensor<Float>(shape: [20, 20], scalars: ids)
    let drop = WordDropout<Float>(rate: 0.3)
    var rng = RandomGenerator(seed: 5)
    let out = try drop.forward(x, mask: nil, training: true, generator: &rng)
    var again = RandomGenerator(seed: 5)
    XCTAssertEqual(
      try drop.forward(x, mask: nil, training: true, generator: &again).output, out.output)
    var replaced = 0
    for (before, after) in zip(ids, out.output.scalars) {
      if before < 2 {
        XCTAssertEqual(after, before, "padding and OOV never change")
      } else if after != before {
        XCTAssertEqual(after, 1)
        replaced += 1
      }
    }
    // 320 real words at rate 0.3: 96 expected, sd ≈ 8.2.
    XCTAssertGreaterThan(replaced, 60)
    XCTAssertLessThan(replaced, 132)
    let dy = Tensor<Float>(shape: [20, 20], scalars: (0..<400).map(Float.init))
    XCTAssertEqual(try XCTUnwrap(out.backward(dy).input), dy)
    XCTAssertEqual(try drop.forward(x, mask: nil, training: false, generator: &rng).output, x)
  }

  /// Check points spread evenly over an epoch and always include its last batch.
  func testEvenCheckpoints() {
    XCTAssertEqual(AveragedEarlyStopping.evenCheckpoints(steps: 10, checks: 4), [1, 4, 6, 9])
    XCTAssertEqual(AveragedEarlyStopping.evenCheckpoints(steps: 10, checks: 1), [9])
    XCTAssertEqual(AveragedEarlyStopping.evenCheckpoints(steps: 3, checks: 8), [0, 1, 2])
  }

  /// Any model but `Sequential<Float>` is refused with a typed error when training begins.
  func testAveragedEarlyStoppingRefusesOtherModels() throws {
    var model = Sequential<Double>([Dense<Double>(units: 1)], inputShape: [2])
    var rng = RandomGenerator(seed: 5)
    try model.build(inputShape: [2], generator: &rng)
    var stop = AveragedEarlyStopping(
      validation: (x: Tensor<Float>(zeros: [1, 2]), y: Tensor<Float>(zeros: [1, 1])),
      checkAfterBatches: [0])
    XCTAssertThrowsError(try stop.onTrainBegin(model: &model)) { error in
      XCTAssertEqual(
        error as? CallbackError,
        .unsupportedModel(
          callback: "AveragedEarlyStopping", expected: "Sequential<Float>",
          received: "Sequential<Double>"))
    }
  }

  /// The callback's checked values are the validation losses of the moving average
  /// `a ← d·a + (1−d)·w` with `d = min(decay, (1+n)/(10+n))`, recomputed here from the weights
  /// after each batch; training ends `patience` checks after the best one, and the model ends
  /// with the best average. With decay 0 it keeps the best raw weights.
  func testAveragedEarlyStoppingKeepsBestAverage() throws {
    var rng = RandomGenerator(seed: 2)
    let n = 48
    let xs = (0..<(n * 3)).map { _ in Float.random(in: -1...1, using: &rng) }
    let ys = (0..<n).map { i in xs[i * 3] - xs[i * 3 + 2] > 0.1 ? Float(1) : 0 }
    let x = Tensor<Float>(shape: [n, 3], scalars: xs)
    let y = Tensor<Float>(shape: [n, 1], scalars: ys)
    let validation = (
      x: Tensor<Float>(shape: [8, 3], scalars: Array(xs.suffix(24))),
      y: Tensor<Float>(shape: [8, 1], scalars: Array(ys.suffix(8)))
    )
    for decay in [0.9, 0] {
      var model = Sequential<Float>([Dense<Float>(units: 1, activation: .sigmoid)], inputShape: [3])
      var initial = RandomGenerator(seed: 3)
      try model.build(inputShape: [3], generator: &initial)
      model.compile(
        optimizer: .adam(learningRate: .constant(0.05)), loss: .binaryCrossentropy(),
        metrics: [.accuracy])
      let stop = AveragedEarlyStopping(
        validation: validation, checkAfterBatches: [1, 5], patience: 3, decay: decay)
      var fitRNG = RandomGenerator(seed: 4)
      let history = try model.fit(
        x: x, y: y, epochs: 6, batchSize: 8, callbacks: [RecordWeights(), stop], verbose: 0,
        generator: &fitRNG)
      let seen = try XCTUnwrap(history.callbacks[0] as? RecordWeights).seen
      let done = try XCTUnwrap(history.callbacks[1] as? AveragedEarlyStopping)
      // Recompute the average and the checked losses.
      var average = seen[0]
      var expected: [(values: [Tensor<Float>], loss: Double)] = []
      for (k, weights) in seen.enumerated() {
        if k > 0 && decay > 0 {
          let d = Float(min(decay, (1 + Double(k)) / (10 + Double(k))))
          for i in average.indices {
            average[i] = Tensor(
              shape: average[i].shape,
              scalars: zip(average[i].scalars, weights[i].scalars).map { d * $0 + (1 - d) * $1 })
          }
        }
        let candidate = decay > 0 ? average : weights
        if [1, 5].contains(k % 6) {
          var probe = model
          probe.weights = candidate
          let loss = try XCTUnwrap(
            probe.evaluate(x: validation.x, y: validation.y, batchSize: 256)["loss"])
          expected.append((candidate, loss))
        }
      }
      XCTAssertGreaterThan(expected.count, 3, "several checks ran")
      XCTAssertEqual(done.history.count, expected.count, "one value per check, decay \(decay)")
      for (got, want) in zip(done.history, expected) {
        XCTAssertEqual(got.value, want.loss, accuracy: 1e-5, "decay \(decay)")
      }
      let bestIndex = expected.indices.min { expected[$0].loss < expected[$1].loss }!
      XCTAssertEqual(done.best, expected[bestIndex].loss, accuracy: 1e-5)
      XCTAssertTrue(
        bestIndex == expected.count - 1 || expected.count - 1 - bestIndex == 3,
        "stops 3 checks after the best or at the end")
      for (a, b) in zip(model.weights, expected[bestIndex].values) {
        for (p, q) in zip(a.scalars, b.scalars) { XCTAssertEqual(p, q, accuracy: 1e-5) }
      }
    }
  }

  /// A BiLSTM with word dropout, weight averaging and several checks per epoch trains
  /// deterministically, saves and loads (WordDropout registered), and rejects bad settings;
  /// options saved before these settings existed decode to "off".
  func testRegularizedBiLSTMDeterministicAndRoundTrips() throws {
    let dev = try shippedRTPolarity("dev")
    let data = dev.subset(Array(0..<64))
    var options = smallRecurrentOptions(
      epochs: 2, maxLength: 10, vocabularySize: 200,
      embeddingDim: 6, hiddenUnits: 3)
    options.ensemble = 1
    options.validationSplit = 0.25
    options.wordDropout = 0.2
    options.weightAveraging = 0.9
    options.checksPerEpoch = 3
    let a = try SentimentClassifier(training: data, kind: .bilstm, options: options)
    let b = try SentimentClassifier(training: data, kind: .bilstm, options: options)
    let texts = Array(dev.texts.suffix(10))
    let pa = try a.predict(texts)
    XCTAssertEqual(pa, try b.predict(texts), "same seed, same model")
    let dir = try temporaryDirectory(self).appendingPathComponent("regularized")
    try a.save(to: dir)
    let loaded = try SentimentClassifier(contentsOf: dir)
    XCTAssertEqual(loaded.options, options)
    XCTAssertEqual(try loaded.predict(texts), pa)
    // Without averaging or extra checks the old EarlyStopping path runs and differs.
    var plain = options
    plain.weightAveraging = 0
    plain.checksPerEpoch = 1
    XCTAssertNotEqual(
      try SentimentClassifier(training: data, kind: .bilstm, options: plain).predict(texts), pa)

    let old =
      #"{"seed":3,"epochs":2,"batchSize":8,"vocabularySize":50,"maxLength":7,"#
      + #""embeddingDim":5,"hiddenUnits":2,"dropout":0.5,"learningRate":0.001,"#
      + #""validationSplit":0.1,"patience":2,"verbose":0}"#
    let decoded = try JSONDecoder().decode(SentimentOptions.self, from: Data(old.utf8))
    XCTAssertEqual(decoded.wordDropout, 0)
    XCTAssertEqual(decoded.weightAveraging, 0)
    XCTAssertEqual(decoded.checksPerEpoch, 1)
    for bad in [
      { (o: inout SentimentOptions) in o.wordDropout = 1 },
      { (o: inout SentimentOptions) in o.weightAveraging = -0.1 },
      { (o: inout SentimentOptions) in o.checksPerEpoch = 0 },
    ] {
      var o = options
      bad(&o)
      XCTAssertThrowsError(try o.validate())
    }
  }

  /// Several corpora are read in order; a Brown TSV gives its words without tags (split at the
  /// last `/`), tokenized as the classifier does; a short Brown row is a typed error naming
  /// the line.
  func testVectorCorpusReadsPlainTextAndBrown() throws {
    let dir = try temporaryDirectory(self)
    let plain = try write("The Film, it was GOOD.\n\nA second line\n", "plain.txt", in: dir)
    let brown = try write(
      "fileid\tcategory\tsentence\nca01\tnews\tThe/at jury/nn said/vbd 1/2/cd ./.\n"
        + "ca01\tnews\tAtlanta's/np$ ``/`` deserves/vbz ''/''\n", "brown.tsv", in: dir)
    let untagged = try write(
      "The jury said 1/2 .\nAtlanta's `` deserves ''\n", "untagged.txt", in: dir)
    func words(_ corpus: EmbeddingCorpus) -> [String] {
      corpus.tokens.map { corpus.words[Int($0)] }
    }
    let both = try SentimentWordVectors.readCorpus(paths: [plain, brown])
    let expected = try SentimentWordVectors.readCorpus(paths: [plain, untagged])
    XCTAssertEqual(words(both), words(expected))
    XCTAssertEqual(both.sentenceCount, 4)
    XCTAssertEqual(
      words(try SentimentWordVectors.readCorpus(paths: [plain])).filter { $0 != "</s>" },
      ["the", "film", "it", "was", "good", "a", "second", "line"])
    let bad = try write("fileid\tcategory\tsentence\nca01\tnews\nca02\n", "bad.tsv", in: dir)
    XCTAssertThrowsError(try SentimentWordVectors.readCorpus(paths: [bad])) { error in
      XCTAssertTrue("\(error)".contains("bad.tsv line 2"), "\(error)")
    }
    XCTAssertThrowsError(try SentimentWordVectors.readCorpus(paths: []))
  }
}
