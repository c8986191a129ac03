import RecurrentLayers
import RecurrentTensor
import XCTest

final class DropoutTests: XCTestCase {
  func testInferenceIsIdentityAndTrainingIsInvertedDropout() throws {
    let d = Dropout<Float>(rate: 0.25)
    let x = Tensor<Float>(repeating: 2, shape: [100, 40])
    var rng = TestGenerator(seed: 4)
    XCTAssert(same(d.forward(x, training: false, generator: &rng).output, x))
    let (y, keep) = d.forward(x, training: true, generator: &rng)
    let dropped = y.scalars.filter { $0 == 0 }.count
    XCTAssertEqual(Double(dropped) / 4000, 0.25, accuracy: 0.03)
    XCTAssert(y.scalars.allSatisfy { $0 == 0 || abs($0 - 2 / 0.75) < 1e-6 })
    // The expectation is preserved.
    XCTAssertEqual(Double(y.scalars.reduce(0, +)) / 4000, 2, accuracy: 0.1)
    // Backward applies the same mask.
    let dx = d.backward(Tensor(repeating: 1, shape: [100, 40]), keep: keep)
    XCTAssertEqual(dx.scalars.map { $0 == 0 }, y.scalars.map { $0 == 0 })
  }

  func testSameSeedSameMaskAndFiniteDifferences() throws {
    let d = Dropout<Double>(rate: 0.5)
    let x = Tensor<Double>(shape: [3, 4], scalars: randomDoubles(12, seed: 8))
    var a = TestGenerator(seed: 9)
    var b = TestGenerator(seed: 9)
    let fa = try d.forward(x, mask: nil, training: true, generator: &a)
    let fb = try d.forward(x, mask: nil, training: true, generator: &b)
    XCTAssert(same(fa.output, fb.output))
    // With the mask fixed, the layer is linear: its gradient is the mask itself.
    let r = randomDoubles(12, seed: 10)
    let g = fa.backward(Tensor(shape: [3, 4], scalars: r)).input!
    for i in 0..<12 {
      XCTAssertEqual(
        g.scalars[i], x.scalars[i] == 0 ? g.scalars[i] : r[i] * fa.output.scalars[i] / x.scalars[i],
        accuracy: 1e-12)
    }
    try checkLayerGradients(d, input: x, "dropout (inference)")
  }
}
