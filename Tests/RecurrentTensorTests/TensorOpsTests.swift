import RecurrentTensor
import XCTest
import _RecurrentTestSupport

/// Forward values against PyTorch (Fixtures/torch_ops.safetensors, written by
/// Tools/make_tensor_fixtures.py from float64 inputs), in Double and in Float.
final class TensorOpsTests: XCTestCase {
  var t: [String: Tensor<Double>] = [:]

  override func setUpWithError() throws {
    t = try Safetensors.read(contentsOf: fixtureURL("torch_ops.safetensors"), as: Double.self)
  }

  /// Checks `op` in Double (tolerance 1e-12) and Float (1e-5) against PyTorch's `name`.
  func check(
    _ name: String, file: StaticString = #filePath, line: UInt = #line,
    _ op: (Tensor<Double>) -> Tensor<Double>, float: (Tensor<Float>) -> Tensor<Float>
  ) {
    let x = t["x"]!
    assertClose(op(x), t[name]!, tolerance: 1e-12, "\(name) Double", file: file, line: line)
    assertClose(
      float(Tensor(converting: x)), Tensor(converting: t[name]!), tolerance: 1e-5, "\(name) Float",
      file: file, line: line)
  }

  func testActivationsAndSoftmaxMatchPyTorch() {
    check("softmax", { $0.softmax() }, float: { $0.softmax() })
    check("log_softmax", { $0.logSoftmax() }, float: { $0.logSoftmax() })
    check(
      "softmax_shifted", { ($0 * 100 + 1000).softmax() }, float: { ($0 * 100 + 1000).softmax() })
    check(
      "log_softmax_shifted", { ($0 * 100 + 1000).logSoftmax() },
      float: { ($0 * 100 + 1000).logSoftmax() })
    check("sigmoid", { $0.sigmoid() }, float: { $0.sigmoid() })
    check("tanh", { $0.tanh() }, float: { $0.tanh() })
    check("relu", { $0.relu() }, float: { $0.relu() })
    XCTAssertTrue(Tensor<Float>(shape: [2], scalars: [.nan, -1]).relu().scalars[0].isNaN)
    check("exp", { $0.exp() }, float: { $0.exp() })
    check("log_pos", { $0.map { abs($0) + 0.5 }.log() }, float: { $0.map { abs($0) + 0.5 }.log() })
  }

  func testReductionsMatchPyTorch() {
    check("sum_axis1", { $0.sum(alongAxes: [1]) }, float: { $0.sum(alongAxes: [1]) })
    check("mean_axes02", { $0.mean(alongAxes: [0, -1]) }, float: { $0.mean(alongAxes: [0, 2]) })
    check("sum_all", { $0.sum() }, float: { $0.sum() })
  }

  func testBroadcastAndProductsMatchPyTorch() {
    let bias = t["bias"]!
    check("add_bias", { $0 + bias }, float: { $0 + Tensor(converting: bias) })
    check("mul_bias", { $0 * bias }, float: { $0 * Tensor(converting: bias) })
    assertClose(matmul(t["a"]!, t["b"]!), t["a_matmul_b"]!, tolerance: 1e-12, "a @ b")
    check(
      "x_matmul_w5x4", { matmul($0, self.t["b"]!, transposeB: true) },
      float: { matmul($0, Tensor(converting: self.t["b"]!), transposeB: true) })
    assertClose(batchedMatmul(t["ba"]!, t["bb"]!), t["bmm"]!, tolerance: 1e-12, "bmm")
    assertClose(
      batchedMatmul(
        Tensor<Float>(converting: t["ba"]!), Tensor<Float>(converting: t["bb"]!)),
      Tensor(converting: t["bmm"]!), tolerance: 1e-5, "bmm Float")
  }

  func testGatherScatterAndLayoutMatchPyTorch() throws {
    let ids = t["indices"]!.scalars.map { Int($0) }
    let gathered = try t["table"]!.gatherRows(ids, indexShape: [2, 3])
    XCTAssertEqual(gathered, t["gathered"]!)
    let scattered = try Tensor.scatterAddingRows(
      gathered.reshaped([6, 3]) * 2, indices: ids, rowCount: 6)
    assertClose(scattered, t["scatter_add"]!, tolerance: 1e-15, "index_add_")
    let x = t["x"]!
    XCTAssertEqual(
      concat([x, x.sliced(alongAxis: 2, 0..<2) * 2], alongAxis: -1), t["concat_last"]!)
    XCTAssertEqual(x.sliced(alongAxis: 1, 1..<3), t["slice_time"]!)
    XCTAssertEqual(x.swappingFirstAxes(), t["swap01"]!)
    XCTAssertEqual(x.swappingFirstAxes().swappingFirstAxes(), x)
    let parts = x.split(sizes: [2, 3], alongAxis: 2)
    XCTAssertEqual(parts.map(\.shape), [[2, 3, 2], [2, 3, 3]])
    XCTAssertEqual(concat(parts, alongAxis: 2), x)
  }

