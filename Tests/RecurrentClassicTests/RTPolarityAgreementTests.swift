import RecurrentClassic
import RecurrentText
import XCTest

/// Trains on rt-polarity `train.tsv` with the same uni+bigram features scikit-learn used in
/// Tools/make_classic_fixtures.py and compares the `test.tsv` predictions with its models'.
final class RTPolarityAgreementTests: XCTestCase {
  struct Data {
    let names: [String]
    let trainLabels: [Int]
    let binary: (train: SparseMatrix, test: SparseMatrix)
    let tfidf: (train: SparseMatrix, test: SparseMatrix)
  }

  /// Read and featurized once for both tests (debug builds make this a few seconds).
  nonisolated(unsafe) private static var cached: Data?

  private func load() throws -> Data {
    if let data = Self.cached { return data }
    let folder = try sharedData("sentiment-rt-polarity")
    let (train, trainLabels) = try readLabeledTSV(folder.appendingPathComponent("train.tsv"))
    let (test, _) = try readLabeledTSV(folder.appendingPathComponent("test.tsv"))
    let featurizer = TestFeaturizer(fitting: train)
    let data = Data(
      names: featurizer.names, trainLabels: trainLabels,
      binary: (featurizer.transform(train, .binary), featurizer.transform(test, .binary)),
      tfidf: (featurizer.transform(train, .tfidf), featurizer.transform(test, .tfidf)))
    Self.cached = data
    return data
  }

  func testBinaryUniBigramsAgreeWithScikitLearn() throws {
    let data = try load()
    let reference = try loadFixture("rt_polarity_binary")
    XCTAssertEqual(data.names.count, reference.int("vocabularySize"))
    let (x, xTest) = data.binary
    try compare(x, data.trainLabels, xTest, reference, names: data.names, "binary")

    let nbsvm = try NBSVM(features: x, labels: data.trainLabels)
    let expected = reference.object("nbsvm")
    let agreed = agreement(try nbsvm.predict(xTest), expected.ints("predicted"))
    print("rt-polarity binary NB-SVM agreement \(agreed)")
    XCTAssertGreaterThanOrEqual(agreed, 0.99)
    assertClose(
      try nbsvm.decisionFunction(xTest).map { $0[0] }, expected.doubles("decision"),
      tolerance: 0.05, "NB-SVM decision")
  }

  func testTfidfUniBigramsAgreeWithScikitLearn() throws {
    let data = try load()
    let reference = try loadFixture("rt_polarity_tfidf")
    let (x, xTest) = data.tfidf
    try compare(x, data.trainLabels, xTest, reference, names: data.names, "tfidf")
  }

  private func compare(
    _ x: SparseMatrix, _ y: [Int], _ xTest: SparseMatrix, _ reference: [String: Any],
    names: [String], _ kind: String
  ) throws {
    let column = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

    let mnb = try MultinomialNaiveBayes(features: x, labels: y, alpha: 1)
    let mnbReference = reference.object("multinomialNB")
    let mnbAgreement = agreement(try mnb.predict(xTest), mnbReference.ints("predicted"))
    XCTAssertGreaterThanOrEqual(mnbAgreement, 0.99, "\(kind) MNB")
    assertClose(
      try mnb.predictProbability(xTest).map { $0[1] }, mnbReference.doubles("probability"),
      tolerance: 1e-5, "\(kind) MNB probability")

    let svm = try LinearSVM(features: x, labels: y, cost: 1, seed: 0)
    let svmReference = reference.object("linearSVC")
    let svmAgreement = agreement(try svm.predict(xTest), svmReference.ints("predicted"))
    XCTAssertGreaterThanOrEqual(svmAgreement, 0.99, "\(kind) LinearSVC")
    assertClose(
      try svm.decisionFunction(xTest).map { $0[0] }, svmReference.doubles("decision"),
      tolerance: 0.02, "\(kind) LinearSVC decision")
    try compareTop(svm.scorer, svmReference, column, tolerance: 5e-3, "\(kind) LinearSVC")

    let lr = try LogisticRegression(
      features: x, labels: y, cost: 1, tolerance: 1e-6, maxIterations: 1000)
    let lrReference = reference.object("logisticRegression")
    let lrAgreement = agreement(try lr.predict(xTest), lrReference.ints("predicted"))
    XCTAssertGreaterThanOrEqual(lrAgreement, 0.99, "\(kind) LogisticRegression")
    assertClose(
      try lr.predictProbability(xTest).map { $0[1] }, lrReference.doubles("probability"),
      tolerance: 1e-3, "\(kind) LogisticRegression probability")
    try compareTop(lr.scorer, lrReference, column, tolerance: 1e-3, "\(kind) LogisticRegression")
    print(
      "rt-polarity \(kind) agreement: MNB \(mnbAgreement), LinearSVC \(svmAgreement) "
        + "(\(svm.iterations[0]) epochs, sklearn \(svmReference.int("iterations"))), "
        + "LogisticRegression \(lrAgreement) (\(lr.iterations) iterations)")
  }

  private func compareTop(
    _ scorer: LinearScorer, _ reference: [String: Any], _ column: [String: Int],
    tolerance: Double, _ message: String
  ) throws {
    let ours = try reference.strings("topFeatures").map { name -> Double in
      let j = try XCTUnwrap(column[name], "feature \(name) missing from our vocabulary")
      return scorer.weights[j]
    }
    assertClose(
      ours, reference.doubles("topCoef"), tolerance: tolerance, "\(message) top coefficients")
    XCTAssertEqual(
      scorer.intercepts[0], reference.double("intercept"), accuracy: tolerance, message)
  }
}
