import RecurrentClassic
import RecurrentText
import XCTest

final class NBSVMTests: XCTestCase {
  /// NB-SVM written out by hand on three documents: r from binarized counts with α = 1, the SVM
  /// on x̂ ∘ r, and the β-interpolation; checked against the formulas with `LinearSVM` as the SVM.
  func testComposesRatioSVMAndInterpolation() throws {
    let x = SparseMatrix(
      rows: 4, columns: 3, rowPointers: [0, 2, 3, 5, 6], columnIndices: [0, 1, 1, 0, 2, 2],
      values: [3, 1, 1, 1, 2, 1])
    let labels = ["b", "a", "b", "a"]
    let model = try NBSVM(
      features: x, labels: labels, beta: 0.25, tolerance: 1e-12, maxIterations: 100_000)
    // p (class "b") = 1 + [2, 1, 1], q (class "a") = 1 + [0, 1, 1].
    let p = [3.0, 2, 2]
    let q = [1.0, 2, 2]
    let r = (0..<3).map { log(p[$0] / 7) - log(q[$0] / 5) }
    assertClose(model.logCountRatios, r, tolerance: 1e-12)
    let svm = try LinearSVM(
      features: x.binarized().scalingColumns(by: r), labels: labels, tolerance: 1e-12,
      maxIterations: 100_000)
    let w = svm.scorer.weights
    let mean = w.reduce(0) { $0 + abs($1) } / 3
    let expected = (0..<3).map { (0.75 * mean + 0.25 * w[$0]) * r[$0] }
    assertClose(model.scorer.weights, expected, tolerance: 1e-8)
    assertClose(model.scorer.intercepts, svm.scorer.intercepts, tolerance: 1e-8)
    // Scores are w'ᵀ(x̂ ∘ r) + b on the binarized rows (the interpolated model need not fit them).
    let xHat = x.binarized()
    let manual = (0..<4).map { i in
      xHat.row(i).reduce(svm.scorer.intercepts[0]) {
        $0 + $1.value * r[$1.column] * (0.75 * mean + 0.25 * w[$1.column])
      }
    }
    assertClose(try model.decisionFunction(x).map { $0[0] }, manual, tolerance: 1e-8)
    XCTAssertEqual(try model.predict(x), manual.map { $0 > 0 ? "b" : "a" })
  }

  func testMultiClassIsOneVersusRest() throws {
    let toy = try loadFixture("toy")
    let model = try NBSVM(features: toy.sparse("train"), labels: toy.strings("labels"))
    XCTAssertEqual(model.classes, ["neg", "neu", "pos"])
    XCTAssertEqual(model.scorer.scoreRows, 3)
    XCTAssertEqual(try model.predict(toy.sparse("train")), toy.strings("labels"))
  }
}
