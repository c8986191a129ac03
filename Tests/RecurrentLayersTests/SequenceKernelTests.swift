import CRecurrentKernels
import RecurrentTensor
import XCTest

@testable import RecurrentLayers

/// The whole-sequence kernels (CRecurrentKernels/rnn_sequence.c: every step of an LSTM or
/// reset-after GRU layer on a team of threads) against the step-by-step loop they replace: the
/// same bits for outputs, final states and every gradient, with masks (zero-length rows
/// included), recurrent dropout, initial states, both directions, and any thread count.
final class SequenceKernelTests: XCTestCase {
  /// Forward + backward of `layer` on fixed data: outputs, states, ∂x, ∂(initial states), ∂W.
  func run<Cell: RecurrentCell>(
    _ layer: RecurrentLayer<Cell>, batch: Int, threads: Int, wholeSequence: Bool,
    backend: ComputeBackend = .portable
  ) throws -> [[Float]] where Cell.Scalar == Float {
    RNNKernels.sequenceKernelsEnabled = wholeSequence
    defer { RNNKernels.sequenceKernelsEnabled = true }
    return try KernelConfiguration.$current.withValue(
      KernelConfiguration(backend: backend, threads: threads)
    ) {
      var rng = TestRNG(seed: 91)
      let time = 6
      let x: Tensor<Float> = randomTensor([batch, time, layer.inputSize], &rng)
      let h = layer.hiddenSize
      let initial: [Tensor<Float>] = (0..<Cell.stateCount).map { _ in
        randomTensor([batch, h], &rng)
      }
      let lengths = (0..<batch).map { [6, 2, 0, 5, 1, 6, 3][$0 % 7] }
      var dropout = TestRNG(seed: 92)  // the same masks in every run
      let (result, record) = try layer.forward(
        x, initialState: initial, mask: SequenceMask(lengths: lengths), training: true,
        generator: &dropout)
      let gradOutput: Tensor<Float> = randomTensor(result.output.shape, &rng)
      let gradStates: [Tensor<Float>?] = (0..<Cell.stateCount).map { _ in
        randomTensor([batch, h], &rng)
      }
      let grads = try layer.backward(record, gradOutput: gradOutput, gradStates: gradStates)
      return [result.output.scalars] + result.states.map(\.scalars) + [grads.input.scalars]
        + grads.initialStates.map(\.scalars) + grads.weights.tensors.map(\.scalars)
    }
  }

  func assertSameBits<Cell: RecurrentCell>(
    _ layer: RecurrentLayer<Cell>, batch: Int, _ what: String
  ) throws where Cell.Scalar == Float {
    let stepwise = try run(layer, batch: batch, threads: 1, wholeSequence: false)
    for threads in [1, 2, 3] {
      let whole = try run(layer, batch: batch, threads: threads, wholeSequence: true)
      XCTAssertEqual(whole.count, stepwise.count)
      for (k, (a, b)) in zip(whole, stepwise).enumerated() {
        XCTAssertEqual(a, b, "\(what), \(threads) threads: tensor \(k) differs from the step loop")
      }
    }
  }

  /// The layer options every cell is checked with: (returnSequences, goBackwards,
  /// recurrentDropout), each over `batches`.
  func assertSameBitsForOptions<Cell: RecurrentCell>(
    _ what: String, batches: [Int],
    make: (_ returnSequences: Bool, _ goBackwards: Bool, _ recurrentDropout: Double)
      -> RecurrentLayer<Cell>
  ) throws where Cell.Scalar == Float {
    for (returnSequences, goBackwards, recurrentDropout) in [
      (true, false, 0.0), (false, true, 0.3), (true, true, 0.25),
    ] {
      let layer = make(returnSequences, goBackwards, recurrentDropout)
      XCTAssertEqual(rnn_sequence_supported(Int32(layer.hiddenSize)), 1)
      for batch in batches {
        try assertSameBits(
          layer, batch: batch,
          "\(what) batch \(batch) sequences \(returnSequences) backwards \(goBackwards) "
            + "recurrent dropout \(recurrentDropout)")
      }
    }
  }

  func testLSTMWholeSequenceEqualsStepLoop() throws {
    var rng = RandomGenerator(seed: 5)
    // H = 96: six AVX2 panels (two members of 48 units) or three AVX-512 panels (64 + 32);
    // W_hh is 144 KiB, so two threads form a team even at batch 1.
    try assertSameBitsForOptions("LSTM", batches: [1, 5]) { sequences, backwards, dropout in
      LSTM<Float>(
        inputSize: 7, hiddenSize: 96, returnSequences: sequences, goBackwards: backwards,
        recurrentDropout: dropout, generator: &rng)
    }
  }

  func testGRUWholeSequenceEqualsStepLoop() throws {
    var rng = RandomGenerator(seed: 6)
    // H = 112: seven AVX2 panels split 64 + 48, the last member owning fewer units.
    try assertSameBitsForOptions("GRU", batches: [1, 4]) { sequences, backwards, dropout in
      GRU<Float>(
        inputSize: 5, hiddenSize: 112, returnSequences: sequences, goBackwards: backwards,
        recurrentDropout: dropout, generator: &rng)
    }
  }

  /// The OpenBLAS backend splits large products over our pool; the loops themselves are ours,
  /// so the whole-sequence path still equals the step loop there.
  func testWholeSequenceWithOpenBLASBackend() throws {
    guard rk_openblas_available() != 0 else {
      throw XCTSkip("OpenBLAS (libopenblas.so.0) is not installed")
    }
    var rng = RandomGenerator(seed: 7)
    let lstm = LSTM<Float>(
      inputSize: 7, hiddenSize: 96, returnSequences: true, generator: &rng)
    let stepwise = try run(lstm, batch: 5, threads: 2, wholeSequence: false, backend: .openblas)
    let whole = try run(lstm, batch: 5, threads: 2, wholeSequence: true, backend: .openblas)
    XCTAssertEqual(whole, stepwise)
  }

  /// Sizes the kernels do not cover (H not a multiple of the panel width, reset-before GRU)
  /// keep the step loop and still train.
  func testUnsupportedShapesFallBackToStepLoop() throws {
    XCTAssertEqual(rnn_sequence_supported(37), 0)
    var rng = RandomGenerator(seed: 8)
    let lstm = LSTM<Float>(inputSize: 3, hiddenSize: 37, returnSequences: true, generator: &rng)
    XCTAssertFalse(lstm.cell.hasSequenceKernel)
    let gru = GRU<Float>(
      cell: GRUCell(inputSize: 3, hiddenSize: 32, resetAfter: false, generator: &rng),
      returnSequences: true)
    XCTAssertFalse(gru.cell.hasSequenceKernel)
    XCTAssertEqual(
      try run(gru, batch: 3, threads: 2, wholeSequence: true),
      try run(gru, batch: 3, threads: 2, wholeSequence: false))
  }
}
