import RecurrentClassic
import RecurrentText
import XCTest

final class LinearSVMTests: XCTestCase {
  func testMatchesLinearSVCOnToyDocuments() throws {
    let toy = try loadFixture("toy")
    let x = toy.sparse("train")
    let xTest = toy.sparse("test")
    let cases: [(String, [String], SVMLoss)] = [
      ("multi_squared_hinge", toy.strings("labels"), .squaredHinge),
      ("multi_hinge", toy.strings("labels"), .hinge),
      ("binary_squared_hinge", toy.strings("binaryLabels"), .squaredHinge),
    ]
    for (name, labels, loss) in cases {
      let reference = toy.object("linearSVC").object(name)
      // Both solvers run to a 1e-10 tolerance: the primal optimum is unique (strictly convex).
      let svm = try LinearSVM(
        features: x, labels: labels, loss: loss, tolerance: 1e-10, maxIterations: 1_000_000, seed: 1
      )
      XCTAssertTrue(svm.converged, name)
      assertClose(svm.scorer.weights, reference.doubles("coef"), tolerance: 1e-6, name)
      assertClose(svm.scorer.intercepts, reference.doubles("intercept"), tolerance: 1e-6, name)
      assertClose(
        try svm.decisionFunction(xTest).flatMap { $0 }, reference.doubles("decision"),
        tolerance: 1e-6, name)
      XCTAssertEqual(try svm.predict(xTest), reference.strings("predicted"), name)
    }
  }

  func testSameSeedSameModelAndBadParameters() throws {
    let toy = try loadFixture("toy")
    let x = toy.sparse("train")
    let labels = toy.strings("labels")
    let a = try LinearSVM(features: x, labels: labels, tolerance: 0.1, seed: 5)
    let b = try LinearSVM(features: x, labels: labels, tolerance: 0.1, seed: 5)
    XCTAssertEqual(a.scorer, b.scorer)
    XCTAssertThrowsError(try LinearSVM(features: x, labels: labels, cost: 0)) {
      XCTAssertEqual(
        ($0 as? ClassicError)?.description, "cost must be > 0, received 0.0")
    }
  }

  func testExplainBinarySignsFollowThePrediction() throws {
    let toy = try loadFixture("toy")
    let svm = try LinearSVM(features: toy.sparse("train"), labels: toy.strings("binaryLabels"))
    let xTest = toy.sparse("test")
    let scores = try svm.decisionFunction(xTest)
    for row in 0..<xTest.rows {
      let why = try svm.explain(xTest, row: row)
      XCTAssertEqual(why.margin, abs(scores[row][0]), accuracy: 1e-9)
      XCTAssertEqual(why.predicted, scores[row][0] > 0 ? "pos" : "neg")
      XCTAssertNotEqual(why.predicted, why.runnerUp)
    }
  }
}
