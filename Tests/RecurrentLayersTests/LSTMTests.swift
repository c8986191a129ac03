import RecurrentLayers
import RecurrentTensor
import XCTest

final class LSTMTests: XCTestCase {
  static let goldenCases = ["lstm", "lstm_bi", "lstm_2layer", "lstm_bi_2layer", "lstm_bi_masked"]

  func testMatchesPyTorchInDouble() throws {
    let cases = try loadTorchCases()
    for name in Self.goldenCases {
      let c = try XCTUnwrap(cases[name], name)
      try checkTorchCase(c, Double.self, tol: 1e-10) { w in
        try LSTMCell(inputSize: w.weightIH.shape[1], hiddenSize: c.hidden, weights: w)
      }
    }
  }

  func testMatchesPyTorchInFloat() throws {
    let cases = try loadTorchCases()
    for name in Self.goldenCases {
      let c = try XCTUnwrap(cases[name], name)
      try checkTorchCase(c, Float.self, tol: 2e-5) { w in
        try LSTMCell(inputSize: w.weightIH.shape[1], hiddenSize: c.hidden, weights: w)
      }
    }
  }

  func testGradientsMatchFiniteDifferences() throws {
    var rng = TestRNG(seed: 11)
    let base = LSTM<Double>(inputSize: 3, hiddenSize: 4, returnSequences: true, generator: &rng)
    try checkGradients(base, batch: 2, time: 3, "lstm")
    var last = base
    last.returnSequences = false
    try checkGradients(last, batch: 2, time: 3, withInitialState: false, "lstm last")
    var backwards = base
    backwards.goBackwards = true
    try checkGradients(backwards, batch: 2, time: 3, "lstm backwards")
    try checkGradients(
      base, batch: 3, time: 4, mask: SequenceMask(lengths: [4, 2, 0]), "lstm masked")
    try checkGradients(
      backwards, batch: 3, time: 4,
      mask: SequenceMask(mask: [
        [true, false, true, true], [false, true, false, false], [true, true, true, true],
      ]), "lstm backwards holes")
    var dropped = LSTM<Double>(
      inputSize: 3, hiddenSize: 4, unitForgetBias: true, returnSequences: true, dropout: 0.3,
      recurrentDropout: 0.4, generator: &rng)
    try checkGradients(dropped, batch: 3, time: 3, training: true, "lstm dropout")
    dropped.goBackwards = true
    try checkGradients(
      dropped, batch: 3, time: 3, mask: SequenceMask(lengths: [1, 3, 2]), training: true,
      "lstm dropout backwards masked")
  }

  func testUnitForgetBias() {
    var rng = TestRNG(seed: 1)
    let cell = LSTMCell<Float>(inputSize: 2, hiddenSize: 3, unitForgetBias: true, generator: &rng)
    XCTAssertEqual(cell.weights.biasIH.scalars, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    XCTAssertEqual(cell.weights.biasHH.scalars, Array(repeating: 0, count: 12))
  }
}
