import RecurrentClassic
import RecurrentText
import XCTest

final class NaiveBayesTests: XCTestCase {
  func testMultinomialMatchesScikitLearnOnToyDocuments() throws {
    let toy = try loadFixture("toy")
    let x = toy.sparse("train")
    let xTest = toy.sparse("test")
    let labels = toy.strings("labels")
    let cases: [(String, Double, ClassPrior)] = [
      ("alpha1", 1, .fitted), ("alpha0_5_uniform", 0.5, .uniform),
      ("given_prior", 1, .given([0.2, 0.3, 0.5])),
    ]
    for (name, alpha, prior) in cases {
      let reference = toy.object("multinomialNB").object(name)
      let nb = try MultinomialNaiveBayes(features: x, labels: labels, alpha: alpha, prior: prior)
      XCTAssertEqual(nb.classes, reference.strings("classes"))
      assertClose(
        nb.featureLogProbability, reference.doubles("featureLogProb"), tolerance: 1e-12, name)
      assertClose(nb.classLogPrior, reference.doubles("classLogPrior"), tolerance: 1e-12, name)
      assertClose(
        try nb.predictProbability(xTest).flatMap { $0 }, reference.doubles("probability"),
        tolerance: 1e-9, name)
      XCTAssertEqual(try nb.predict(xTest), reference.strings("predicted"), name)
    }
  }

  func testBernoulliMatchesScikitLearnOnToyDocuments() throws {
    let toy = try loadFixture("toy")
    let reference = toy.object("bernoulliNB")
    let nb = try BernoulliNaiveBayes(
      features: toy.sparse("train"), labels: toy.strings("labels"), alpha: 1, binarize: 0)
    assertClose(nb.featureLogProbability, reference.doubles("featureLogProb"), tolerance: 1e-12)
    assertClose(nb.classLogPrior, reference.doubles("classLogPrior"), tolerance: 1e-12)
    let xTest = toy.sparse("test")
    assertClose(
      try nb.predictProbability(xTest).flatMap { $0 }, reference.doubles("probability"),
      tolerance: 1e-9)
    XCTAssertEqual(try nb.predict(xTest), reference.strings("predicted"))
  }

  func testIntegerLabelsAndErrors() throws {
    let x = SparseMatrix(
      rows: 3, columns: 2, rowPointers: [0, 1, 2, 3], columnIndices: [0, 1, 0], values: [2, 1, 1])
    let nb = try MultinomialNaiveBayes(features: x, labels: [7, 3, 7])
    XCTAssertEqual(nb.classes, [3, 7])
    XCTAssertEqual(try nb.predict(x), [7, 3, 7])
    XCTAssertThrowsError(try MultinomialNaiveBayes(features: x, labels: [1, 1, 1])) {
      XCTAssertEqual($0 as? ClassicError, .tooFewClasses(found: 1))
    }
    XCTAssertThrowsError(try MultinomialNaiveBayes(features: x, labels: [1, 2])) {
      XCTAssertEqual($0 as? ClassicError, .rowCountMismatch(features: 3, labels: 2))
    }
    let negative = SparseMatrix(
      rows: 2, columns: 2, rowPointers: [0, 1, 2], columnIndices: [0, 1], values: [1, -1])
    XCTAssertThrowsError(try MultinomialNaiveBayes(features: negative, labels: [0, 1])) {
      XCTAssertEqual($0 as? ClassicError, .negativeFeature(row: 1, column: 1, value: -1))
    }
    let wide = SparseMatrix(
      rows: 1, columns: 3, rowPointers: [0, 0], columnIndices: [], values: [])
    XCTAssertThrowsError(try nb.predict(wide)) {
      XCTAssertEqual($0 as? ClassicError, .columnCountMismatch(expected: 2, received: 3))
    }
  }

  func testExplanationAddsUpToTheMargin() throws {
    let toy = try loadFixture("toy")
    let nb = try MultinomialNaiveBayes(features: toy.sparse("train"), labels: toy.strings("labels"))
    let xTest = toy.sparse("test")
    let vocabulary = toy.strings("vocabulary")
    for row in 0..<xTest.rows {
      let why = try nb.explain(xTest, row: row, top: 1000)
      let scores = try nb.decisionFunction(xTest)[row]
      let sorted = scores.sorted(by: >)
      XCTAssertEqual(why.predicted, try nb.predict(xTest)[row])
      XCTAssertEqual(why.margin, sorted[0] - sorted[1], accuracy: 1e-9)
      XCTAssertEqual(
        why.interceptContribution + why.contributions.reduce(0) { $0 + $1.contribution },
        why.margin, accuracy: 1e-9)
    }
    // "great story" is positive because of "great".
    let why = try nb.explain(xTest, row: 0, top: 1)
    XCTAssertEqual(why.predicted, "pos")
    XCTAssertEqual(vocabulary[why.contributions[0].feature], "great")
  }
}
