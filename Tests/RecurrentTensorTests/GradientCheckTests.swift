import RecurrentTensor
import XCTest
import _RecurrentTestSupport

/// A central-difference gradient check (Double) for every differentiable op. Losses go through
/// `probeLoss` (a fixed random weighting) so each output element gets a different upstream
/// gradient.
final class GradientCheckTests: XCTestCase {
  let x = randomTensor([2, 3, 4], seed: 1)

  func testMatmulAllTransposes() {
    let a = randomTensor([3, 4], seed: 2)
    let b = randomTensor([4, 5], seed: 3)
    let aT = randomTensor([4, 3], seed: 4)
    let bT = randomTensor([5, 4], seed: 5)
    assertGradientsMatch(at: [a, b], "A·B") { v in probeLoss(matmul(v[0], v[1])) }
    assertGradientsMatch(at: [aT, b], "Aᵀ·B") { v in
      probeLoss(matmul(v[0], v[1], transposeA: true))
    }
    assertGradientsMatch(at: [a, bT], "A·Bᵀ") { v in
      probeLoss(matmul(v[0], v[1], transposeB: true))
    }
    assertGradientsMatch(at: [aT, bT], "Aᵀ·Bᵀ") { v in
      probeLoss(matmul(v[0], v[1], transposeA: true, transposeB: true))
    }
    // [B, T, D] · [D, H] flattens the leading axes.
    assertGradientsMatch(at: [x, randomTensor([4, 2], seed: 6)], "[B,T,D]·[D,H]") { v in
      probeLoss(matmul(v[0], v[1]))
    }
    assertGradientsMatch(at: [x, randomTensor([2, 4], seed: 7)], "[B,T,D]·[H,D]ᵀ") { v in
      probeLoss(matmul(v[0], v[1], transposeB: true))
    }
  }

