import RecurrentLayers
import RecurrentTensor
import XCTest

/// A padded batch with lengths must equal each sequence run alone — outputs, final states and
/// every gradient — in both directions; a zero-length row has a defined output.
final class MaskingTests: XCTestCase {
  let lengths = [4, 2, 0, 3, 1]
  let time = 4

  /// Rows `b` of a `[B, T, F]` tensor, first `n` steps, as `[1, n, F]`.
  func row(_ t: Tensor<Double>, _ b: Int, steps n: Int) -> Tensor<Double> {
    let (time, f) = (t.shape[1], t.shape[2])
    let start = b * time * f
    return Tensor(shape: [1, n, f], scalars: Array(t.scalars[start..<(start + n * f)]))
  }

  func stateRow(_ t: Tensor<Double>, _ b: Int) -> Tensor<Double> {
    let h = t.shape[1]
    return Tensor(shape: [1, h], scalars: Array(t.scalars[(b * h)..<((b + 1) * h)]))
  }

  func checkPaddedEqualsAlone<L: SequenceLayer>(_ layer: L, _ what: String) throws
  where L.Scalar == Double, L.Weights: FlatParameters, L.Weights.Scalar == Double {
    var rng = TestRNG(seed: 51)
    let batch = lengths.count
    let x: Tensor<Double> = randomTensor([batch, time, layer.inputSize], &rng)
    let shapes = try stateShapes(layer, batch: batch, time: time)
    let h0: [Tensor<Double>] = shapes.map { randomTensor($0, &rng) }
    var none = NoRandomness()
    let (padded, record) = try layer.forward(
      x, initialState: h0, mask: SequenceMask(lengths: lengths), training: false, generator: &none)
    let gOut: Tensor<Double> = randomTensor(padded.output.shape, &rng)
    let gStates: [Tensor<Double>] = shapes.map { randomTensor($0, &rng) }
    let grads = try layer.backward(record, gradOutputs: [gOut], gradStates: gStates)
    let f = padded.output.shape[2]
    var weightSum = [Double](repeating: 0, count: grads.weights.flat.count)
    for (b, n) in lengths.enumerated() {
      let (alone, aloneRecord) = try layer.forward(
        row(x, b, steps: n), initialState: h0.map { stateRow($0, b) }, mask: nil, training: false,
        generator: &none)
      let out = padded.output.scalars[(b * time * f)..<((b + 1) * time * f)]
      XCTAssertEqual(Array(out.prefix(n * f)), alone.output.scalars, "\(what) row \(b) outputs")
      XCTAssert(out.dropFirst(n * f).allSatisfy { $0 == 0 }, "\(what) row \(b) padding not zero")
      for k in shapes.indices {
        XCTAssertEqual(
          stateRow(padded.states[k], b).scalars, alone.states[k].scalars, "\(what) row \(b) state")
        if n == 0 {
          XCTAssertEqual(stateRow(padded.states[k], b).scalars, stateRow(h0[k], b).scalars)
        }
      }
      let g = try layer.backward(
        aloneRecord, gradOutputs: [row(gOut, b, steps: n)],
        gradStates: gStates.map { stateRow($0, b) })
      let d = layer.inputSize
      let dx = grads.input.scalars[(b * time * d)..<((b + 1) * time * d)]
      assertClose(Array(dx.prefix(n * d)), g.input.scalars, tol: 1e-12, "\(what) row \(b) dx")
      XCTAssert(dx.dropFirst(n * d).allSatisfy { $0 == 0 }, "\(what) row \(b) dx padding")
      for k in shapes.indices {
        assertClose(
          stateRow(grads.initialStates[k], b).scalars, g.initialStates[k].scalars, tol: 1e-12,
          "\(what) row \(b) dState \(k)")
      }
      for (i, v) in g.weights.flat.enumerated() { weightSum[i] += v }
    }
    assertClose(grads.weights.flat, weightSum, tol: 1e-12, "\(what) dWeights = Σ rows")
  }

  func testPaddedBatchEqualsEachSequenceAloneForEveryCellAndDirection() throws {
    var rng = TestRNG(seed: 52)
    for goBackwards in [false, true] {
      let tag = goBackwards ? "backwards" : "forwards"
      try checkPaddedEqualsAlone(
        LSTM<Double>(
          inputSize: 3, hiddenSize: 2, returnSequences: true, goBackwards: goBackwards,
          generator: &rng), "lstm \(tag)")
      for resetAfter in [true, false] {
        try checkPaddedEqualsAlone(
          GRU<Double>(
            inputSize: 3, hiddenSize: 2, resetAfter: resetAfter, returnSequences: true,
            goBackwards: goBackwards, generator: &rng), "gru \(resetAfter) \(tag)")
      }
      try checkPaddedEqualsAlone(
        SimpleRNN<Double>(
          inputSize: 3, hiddenSize: 2, returnSequences: true, goBackwards: goBackwards,
          generator: &rng), "rnn \(tag)")
    }
    try checkPaddedEqualsAlone(
      Bidirectional(
        forward: GRU<Double>(inputSize: 3, hiddenSize: 2, returnSequences: true, generator: &rng),
        backward: GRU<Double>(inputSize: 3, hiddenSize: 2, generator: &rng)), "bidirectional gru")
  }

  /// A mask with holes: the real steps are read in order (or reverse) with the state carried
  /// over the holes, which equals the compacted sequence; outputs at the holes are zero.
  func testMaskWithHolesEqualsCompactedSequence() throws {
    var rng = TestRNG(seed: 53)
    let flags = [[true, false, false, true, true], [false, false, false, false, false]]
    let x: Tensor<Double> = randomTensor([2, 5, 3], &rng)
    for goBackwards in [false, true] {
      let lstm = LSTM<Double>(
        inputSize: 3, hiddenSize: 2, returnSequences: true, goBackwards: goBackwards,
        generator: &rng)
      let masked = try lstm(x, mask: SequenceMask(mask: flags))
      let maskTensor = Tensor<Float>(
        shape: [2, 5], scalars: flags.flatMap { $0.map { $0 ? 1 : 0 } })
      XCTAssertEqual(try lstm(x, mask: SequenceMask(mask: maskTensor)).scalars, masked.scalars)
      let kept = [0, 3, 4]
      let compact = Tensor(
        shape: [1, 3, 3], scalars: kept.flatMap { t in x.scalars[(t * 3)..<(t * 3 + 3)] })
      let alone = try lstm(compact)
      for (k, t) in kept.enumerated() {
        XCTAssertEqual(
          Array(masked.scalars[(t * 2)..<(t * 2 + 2)]), Array(alone.scalars[(k * 2)..<(k * 2 + 2)]))
      }
      for t in [1, 2] { XCTAssertEqual(Array(masked.scalars[(t * 2)..<(t * 2 + 2)]), [0, 0]) }
      XCTAssert(masked.scalars[10...].allSatisfy { $0 == 0 }, "an all-masked row outputs zeros")
    }
  }

  func testMaskTensorMustBeBatchByTime() {
    XCTAssertThrowsError(try SequenceMask(mask: Tensor<Float>(zeros: [2, 3, 1]))) { error in
      XCTAssertEqual("\(error)", "a mask tensor must be [B, T], received shape [2, 3, 1]")
    }
  }
}
