import Foundation
import RecurrentTensor
import XCTest
import _RecurrentTestSupport

final class AutodiffTests: XCTestCase {
  /// The doc comment's custom-op example: an affine map recorded as one coarse op.
  func affine(_ x: Variable<Double>, _ w: Variable<Double>, _ b: Variable<Double>) -> Variable<
    Double
  > {
    let (xv, wv) = (x.value, w.value)
    let y = matmul(xv, wv) + b.value
    guard let tape = Tape.common(x, w, b) else { return Variable(y) }
    return tape.record("affine", inputs: [x, w, b], outputs: [y]) { dy in
      [
        matmul(dy[0], wv, transposeB: true), matmul(xv, dy[0], transposeA: true),
        dy[0].sum(alongAxes: [0]),
      ]
    }[0]
  }

  func testCustomOpGradientCheckAndNamedGradients() {
    let x = randomTensor([3, 4], seed: 1)
    let w = randomTensor([4, 2], seed: 2)
    let b = randomTensor([2], seed: 3)
    assertGradientsMatch(at: [x, w, b]) { v in probeLoss(affine(v[0], v[1], v[2]).tanh()) }

    let tape = Tape<Double>()
    let wv = tape.variable(w, name: "dense.weight")
    let bv = tape.variable(b, name: "dense.bias")
    let loss = affine(Variable(x), wv, bv).sum()
    XCTAssertEqual(tape.operationCount, 2)
    let grads = tape.gradients(of: loss)
    XCTAssertEqual(grads[wv], grads.named["dense.weight"])
    // d/db Σ(xw + b) = number of rows for every column.
    XCTAssertEqual(grads.named["dense.bias"]?.scalars, [3, 3])
    XCTAssertEqual(grads[wv]?.shape, [4, 2])
  }

  /// A whole tanh RNN over a sequence as ONE op with a hand-written BPTT, as the recurrent
  /// layers do: inputs [x [B,T,D], W [D,H], U [H,H], b [H], h0 [B,H]], outputs
  /// [sequence [B,T,H], final state [B,H]].
  func simpleRNN(_ inputs: [Variable<Double>]) -> (sequence: Variable<Double>, h: Variable<Double>)
  {
    let (x, w, u, b, h0) = (
      inputs[0].value, inputs[1].value, inputs[2].value, inputs[3].value, inputs[4].value
    )
    let (batch, steps, hidden) = (x.shape[0], x.shape[1], w.shape[1])
    let xs = x.swappingFirstAxes()  // [T, B, D]: each step is contiguous
    func step(_ t: Int) -> Tensor<Double> {
      xs.sliced(alongAxis: 0, t..<(t + 1)).reshaped([batch, -1])
    }
    var states = [h0]
    for t in 0..<steps {
      states.append((matmul(step(t), w) + matmul(states[t], u) + b).tanh())
    }
    let sequence = concat(states.dropFirst().map { $0.reshaped([1, batch, hidden]) }, alongAxis: 0)
      .swappingFirstAxes()
    guard let tape = Tape.common(inputs) else {
      return (Variable(sequence), Variable(states[steps]))
    }
    let outs = tape.record("SimpleRNN", inputs: inputs, outputs: [sequence, states[steps]]) { g in
      let dSequence = g[0].swappingFirstAxes()  // [T, B, H]
      var dh = g[1]
      var (dw, du, db) = (
        Tensor<Double>(zeros: w.shape), Tensor<Double>(zeros: u.shape),
        Tensor<Double>(zeros: b.shape)
      )
      var dxs: [Tensor<Double>] = []
      for t in (0..<steps).reversed() {
        dh = dh + dSequence.sliced(alongAxis: 0, t..<(t + 1)).reshaped([batch, hidden])
        let da = dh * states[t + 1].map { 1 - $0 * $0 }
        dw = dw + matmul(step(t), da, transposeA: true)
        du = du + matmul(states[t], da, transposeA: true)
        db = db + da.sum(alongAxes: [0])
        dxs.append(matmul(da, w, transposeB: true).reshaped([1, batch, -1]))
        dh = matmul(da, u, transposeB: true)
      }
      let dx = concat(dxs.reversed(), alongAxis: 0).swappingFirstAxes()
      return [dx, dw, du, db, dh]
    }
    return (outs[0], outs[1])
  }

