import RecurrentLayers
import RecurrentTensor
import XCTest

final class DenseTests: XCTestCase {
  func testGoldenForwardAndGradientsAgainstKeras() throws {
    let fixture = try Fixture("train_layers")
    var checked = 0
    for (name, c) in fixture.cases where name.hasPrefix("dense_") {
      let act = Activation(rawValue: c["activation"] as! String)!
      let dense = Dense<Double>(
        kernel: tensor(c["kernel"]), bias: tensor(c["bias"]), activation: act)
      let (y, cache) = dense.forward(tensor(c["x"]))
      assertClose(y.scalars, doubles((c["y"] as! [String: Any])["values"]), tol: 1e-12, name)
      let g = dense.backward(tensor(c["upstream"]), cache: cache)
      assertClose(
        g.input.scalars, doubles((c["dx"] as! [String: Any])["values"]), tol: 1e-12, "\(name) dx")
      assertClose(
        g.kernel.scalars, doubles((c["dkernel"] as! [String: Any])["values"]), tol: 1e-12,
        "\(name) dk")
      assertClose(
        g.bias.scalars, doubles((c["dbias"] as! [String: Any])["values"]), tol: 1e-12, "\(name) db")
      // Float path (vector kernels, float GEMM) within float tolerance.
      let denseF = Dense<Float>(
        kernel: tensor(c["kernel"]), bias: tensor(c["bias"]), activation: act)
      assertClose(
        denseF.forward(tensor(c["x"])).output.scalars,
        doubles((c["y"] as! [String: Any])["values"]), tol: 1e-5, "\(name) float")
      checked += 1
    }
    XCTAssertEqual(checked, 10)
  }

  func testFiniteDifferencesEveryActivation() throws {
    var rng = TestGenerator(seed: 3)
    for act in Activation.allCases {
      for useBias in [true, false] {
        let dense = Dense<Double>(
          inputSize: 3, units: 4, activation: act, useBias: useBias, generator: &rng)
        let x = Tensor<Double>(shape: [2, 2, 3], scalars: randomDoubles(12, seed: 5, in: -2...2))
        try checkLayerGradients(dense, input: x, "dense \(act) bias \(useBias)")
      }
    }
  }

  func testLazyBuildGlorotLimitAndSeeding() throws {
    var a = Dense<Float>(units: 50, activation: .relu)
    XCTAssertFalse(a.isBuilt)
    var rng = TestGenerator(seed: 11)
    try a.build(inputShape: [7, 30], generator: &rng)
    XCTAssertEqual(a.kernel.shape, [30, 50])
    XCTAssertEqual(a.bias.scalars, [Float](repeating: 0, count: 50))
    let limit = Float((6.0 / 80).squareRoot())
    XCTAssert(a.kernel.scalars.allSatisfy { abs($0) <= limit })
    // Variance of U(−l, l) is l²/3.
    let variance = a.kernel.scalars.reduce(0) { $0 + Double($1 * $1) } / Double(a.kernel.count)
    XCTAssertEqual(variance, Double(limit * limit) / 3, accuracy: 0.1 * Double(limit * limit) / 3)
    var rng2 = TestGenerator(seed: 11)
    var b = Dense<Float>(units: 50, activation: .relu)
    try b.build(inputShape: [7, 30], generator: &rng2)
    XCTAssert(same(a.kernel, b.kernel), "same seed, same weights")
    XCTAssertEqual(try a.outputShape(inputShape: [7, 30]), [7, 50])
    XCTAssertThrowsError(try a.build(inputShape: [29], generator: &rng))
    XCTAssertThrowsError(try a(Tensor(zeros: [2, 29]))) { XCTAssert("\($0)".contains("[2, 29]")) }
  }
}
