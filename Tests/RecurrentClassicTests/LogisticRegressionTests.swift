import RecurrentText
import XCTest

@testable import RecurrentClassic

final class LogisticRegressionTests: XCTestCase {
  func testMatchesScikitLearnOnToyDocuments() throws {
    let toy = try loadFixture("toy")
    let x = toy.sparse("train")
    let xTest = toy.sparse("test")
    for name in ["multi", "binary", "multi_c10"] {
      let reference = toy.object("logisticRegression").object(name)
      let labels = toy.strings(name == "binary" ? "binaryLabels" : "labels")
      let model = try LogisticRegression(
        features: x, labels: labels, cost: reference.double("cost"), tolerance: 1e-10,
        maxIterations: 10_000)
      XCTAssertTrue(model.converged, name)
      assertClose(model.scorer.weights, reference.doubles("coef"), tolerance: 1e-5, name)
      // The softmax intercepts are defined up to a common shift (they are not regularized).
      assertClose(
        centered(model.scorer.intercepts), centered(reference.doubles("intercept")),
        tolerance: 1e-5, name)
      assertClose(
        try model.predictProbability(xTest).flatMap { $0 }, reference.doubles("probability"),
        tolerance: 1e-6, name)
      XCTAssertEqual(try model.predict(xTest), reference.strings("predicted"), name)
    }
  }

  func testGradientMatchesFiniteDifferences() throws {
    let toy = try loadFixture("toy")
    let x = toy.sparse("train")
    let labels = toy.strings("labels")
    for classes in [2, 3] {
      let target = labels.map {
        classes == 2 ? ($0 == "pos" ? 1 : 0) : ["neg", "neu", "pos"].firstIndex(of: $0)!
      }
      let objective = LogisticObjective(
        x: x, target: target, classes: classes, l2: 0.3, fitIntercept: true)
      var generator = SplitMix64(seed: 3)
      let p = (0..<objective.parameterCount).map { _ in
        Double(generator.next() % 2001) / 1000 - 1
      }
      var gradient = [Double](repeating: 0, count: p.count)
      _ = objective.evaluate(p, gradient: &gradient)
      var scratch = gradient
      let h = 1e-6
      var worst = 0.0
      for i in 0..<p.count {
        var plus = p
        var minus = p
        plus[i] += h
        minus[i] -= h
        let numeric =
          (objective.evaluate(plus, gradient: &scratch)
            - objective.evaluate(minus, gradient: &scratch))
          / (2 * h)
        worst = max(worst, abs(numeric - gradient[i]))
      }
      XCTAssertLessThan(worst, 1e-7, "classes \(classes)")
    }
  }

  private func centered(_ a: [Double]) -> [Double] {
    let m = a.reduce(0, +) / Double(a.count)
    return a.count == 1 ? a : a.map { $0 - m }
  }
}
