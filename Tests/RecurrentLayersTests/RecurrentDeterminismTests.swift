import RecurrentLayers
import RecurrentTensor
import XCTest

final class RecurrentDeterminismTests: XCTestCase {
  /// Initialisation, dropout masks, outputs and gradients from one seed, as raw bits.
  func run(seed: UInt64) throws -> [UInt32] {
    var rng = TestRNG(seed: seed)
    let gru = Bidirectional(
      forward: GRU<Float>(
        inputSize: 4, hiddenSize: 3, returnSequences: true, dropout: 0.3, recurrentDropout: 0.3,
        generator: &rng),
      backward: GRU<Float>(
        inputSize: 4, hiddenSize: 3, dropout: 0.3, recurrentDropout: 0.3, generator: &rng))
    let x: Tensor<Float> = randomTensor([3, 5, 4], &rng)
    let (result, record) = try gru.forward(
      x, mask: SequenceMask(lengths: [5, 3, 1]), training: true, generator: &rng)
    let g = try gru.backward(
      record, gradOutputs: [Tensor(repeating: 1, shape: result.output.shape)], gradStates: [])
    let all =
      gru.weights.forward.weightIH.scalars + result.output.scalars + g.input.scalars
      + g.weights.forward.weightHH.scalars + g.weights.backward.biasHH.scalars
    return all.map(\.bitPattern)
  }

  func testSameSeedGivesBitIdenticalResults() throws {
    XCTAssertEqual(try run(seed: 7), try run(seed: 7))
    XCTAssertNotEqual(try run(seed: 7), try run(seed: 8))
  }

  func testDropoutOnlyWhenTraining() throws {
    var rng = TestRNG(seed: 1)
    let lstm = LSTM<Double>(
      inputSize: 2, hiddenSize: 3, returnSequences: true, dropout: 0.5, recurrentDropout: 0.5,
      generator: &rng)
    let x: Tensor<Double> = randomTensor([2, 3, 2], &rng)
    var none = NoRandomness()
    let inference = try lstm.forward(x, training: false, generator: &none).0.output
    XCTAssertEqual(try lstm(x).scalars, inference.scalars)
    let trained = try lstm.forward(x, training: true, generator: &rng).0.output
    XCTAssertNotEqual(trained.scalars, inference.scalars)
  }
}
