import Foundation
import RecurrentTasks
import RecurrentText
import XCTest

final class SentimentClassifierTests: XCTestCase {
  /// The linear models learn the shipped data: well above chance on the held-out test split.
  /// (Full 10-fold numbers come from `recurrent sentiment cv`, see NOTES.md.)
  func testLinearModelsLearnShippedData() throws {
    // The iterative solvers are slow in debug builds, so they see a third of the training data.
    let full = try shippedRTPolarity("train")
    let part = full.subset(Array(0..<3000))
    let test = try shippedRTPolarity("test")
    for (kind, train, floor) in [
      (SentimentModelKind.nb, full, 0.76), (.nbsvm, full, 0.76), (.logreg, part, 0.70),
      (.svm, part, 0.70),
    ] {
      let model = try SentimentClassifier(training: train, kind: kind)
      let report = try model.evaluate(test)
      XCTAssertGreaterThan(report.accuracy, floor, "\(kind)")
      XCTAssertEqual(report.classes, ["0", "1"])
      XCTAssertEqual(report.confusion.flatMap { $0 }.reduce(0, +), test.count)
    }
  }

  /// The n-gram features equal scikit-learn-compatible `TfidfVectorizer(sublinear_tf=True,
  /// tokenizer=str.split, ngram_range=(1, 2))` (itself golden-tested against scikit-learn).
  func testFeaturesEqualTfidfVectorizer() throws {
    let texts = Array(try shippedRTPolarity("dev").texts.prefix(300))
    let ours = try BagOfNGrams(fitting: texts, weighting: .sublinearTfidf)
    var reference = TfidfVectorizer(
      ngramRange: 1...2, tokenizer: { $0.split(whereSeparator: \.isWhitespace).map(String.init) },
      sublinearTf: true)
    let expected = try reference.fitTransform(texts)
    let got = ours.transform(texts)
    XCTAssertEqual(ours.featureNames, reference.counter.getFeatureNamesOut())
    XCTAssertEqual(got.rowPointers, expected.rowPointers)
    XCTAssertEqual(got.columnIndices, expected.columnIndices)
    for (a, b) in zip(got.values, expected.values) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    var plainReference = TfidfVectorizer(
      ngramRange: 1...2, tokenizer: { $0.split(whereSeparator: \.isWhitespace).map(String.init) })
    let plainExpected = try plainReference.fitTransform(texts)
    let plain = try BagOfNGrams(fitting: texts, weighting: .tfidf).transform(texts)
    XCTAssertEqual(plain.columnIndices, plainExpected.columnIndices)
    for (a, b) in zip(plain.values, plainExpected.values) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    let binary = try BagOfNGrams(fitting: texts, weighting: .binary).transform(texts)
    var counts = CountVectorizer(
      ngramRange: 1...2, binary: true,
      tokenizer: { $0.split(whereSeparator: \.isWhitespace).map(String.init) })
    XCTAssertEqual(binary, try counts.fitTransform(texts))
  }

  func testProbabilitiesAndExplanation() throws {
    let train = try shippedRTPolarity("train")
    let nb = try SentimentClassifier(training: train, kind: .nb)
    let p = try nb.predict(["a gorgeous , witty , seductive movie ."])[0]
    XCTAssertEqual(p.label, "1")
    let probabilities = try XCTUnwrap(p.probabilities)
    XCTAssertEqual(probabilities.reduce(0, +), 1, accuracy: 1e-12)
    XCTAssertGreaterThan(probabilities[1], 0.5)
    let why = try XCTUnwrap(try nb.explain("a gorgeous , witty , seductive movie .", top: 3))
    XCTAssertEqual(why.count, 3)
    XCTAssertTrue(why.contains { $0.ngram.contains("gorgeous") || $0.ngram.contains("witty") })
    let svm = try SentimentClassifier(training: train.subset(Array(0..<500)), kind: .svm)
    XCTAssertNil(try svm.predict(["dull"])[0].probabilities)
  }

