import CRecurrentKernels
import RecurrentLayers
import RecurrentTensor
import XCTest

/// The per-step product on packed weights (`rnn_step_pack_f32` + `rnn_step_gemm_packed_f32`)
/// against a plain Double product, and against itself across thread counts.
final class RNNStepKernelTests: XCTestCase {
  func floats(_ n: Int, seed: UInt64) -> [Float] {
    var rng = RandomGenerator(seed: seed)
    return (0..<n).map { _ in Float(Double.random(in: -1...1, using: &rng)) }
  }

  /// C = beta·C + A·B with B given as stored (`trans`: B is stored n×k, element (p, j) at
  /// b[j·k + p]), through packing and the step kernel on `threads` threads.
  func stepProduct(
    m: Int, n: Int, k: Int, a: [Float], b: [Float], trans: Bool, beta: Float, c: [Float],
    threads: Int
  ) -> [Float] {
    let ldb = trans ? k : n
    var packed = [Float](repeating: .nan, count: rnn_step_packed_size(Int32(k), Int32(n)))
    rnn_step_pack_f32(Int32(k), Int32(n), b, Int32(ldb), trans ? 1 : 0, &packed)
    var out = c
    rnn_step_gemm_packed_f32(
      Int32(threads), Int32(m), Int32(n), Int32(k), a, Int32(k), packed, beta, &out, Int32(n))
    return out
  }

  func testPackedStepProductMatchesDoubleReference() {
    // Shapes cover: batch 1 (the four-panel row kernel) with and without a column tail, row
    // blocks of 6 plus every remainder, a tail narrower than one vector, k = 1.
    let shapes = [
      (1, 1024, 256), (1, 200, 33), (1, 37, 5), (5, 48, 7), (9, 37, 40), (32, 512, 128),
      (13, 100, 1), (6, 16, 16),
    ]
    for (m, n, k) in shapes {
      for trans in [false, true] {
        for beta: Float in [0, 1] {
          let seed = UInt64(m * 1_000_003 + n * 1009 + k)
          let a = floats(m * k, seed: seed)
          let b = floats(k * n, seed: seed + 1)
          // NaN in C must be ignored when beta is 0, as BLAS does.
          let c = beta == 0 ? [Float](repeating: .nan, count: m * n) : floats(m * n, seed: seed + 2)
          let got = stepProduct(
            m: m, n: n, k: k, a: a, b: b, trans: trans, beta: beta, c: c, threads: 1)
          for r in 0..<m {
            for j in 0..<n {
              var expected = beta == 0 ? 0 : Double(c[r * n + j])
              for p in 0..<k {
                let bv = trans ? b[j * k + p] : b[p * n + j]
                expected += Double(a[r * k + p]) * Double(bv)
              }
              XCTAssertEqual(
                Double(got[r * n + j]), expected, accuracy: 1e-5 * Double(k).squareRoot() + 1e-6,
                "m \(m) n \(n) k \(k) trans \(trans) beta \(beta) at [\(r), \(j)]")
            }
          }
          for threads in [2, 3] {
            let threaded = stepProduct(
              m: m, n: n, k: k, a: a, b: b, trans: trans, beta: beta, c: c, threads: threads)
            XCTAssertEqual(threaded, got, "m \(m) n \(n) k \(k): \(threads) threads differ")
          }
        }
      }
    }
  }

  /// Editing `weightHH` after a forward pass must drop the packed copy the pass made.
  func testPackedWeightsFollowWeightChanges() throws {
    var rng = RandomGenerator(seed: 3)
    var lstm = LSTM<Float>(inputSize: 4, hiddenSize: 20, generator: &rng)
    let x = Tensor<Float>(shape: [2, 3, 4], scalars: floats(24, seed: 9))
    _ = try lstm(x)  // packs W_hh
    lstm.cell.weights.weightHH.scalars[5] += 0.5
    let afterEdit = try lstm(x)
    let w = lstm.cell.weights
    let rebuilt = RecurrentWeights(
      weightIH: w.weightIH, weightHH: Tensor(shape: w.weightHH.shape, scalars: w.weightHH.scalars),
      biasIH: w.biasIH, biasHH: w.biasHH)
    let fresh = try LSTM<Float>(cell: LSTMCell(inputSize: 4, hiddenSize: 20, weights: rebuilt))(x)
    XCTAssertEqual(afterEdit.scalars, fresh.scalars)
    // A copy made before an edit keeps its own (old) weights and packed form.
    let copy = lstm
    lstm.cell.weights.weightHH.scalars[7] -= 1
    XCTAssertEqual(try copy(x).scalars, afterEdit.scalars)
    XCTAssertNotEqual(try lstm(x).scalars, afterEdit.scalars)
  }
  /// A step large enough for the row-split pointwise kernels (B·H ≥ 8192) gives the same bits
  /// on 1, 2 and 3 threads, forward and backward, for LSTM and GRU. (Portable backend: the large
  /// products through OpenBLAS are not bit-identical across OpenBLAS's own thread counts.)
  func testRowSplitPointwiseKernelsAreBitIdenticalAcrossThreads() throws {
    XCTAssertEqual(rnn_pointwise_tasks(2, 32, 256), 2)
    XCTAssertEqual(rnn_pointwise_tasks(2, 32, 128), 1)
    var rng = RandomGenerator(seed: 11)
    let lstm = LSTM<Float>(inputSize: 3, hiddenSize: 256, returnSequences: true, generator: &rng)
    let gru = GRU<Float>(inputSize: 3, hiddenSize: 256, returnSequences: true, generator: &rng)
    let x = Tensor<Float>(shape: [32, 2, 3], scalars: floats(32 * 2 * 3, seed: 12))
    let dy = Tensor<Float>(shape: [32, 2, 256], scalars: floats(32 * 2 * 256, seed: 13))
    func run<Cell: RecurrentCell>(_ layer: RecurrentLayer<Cell>, threads: Int) throws -> [[Float]]
    where Cell.Scalar == Float {
      try KernelConfiguration.$current.withValue(
        KernelConfiguration(backend: .portable, threads: threads)
      ) {
        var none = NoRandomness()
        let (result, record) = try layer.forward(x, training: true, generator: &none)
        let grads = try layer.backward(record, gradOutput: dy)
        return [result.output.scalars, grads.input.scalars] + grads.weights.tensors.map(\.scalars)
      }
    }
    let lstmOne = try run(lstm, threads: 1)
    let gruOne = try run(gru, threads: 1)
    for threads in [2, 3] {
      XCTAssertEqual(try run(lstm, threads: threads), lstmOne, "LSTM, \(threads) threads")
      XCTAssertEqual(try run(gru, threads: threads), gruOne, "GRU, \(threads) threads")
    }
  }
}
