import RecurrentLayers
import RecurrentTensor
import XCTest

final class SimpleRNNTests: XCTestCase {
  static let goldenCases = ["rnn_tanh", "rnn_relu", "rnn_bi", "rnn_2layer", "rnn_bi_masked"]

  func testMatchesPyTorch() throws {
    let cases = try loadTorchCases()
    for name in Self.goldenCases {
      let c = try XCTUnwrap(cases[name], name)
      let activation = try XCTUnwrap(SimpleRNNCell<Double>.Activation(rawValue: c.nonlinearity))
      try checkTorchCase(c, Double.self, tol: 1e-10) { w in
        try SimpleRNNCell(
          inputSize: w.weightIH.shape[1], hiddenSize: c.hidden, activation: activation, weights: w)
      }
      try checkTorchCase(c, Float.self, tol: 2e-5) { w in
        try SimpleRNNCell(
          inputSize: w.weightIH.shape[1], hiddenSize: c.hidden,
          activation: SimpleRNNCell<Float>.Activation(rawValue: c.nonlinearity)!, weights: w)
      }
    }
  }

  func testGradientsMatchFiniteDifferences() throws {
    var rng = TestRNG(seed: 31)
    for activation in SimpleRNNCell<Double>.Activation.allCases {
      let base = SimpleRNN<Double>(
        inputSize: 3, hiddenSize: 4, activation: activation, returnSequences: true,
        generator: &rng)
      try checkGradients(base, batch: 2, time: 3, "rnn \(activation)")
      var back = base
      back.goBackwards = true
      try checkGradients(
        back, batch: 3, time: 4, mask: SequenceMask(lengths: [2, 0, 4]), "rnn \(activation) back")
      let dropped = SimpleRNN<Double>(
        inputSize: 3, hiddenSize: 4, activation: activation, dropout: 0.2, recurrentDropout: 0.3,
        generator: &rng)
      try checkGradients(dropped, batch: 3, time: 3, training: true, "rnn \(activation) dropout")
    }
  }
}
