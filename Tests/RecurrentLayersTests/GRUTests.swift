import Foundation
import RecurrentLayers
import RecurrentTensor
import XCTest

/// One Keras case of rnn_keras_gru_reset_before.json (see Tools/make_rnn_fixtures.py).
struct KerasGRUCase: Decodable {
  var name: String
  var go_backwards: Bool
  var batch: Int
  var time: Int
  var input: Int
  var hidden: Int
  var params: [String: FixtureTensor]
  var x: FixtureTensor
  var h0: FixtureTensor
  var grad_out: FixtureTensor
  var grad_h: FixtureTensor
  var out: FixtureTensor
  var h_n: FixtureTensor
  var grads: [String: FixtureTensor]
}

struct KerasGRUFixture: Decodable {
  var cases: [KerasGRUCase]
}

final class GRUTests: XCTestCase {
  static let goldenCases = ["gru", "gru_bi", "gru_2layer", "gru_bi_2layer", "gru_bi_masked"]

  func testMatchesPyTorchInDouble() throws {
    let cases = try loadTorchCases()
    for name in Self.goldenCases {
      let c = try XCTUnwrap(cases[name], name)
      try checkTorchCase(c, Double.self, tol: 1e-10) { w in
        try GRUCell(inputSize: w.weightIH.shape[1], hiddenSize: c.hidden, weights: w)
      }
    }
  }

  func testMatchesPyTorchInFloat() throws {
    let cases = try loadTorchCases()
    for name in Self.goldenCases {
      let c = try XCTUnwrap(cases[name], name)
      try checkTorchCase(c, Float.self, tol: 2e-5) { w in
        try GRUCell(inputSize: w.weightIH.shape[1], hiddenSize: c.hidden, weights: w)
      }
    }
  }

  /// Reset-before (Keras `GRU(reset_after=False)`): outputs, final state and gradients, forwards
  /// and with `go_backwards`.
  func testResetBeforeMatchesKeras() throws {
    let data = try Data(contentsOf: try fixtureURL("rnn_keras_gru_reset_before.json"))
    let fixture = try JSONDecoder().decode(KerasGRUFixture.self, from: data)
    XCTAssertEqual(fixture.cases.count, 2)
    for c in fixture.cases {
      let weights = RecurrentWeights<Double>(
        weightIH: c.params["weight_ih"]!.tensor(), weightHH: c.params["weight_hh"]!.tensor(),
        biasIH: c.params["bias_ih"]!.tensor(), biasHH: c.params["bias_hh"]!.tensor())
      let layer = RecurrentLayer(
        cell: try GRUCell(
          inputSize: c.input, hiddenSize: c.hidden, resetAfter: false, weights: weights),
        returnSequences: true, goBackwards: c.go_backwards)
      var none = NoRandomness()
      let (result, record) = try layer.forward(
        c.x.tensor(), initialState: [c.h0.tensor()], training: false, generator: &none)
      assertClose(result.output.scalars, c.out.data, tol: 1e-10, "\(c.name) output")
      assertClose(result.states[0].scalars, c.h_n.data, tol: 1e-10, "\(c.name) h_n")
      let g = try layer.backward(
        record, gradOutput: c.grad_out.tensor(), gradStates: [c.grad_h.tensor()])
      assertClose(g.input.scalars, c.grads["x"]!.data, tol: 1e-10, "\(c.name) dx")
      assertClose(g.initialStates[0].scalars, c.grads["h0"]!.data, tol: 1e-10, "\(c.name) dh0")
      assertClose(g.weights.weightIH.scalars, c.grads["weight_ih"]!.data, tol: 1e-10, "dW_ih")
      assertClose(g.weights.weightHH.scalars, c.grads["weight_hh"]!.data, tol: 1e-10, "dW_hh")
      assertClose(g.weights.biasIH.scalars, c.grads["bias_ih"]!.data, tol: 1e-10, "db_ih")
    }
  }

  func testGradientsMatchFiniteDifferences() throws {
    var rng = TestRNG(seed: 21)
    for resetAfter in [true, false] {
      let tag = resetAfter ? "reset-after" : "reset-before"
      let base = GRU<Double>(
        inputSize: 3, hiddenSize: 4, resetAfter: resetAfter, returnSequences: true,
        generator: &rng)
      try checkGradients(base, batch: 2, time: 3, "gru \(tag)")
      var last = base
      last.returnSequences = false
      last.goBackwards = true
      try checkGradients(last, batch: 2, time: 3, withInitialState: false, "gru \(tag) last back")
      try checkGradients(
        base, batch: 3, time: 4, mask: SequenceMask(lengths: [0, 4, 2]), "gru \(tag) masked")
      let dropped = GRU<Double>(
        inputSize: 3, hiddenSize: 4, resetAfter: resetAfter, returnSequences: true, dropout: 0.25,
        recurrentDropout: 0.5, generator: &rng)
      try checkGradients(dropped, batch: 3, time: 3, training: true, "gru \(tag) dropout")
    }
  }
}
