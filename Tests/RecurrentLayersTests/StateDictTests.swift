import Foundation
import RecurrentLayers
import RecurrentTensor
import XCTest

/// PyTorch state dicts saved as safetensors (Tools/make_rnn_fixtures.py state) load into our
/// layers and give PyTorch's outputs and final states.
final class StateDictTests: XCTestCase {
  func load(_ name: String) throws -> [String: Tensor<Float>] {
    try Safetensors.read(contentsOf: try fixtureURL("rnn_state_\(name).safetensors"))
  }

  /// PyTorch's `h_n` `[L·dirs, B, H]` (and `c_n`) in our state order.
  func expectedStates(_ state: [String: Tensor<Float>]) -> [[Float]] {
    let hn = state["io.h_n"]!
    let cn = state["io.c_n"]
    let n = hn.shape[1] * hn.shape[2]
    var out: [[Float]] = []
    for k in 0..<hn.shape[0] {
      out.append(Array(hn.scalars[(k * n)..<((k + 1) * n)]))
      if let cn { out.append(Array(cn.scalars[(k * n)..<((k + 1) * n)])) }
    }
    return out
  }

  func check<L: SequenceLayer>(
    _ layer: L, _ state: [String: Tensor<Float>], _ what: String, file: StaticString = #filePath,
    line: UInt = #line
  ) throws where L.Scalar == Float {
    var none = NoRandomness()
    let (result, _) = try layer.forward(
      state["io.x"]!, initialState: nil, mask: nil, training: false, generator: &none)
    let maxDiff = { (a: [Float], b: [Float]) in zip(a, b).map { abs($0 - $1) }.max() ?? 0 }
    let out = state["io.out"]!
    XCTAssertEqual(result.output.shape, out.shape, what, file: file, line: line)
    XCTAssertLessThanOrEqual(
      maxDiff(result.output.scalars, out.scalars), 1e-5, "\(what) output", file: file, line: line)
    let expected = expectedStates(state)
    XCTAssertEqual(result.states.count, expected.count, what, file: file, line: line)
    for (s, e) in zip(result.states, expected) {
      XCTAssertLessThanOrEqual(maxDiff(s.scalars, e), 1e-5, "\(what) state", file: file, line: line)
    }
  }

  func testSingleLSTMLoadsIntoUnbuiltLayer() throws {
    let state = try load("lstm")
    var lstm = LSTM<Float>(units: 4, returnSequences: true)
    try lstm.loadPyTorchStateDict(state, prefix: "rnn.")
    XCTAssertEqual(lstm.inputSize, 5)
    try check(lstm, state, "lstm")
  }

  func testBidirectionalTwoLayerLSTM() throws {
    let state = try load("lstm_bi_2layer")
    var stack = RecurrentStack([
      Bidirectional(LSTM<Float>(units: 4, unitForgetBias: false)),
      Bidirectional(LSTM<Float>(units: 4, unitForgetBias: false)),
    ])
    stack.returnSequences = true
    try stack.loadPyTorchStateDict(state, prefix: "rnn.")
    try check(stack, state, "lstm bi 2-layer")
  }

  func testTwoLayerGRUAndBidirectionalGRU() throws {
    let two = try load("gru_2layer")
    var stack = RecurrentStack([GRU<Float>(units: 4), GRU<Float>(units: 4)])
    stack.returnSequences = true
    try stack.loadPyTorchStateDict(two, prefix: "rnn.")
    try check(stack, two, "gru 2-layer")

    let bi = try load("gru_bi")
    var layer = Bidirectional(GRU<Float>(units: 4, returnSequences: true))
    try layer.loadPyTorchStateDict(bi, prefix: "rnn.")
    try check(layer, bi, "gru bi")
  }

  func testReluRNNBidirectionalTwoLayer() throws {
    let state = try load("rnn_relu_bi_2layer")
    var stack = RecurrentStack([
      Bidirectional(SimpleRNN<Float>(units: 4, activation: .relu)),
      Bidirectional(SimpleRNN<Float>(units: 4, activation: .relu)),
    ])
    stack.returnSequences = true
    try stack.loadPyTorchStateDict(state, prefix: "rnn.")
    try check(stack, state, "rnn relu bi 2-layer")
  }

  func testMismatchesThrowErrorsThatNameTheKey() throws {
    let state = try load("lstm_bi_2layer")
    var gru = GRU<Float>(units: 4)
    XCTAssertThrowsError(try gru.loadPyTorchStateDict(state, prefix: "rnn.")) { error in
      XCTAssert(
        "\(error)".hasPrefix("'rnn.weight_ih_l0' has shape [16, 5] but this GRU expects [12, 5]"),
        "\(error)")
    }
    var one = LSTM<Float>(units: 4)
    XCTAssertThrowsError(try one.loadPyTorchStateDict(state, prefix: "rnn.")) { error in
      XCTAssert("\(error)".contains("does not use: rnn.bias_hh_l0_reverse"), "\(error)")
    }
    XCTAssertNoThrow(try one.loadPyTorchStateDict(state, prefix: "rnn.", strict: false))
    var lstm = LSTM<Float>(units: 4)
    XCTAssertThrowsError(try lstm.loadPyTorchStateDict(state, prefix: "model.")) { error in
      XCTAssert("\(error)".contains("no 2-D 'model.weight_ih_l0'"), "\(error)")
    }
  }
}