  func testRecurrentLayerAsOneCustomOp() {
    let inputs = [
      randomTensor([2, 3, 4], seed: 1), randomTensor([4, 5], seed: 2, scale: 0.5),
      randomTensor([5, 5], seed: 3, scale: 0.5), randomTensor([5], seed: 4),
      randomTensor([2, 5], seed: 5),
    ]
    // Through the sequence, the final state, and both at once (the final state feeds the loss
    // twice: through the sequence's last step and directly).
    assertGradientsMatch(at: inputs, "sequence") { v in probeLoss(simpleRNN(v).sequence) }
    assertGradientsMatch(at: inputs, "final state") { v in probeLoss(simpleRNN(v).h, seed: 2) }
    assertGradientsMatch(at: inputs, "both") { v in
      let r = simpleRNN(v)
      return probeLoss(r.sequence) + probeLoss(r.h.sigmoid(), seed: 3)
    }
    // Inference: no tape, nothing recorded, same values.
    let tape = Tape<Double>()
    let tracked = simpleRNN(inputs.map { tape.variable($0) })
    XCTAssertEqual(tape.operationCount, 1)
    XCTAssertEqual(simpleRNN(inputs.map { Variable($0) }).sequence.value, tracked.sequence.value)
  }

  func testMultiOutputCustomOpGetsZerosForUnusedOutputs() {
    // Outputs (2x, x²); the loss uses only the second. The backward sees zeros for the first.
    let tape = Tape<Double>()
    let x = tape.variable(Tensor(shape: [2], scalars: [1, 3]))
    let xv = x.value
    var seen: [Tensor<Double>] = []
    let outs = tape.record("pair", inputs: [x], outputs: [xv * 2, xv * xv]) { g in
      seen = g
      return [g[0] * 2 + g[1] * xv * 2]
    }
    let grads = tape.gradients(of: outs[1].sum())
    XCTAssertEqual(seen.first, Tensor(zeros: [2]))
    XCTAssertEqual(grads[x]?.scalars, [2, 6])
  }

  func testConstantsAreNotRecordedAndInferenceBuildsNoTape() {
    let tape = Tape<Double>()
    let c = Variable(Tensor<Double>(ones: [2, 2]))
    let y = (c * c).tanh().sum()
    XCTAssertFalse(y.isTracked)
    XCTAssertNil(y.tape)
    XCTAssertEqual(tape.operationCount, 0)
    // A constant mixed with a tracked leaf: only ops that touch the leaf are recorded.
    let w = tape.variable(Tensor(ones: [2, 2]))
    let z = (c.exp() * w).sum()
    XCTAssertEqual(tape.operationCount, 2)  // multiply, sum (exp of a constant is not recorded)
    XCTAssertEqual(tape.gradients(of: z)[w]!.scalars[0], Foundation.exp(1), accuracy: 1e-12)
  }

  func testLeafThatDoesNotReachTheLossHasNoGradient() {
    let tape = Tape<Float>()
    let used = tape.variable(Tensor(ones: [3]))
    let unused = tape.variable(Tensor(ones: [3]))
    _ = unused.sigmoid()
    let grads = tape.gradients(of: (used * used).sum())
    XCTAssertEqual(grads[used]?.scalars, [2, 2, 2])
    XCTAssertNil(grads[unused])
  }

  func testFloatTapeMatchesDoubleTape() throws {
    // The same graph in Float and Double gives the same gradients to Float precision.
    func run<S: TensorScalar>(_ type: S.Type) throws -> [Double] {
      let tape = Tape<S>()
      let table = tape.variable(Tensor<S>(converting: randomTensor([5, 3], seed: 4)))
      let w = tape.variable(Tensor<S>(converting: randomTensor([3, 3], seed: 5)))
      let e = try table.gatherRows([0, 2, 2, 4], indexShape: [2, 2])
      let h = matmul(e, w).tanh().swappingFirstAxes().logSoftmax()
      let grads = tape.gradients(of: h.mean())
      return (grads[table]!.scalars + grads[w]!.scalars).map { Double($0) }
    }
    let f = try run(Float.self)
    let d = try run(Double.self)
    for (a, b) in zip(f, d) { XCTAssertEqual(a, b, accuracy: 1e-6) }
  }

  func testSingleOutputRecordAndDetach() {
    let tape = Tape<Double>()
    let x = tape.variable(Tensor(shape: [2], scalars: [1, 2]))
    let xv = x.value
    let y = tape.record("double", inputs: [x], output: xv * 2) { dy in [dy * 2] }
    // The detached branch contributes to the value but not to the gradient.
    let loss = (y * x.detached()).sum()
    XCTAssertEqual(loss.value.scalar, 10)
    XCTAssertEqual(tape.gradients(of: loss)[x]?.scalars, [2, 4])
  }

  func testCheckFinite() {
    let good = Tensor<Float>(shape: [3], scalars: [1, 2, 3])
    XCTAssertNoThrow(try good.checkFinite(context: "loss"))
    let bad = Tensor<Float>(shape: [3], scalars: [1, .nan, .infinity])
    XCTAssertThrowsError(try bad.checkFinite(context: "loss at step 4")) { error in
      XCTAssertEqual(error as? TensorError, .nonFinite(context: "loss at step 4", index: 1))
      XCTAssertEqual("\(error)", "loss at step 4: non-finite value at flat index 1")
    }
    XCTAssertThrowsError(
      try Variable(Tensor<Double>(shape: [1], scalars: [-.infinity])).checkFinite(context: "h"))
  }
}