  func testBatchedMatmulAllTransposes() {
    let a = randomTensor([2, 3, 4], seed: 8)
    let b = randomTensor([2, 4, 2], seed: 9)
    let aT = randomTensor([2, 4, 3], seed: 10)
    let bT = randomTensor([2, 2, 4], seed: 11)
    for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
      assertGradientsMatch(at: [ta ? aT : a, tb ? bT : b], "transposeA \(ta) transposeB \(tb)") {
        v in probeLoss(batchedMatmul(v[0], v[1], transposeA: ta, transposeB: tb))
      }
    }
  }

  func testAddSubtractMultiplySameShapeAndBroadcast() {
    let y = randomTensor([2, 3, 4], seed: 12)
    let bias = randomTensor([4], seed: 13)
    assertGradientsMatch(at: [x, y], "add") { v in probeLoss(v[0] + v[1]) }
    assertGradientsMatch(at: [x, bias], "add [D]") { v in probeLoss(v[0] + v[1]) }
    assertGradientsMatch(at: [x, y], "subtract") { v in probeLoss(v[0] - v[1]) }
    assertGradientsMatch(at: [x, bias], "subtract [D]") { v in probeLoss(v[0] - v[1]) }
    assertGradientsMatch(at: [x, y], "multiply") { v in probeLoss(v[0] * v[1]) }
    assertGradientsMatch(at: [x, bias], "multiply [D]") { v in probeLoss(v[0] * v[1]) }
    assertGradientsMatch(at: [x], "scale") { v in probeLoss(v[0] * 1.5) }
    assertGradientsMatch(at: [x], "shift") { v in probeLoss(v[0] + 0.5) }
    assertGradientsMatch(at: [x], "negate") { v in probeLoss(-v[0]) }
  }

  func testSumAndMeanOverAxes() {
    assertGradientsMatch(at: [x], "sum [1]") { v in probeLoss(v[0].sum(alongAxes: [1])) }
    assertGradientsMatch(at: [x], "sum [0, 2] keep") { v in
      probeLoss(v[0].sum(alongAxes: [0, -1], keepingDimensions: true))
    }
    assertGradientsMatch(at: [x], "sum all") { v in v[0].sum() * 1.3 }
    assertGradientsMatch(at: [x], "mean [0, 2]") { v in probeLoss(v[0].mean(alongAxes: [0, 2])) }
    assertGradientsMatch(at: [x], "mean all") { v in (v[0] * v[0]).mean() }
  }

  func testSoftmaxAndLogSoftmax() {
    assertGradientsMatch(at: [x], "softmax") { v in probeLoss(v[0].softmax()) }
    assertGradientsMatch(at: [x], "logSoftmax") { v in probeLoss(v[0].logSoftmax()) }
  }

  func testActivations() {
    // Keep ReLU inputs away from its kink at 0 (finite differences straddling it are wrong).
    let awayFromZero = x.map { $0 + ($0 >= 0 ? 0.1 : -0.1) }
    let positive = x.map { abs($0) + 0.5 }
    assertGradientsMatch(at: [x], "sigmoid") { v in probeLoss(v[0].sigmoid()) }
    assertGradientsMatch(at: [x], "tanh") { v in probeLoss(v[0].tanh()) }
    assertGradientsMatch(at: [awayFromZero], "relu") { v in probeLoss(v[0].relu()) }
    assertGradientsMatch(at: [x], "exp") { v in probeLoss(v[0].exp()) }
    assertGradientsMatch(at: [positive], "log") { v in probeLoss(v[0].log()) }
  }

  func testGatherRowsAndScatterAdd() throws {
    let table = randomTensor([5, 3], seed: 14)
    // Index 1 repeats: its gradient must accumulate.
    let ids = [1, 4, 1, 0, 2, 1]
    try assertGradientsMatch(at: [table], "gatherRows") { v in
      probeLoss(try v[0].gatherRows(ids, indexShape: [2, 3]))
    }
    let values = randomTensor([6, 3], seed: 15)
    try assertGradientsMatch(at: [values], "scatterAddingRows") { v in
      probeLoss(try Variable.scatterAddingRows(v[0], indices: ids, rowCount: 5))
    }
  }

  func testConcatSplitSliceOnFeatureAndTimeAxes() {
    let y = randomTensor([2, 3, 2], seed: 16)
    let z = randomTensor([2, 1, 4], seed: 17)
    assertGradientsMatch(at: [x, y], "concat features") { v in
      probeLoss(concat([v[0], v[1]], alongAxis: -1))
    }
    assertGradientsMatch(at: [x, z], "concat time") { v in
      probeLoss(concat([v[0], v[1], v[0]], alongAxis: 1))
    }
    assertGradientsMatch(at: [x], "split features, one piece unused") { v in
      let parts = v[0].split(sizes: [1, 2, 1], alongAxis: 2)
      return probeLoss(parts[0] * parts[2]) + probeLoss(parts[1], seed: 3)
    }
    assertGradientsMatch(at: [x], "split time, only the first piece used") { v in
      probeLoss(v[0].split(sizes: [2, 1], alongAxis: 1)[0])
    }
    assertGradientsMatch(at: [x], "slice time") { v in probeLoss(v[0].sliced(alongAxis: 1, 1..<3)) }
    assertGradientsMatch(at: [x], "slice features") { v in
      probeLoss(v[0].sliced(alongAxis: -1, 0..<2))
    }
  }

  func testSwapFirstAxesAndReshape() {
    assertGradientsMatch(at: [x], "swap [B,T,D]→[T,B,D]") { v in
      probeLoss(v[0].swappingFirstAxes())
    }
    assertGradientsMatch(at: [x], "reshape") { v in probeLoss(v[0].reshaped([6, -1]).tanh()) }
  }

  func testCompositeWithSharedValueAccumulates() {
    // x is used three times (a shared layer): the tape must add the three contributions.
    let w = randomTensor([4, 4], seed: 18)
    assertGradientsMatch(at: [x, w], "shared") { v in
      let h = matmul(v[0], v[1]).tanh()
      let again = matmul(h, v[1]).sigmoid()
      return probeLoss(again * v[0] + v[0].softmax())
    }
  }

  func testTheCheckerCatchesAWrongBackward() {
    // A custom op whose backward is deliberately off by a factor of 2 must fail the check.
    let result = checkGradients(at: [x]) { v in
      let y = v[0].value * 3
      guard let tape = v[0].tape else { return probeLoss(Variable(y)) }
      let out = tape.record("wrong", inputs: [v[0]], outputs: [y]) { g in [g[0] * 6] }[0]
      return probeLoss(out)
    }
    XCTAssertFalse(result.passed)
    XCTAssertEqual(result.mismatches.count, x.count)
  }
}