  func testLinearSaveLoadRoundTripAndRefusals() throws {
    let train = try shippedRTPolarity("dev")
    let model = try SentimentClassifier(training: train, kind: .logreg)
    let dir = try temporaryDirectory(self).appendingPathComponent("model")
    try model.save(to: dir)
    try model.save(to: dir)  // replacing an existing model works
    let loaded = try SentimentClassifier(contentsOf: dir)
    let texts = Array(train.texts.prefix(50))
    XCTAssertEqual(try loaded.predict(texts), try model.predict(texts))
    XCTAssertEqual(loaded.kind, .logreg)

    // Incomplete: a file removed.
    try FileManager.default.removeItem(at: dir.appendingPathComponent("linear.json"))
    XCTAssertThrowsError(try SentimentClassifier(contentsOf: dir)) { error in
      XCTAssertTrue("\(error)".contains("linear.json is missing"), "\(error)")
    }
    // From another version.
    try model.save(to: dir)
    let manifest = dir.appendingPathComponent("sentiment.json")
    let text = try String(contentsOf: manifest, encoding: .utf8)
      .replacingOccurrences(of: "\"version\":1", with: "\"version\":99")
    try text.write(to: manifest, atomically: true, encoding: .utf8)
    XCTAssertThrowsError(try SentimentClassifier(contentsOf: dir)) { error in
      XCTAssertTrue("\(error)".contains("format version 99"), "\(error)")
    }
    // Not a model directory at all.
    XCTAssertThrowsError(try SentimentClassifier(contentsOf: dir.appendingPathComponent("nope")))
  }

  func testBadTrainingAndEvaluationData() throws {
    let one = LabeledTexts(texts: ["good", "great"], labels: ["1", "1"])
    XCTAssertThrowsError(try SentimentClassifier(training: one, kind: .nb)) { error in
      XCTAssertEqual(error as? SentimentError, .singleClass(label: "1"))
    }
    let two = LabeledTexts(texts: ["good film", "bad film"], labels: ["1", "0"])
    let model = try SentimentClassifier(training: two, kind: .nb)
    let unseen = LabeledTexts(texts: ["ok film"], labels: ["2"])
    XCTAssertThrowsError(try model.evaluate(unseen)) { error in
      XCTAssertEqual(error as? SentimentError, .unknownLabel(label: "2", known: ["0", "1"]))
    }
    var options = SentimentOptions()
    options.epochs = 0
    XCTAssertThrowsError(try SentimentClassifier(training: two, kind: .lstm, options: options))
  }

  /// A small recurrent model trains, is deterministic for a seed, and survives save / load.
  func testRecurrentModelDeterministicAndRoundTrips() throws {
    let dev = try shippedRTPolarity("dev")
    let data = dev.subset(Array(0..<96))
    var options = smallRecurrentOptions(
      epochs: 1, maxLength: 12, vocabularySize: 300,
      embeddingDim: 8, hiddenUnits: 4)
    options.validationSplit = 0
    let a = try SentimentClassifier(training: data, kind: .bilstm, options: options)
    let b = try SentimentClassifier(training: data, kind: .bilstm, options: options)
    let texts = Array(dev.texts.suffix(20))
    let pa = try a.predict(texts)
    XCTAssertEqual(pa, try b.predict(texts), "same seed, same model")
    for p in pa {
      let probabilities = try XCTUnwrap(p.probabilities)
      XCTAssertEqual(probabilities.reduce(0, +), 1, accuracy: 1e-6)
    }
    let dir = try temporaryDirectory(self).appendingPathComponent("rnn")
    try a.save(to: dir)
    XCTAssertEqual(try SentimentClassifier(contentsOf: dir).predict(texts), pa)
    XCTAssertNil(try a.explain("a film"))
  }

  func testThreeClassesWithGRU() throws {
    let texts = ["good fun", "great fun", "bad dull", "awful dull", "it is a film", "a film it is"]
    let labels = ["pos", "pos", "neg", "neg", "neu", "neu"]
    var options = SentimentOptions()
    options.epochs = 2
    options.batchSize = 2
    options.maxLength = 4
    options.embeddingDim = 4
    options.hiddenUnits = 3
    options.validationSplit = 0
    options.verbose = 0
    let data = LabeledTexts(texts: texts, labels: labels)
    let model = try SentimentClassifier(training: data, kind: .gru, options: options)
    XCTAssertEqual(model.classes, ["neg", "neu", "pos"])
    let p = try model.predict(["good fun"])[0]
    XCTAssertEqual(p.probabilities?.count, 3)
    let report = try model.evaluate(data)
    XCTAssertEqual(report.confusion.count, 3)
  }

  func testCrossValidationUsesGivenFolds() throws {
    let dev = try shippedRTPolarity("dev")
    var data = dev.subset(Array(0..<300))
    data.folds = (0..<300).map { $0 % 3 }
    var seen: [Int] = []
    let result = try SentimentClassifier.crossValidate(data, kind: .nb) { fold, _, _ in
      seen.append(fold)
    }
    XCTAssertEqual(seen, [0, 1, 2])
    XCTAssertEqual(result.foldAccuracies.count, 3)
    XCTAssertEqual(result.accuracy, result.foldAccuracies.reduce(0, +) / 3, accuracy: 1e-12)
    XCTAssertGreaterThan(result.accuracy, 0.55)
    data.folds = nil
    XCTAssertThrowsError(try SentimentClassifier.crossValidate(data, kind: .nb, folds: 1))
  }
}