  func testTapeGradientsMatchPyTorchAutograd() {
    // d/dx Σ op(x) ⊙ w, from torch.autograd in the fixture.
    let ops: [(String, (Variable<Double>) -> Variable<Double>)] = [
      ("softmax", { $0.softmax() }), ("log_softmax", { $0.logSoftmax() }),
      ("sigmoid", { $0.sigmoid() }), ("tanh", { $0.tanh() }),
    ]
    for (name, op) in ops {
      let tape = Tape<Double>()
      let x = tape.variable(t["x"]!)
      let loss = (op(x) * Variable(t["w"]!)).sum()
      assertClose(tape.gradients(of: loss)[x]!, t["grad_" + name]!, tolerance: 1e-12, name)
    }
  }

  func testDataErrorsThrowAndNameTheShapes() {
    let table = Tensor<Float>(zeros: [4, 2])
    XCTAssertThrowsError(try table.gatherRows([0, 4])) { error in
      XCTAssertEqual(
        error as? TensorError,
        .indexOutOfRange(operation: "gatherRows from table [4, 2]", index: 4, position: 1, bound: 4)
      )
    }
    XCTAssertThrowsError(
      try Tensor<Float>.scatterAddingRows(table, indices: [0, 1, 2, -1], rowCount: 3))
    XCTAssertThrowsError(
      try Tensor<Float>(zeros: [2, 5, 3]).expectShape([nil, nil, 4], operation: "LSTM input")
    ) {
      XCTAssertEqual("\($0)", "LSTM input: shapes [2, 5, 3] and [-1, -1, 4] do not fit")
    }
    XCTAssertNoThrow(try Tensor<Float>(zeros: [2, 5, 4]).expectShape([nil, 5, 4], operation: "x"))
    XCTAssertThrowsError(try Tensor<Float>(validatingShape: [2, 2], scalars: [1, 2, 3]))
  }

  func testValueSemantics() {
    let a = Tensor<Float>(shape: [2], scalars: [1, 2])
    var b = a
    b.scalars[0] = 9
    XCTAssertEqual(a.scalars, [1, 2])
    XCTAssertEqual(b.scalars, [9, 2])
    XCTAssertEqual(a.reshaped([1, 2]).shape, [1, 2])
    XCTAssertEqual(Tensor<Float>(zeros: [2, 3, 4]).reshaped([6, -1]).shape, [6, 4])
    var t = Tensor<Float>(zeros: [2, 3])
    t[1, 2] = 5
    XCTAssertEqual(t.scalars, [0, 0, 0, 0, 0, 5])
    XCTAssertEqual(t[1, 2], 5)
  }
}

final class EmptyShapeTests: XCTestCase {
  /// Zero-length axes (an empty batch, a zero-length sequence) flow through every op.
  func testOpsAcceptZeroExtents() throws {
    let e = Tensor<Float>(zeros: [2, 0, 3])
    XCTAssertEqual(e.exp().shape, [2, 0, 3])
    XCTAssertEqual(e.sigmoid().tanh().relu().log().shape, [2, 0, 3])
    XCTAssertEqual((e + Tensor(zeros: [3])).shape, [2, 0, 3])
    XCTAssertEqual(e.softmax().logSoftmax().shape, [2, 0, 3])
    XCTAssertEqual(e.sum(alongAxes: [1]), Tensor(zeros: [2, 3]))
    XCTAssertEqual(e.sumToLastAxis(), Tensor(zeros: [3]))
    XCTAssertEqual(e.swappingFirstAxes().shape, [0, 2, 3])
    XCTAssertEqual(e.sliced(alongAxis: 2, 1..<2).shape, [2, 0, 1])
    XCTAssertEqual(concat([e, Tensor(ones: [2, 1, 3])], alongAxis: 1), Tensor(ones: [2, 1, 3]))
    XCTAssertEqual(Tensor<Float>(zeros: [2, 1]).expanded(to: [2, 0]).shape, [2, 0])
    XCTAssertEqual(
      matmul(Tensor<Float>(zeros: [2, 0]), Tensor(zeros: [0, 4])), Tensor(zeros: [2, 4]))
    XCTAssertEqual(
      batchedMatmul(Tensor<Float>(zeros: [0, 2, 3]), Tensor(zeros: [0, 3, 4])).shape, [0, 2, 4])
    XCTAssertEqual(try Tensor<Float>(zeros: [5, 0]).gatherRows([1, 2]).shape, [2, 0])
    XCTAssertEqual(try Tensor<Float>(zeros: [5, 3]).gatherRows([]).shape, [0, 3])
    XCTAssertEqual(
      try Tensor<Float>.scatterAddingRows(Tensor(zeros: [0, 3]), indices: [], rowCount: 2),
      Tensor(zeros: [2, 3]))
  }
}
