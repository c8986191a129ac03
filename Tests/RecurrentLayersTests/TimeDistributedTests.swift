import RecurrentLayers
import RecurrentTensor
import XCTest

final class TimeDistributedTests: XCTestCase {
  func testGoldenAgainstKerasTimeDistributedDense() throws {
    let c = try XCTUnwrap(
      Fixture("train_layers").cases.first { $0.0 == "time_distributed_dense_tanh" }?.1)
    let td = TimeDistributed(
      Dense<Double>(kernel: tensor(c["kernel"]), bias: tensor(c["bias"]), activation: .tanh))
    var none = TestGenerator(seed: 0)
    let f = try td.forward(tensor(c["x"]), mask: nil, training: false, generator: &none)
    XCTAssertEqual(f.output.shape, [2, 3, 2])
    assertClose(f.output.scalars, doubles((c["y"] as! [String: Any])["values"]), tol: 1e-12, "y")
    let g = f.backward(tensor(c["upstream"]))
    assertClose(g.input!.scalars, doubles((c["dx"] as! [String: Any])["values"]), tol: 1e-12, "dx")
    assertClose(
      g.parameters[0].scalars, doubles((c["dkernel"] as! [String: Any])["values"]), tol: 1e-12, "dk"
    )
    assertClose(
      g.parameters[1].scalars, doubles((c["dbias"] as! [String: Any])["values"]), tol: 1e-12, "db")
  }

  func testFiniteDifferencesAndLazyBuild() throws {
    var rng = TestGenerator(seed: 6)
    var td = TimeDistributed(Dense<Double>(units: 2, activation: .softmax))
    try td.build(inputShape: [3, 4], generator: &rng)
    XCTAssertEqual(try td.outputShape(inputShape: [3, 4]), [3, 2])
    try checkLayerGradients(
      td, input: Tensor(shape: [2, 3, 4], scalars: randomDoubles(24, seed: 7)), "time distributed")
    XCTAssertThrowsError(try td(Tensor(zeros: [2, 4])))
  }
}
