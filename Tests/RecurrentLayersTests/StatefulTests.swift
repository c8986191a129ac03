import Foundation
import RecurrentLayers
import RecurrentTensor
import XCTest
import _RecurrentTestSupport

/// stateful_keras.json (Tools/make_stateful_keras_fixtures.py).
struct StatefulKerasFixture: Decodable {
  struct LayerCase: Decodable {
    var name: String
    var cell: String
    var batch: Int
    var input: Int
    var hidden: Int
    var params: [String: FixtureTensor]
    var x1: FixtureTensor
    var x2: FixtureTensor
    var out1: FixtureTensor
    var out2: FixtureTensor
    var out2_after_reset: FixtureTensor
    var states1: [FixtureTensor]
    var states2: [FixtureTensor]
    var mask1: FixtureTensor?
    var mask2: FixtureTensor?
  }
  struct FitCase: Decodable {
    struct Weights: Decodable {
      var gru: [String: FixtureTensor]
      var dense_kernel: FixtureTensor
      var dense_bias: FixtureTensor
      var tensors: [Tensor<Double>] {
        ["weight_ih", "weight_hh", "bias_ih", "bias_hh"].map { gru[$0]!.tensor() }
          + [dense_kernel.tensor(), dense_bias.tensor()]
      }
    }
    var batch: Int
    var hidden: Int
    var x: FixtureTensor
    var y: FixtureTensor
    var initial: Weights
    var loss: [Double]
    var final: Weights
    var states: [FixtureTensor]
  }
  struct BidirectionalCase: Decodable {
    var input: Int
    var hidden: Int
    var params: [String: FixtureTensor]
    var x1: FixtureTensor
    var x2: FixtureTensor
    var out1: FixtureTensor
    var out2: FixtureTensor
    var states2: [FixtureTensor]
  }
  var cases: [LayerCase]
  var bidirectional: BidirectionalCase
  var fit: FitCase

  static func load() throws -> StatefulKerasFixture {
    try JSONDecoder().decode(
      StatefulKerasFixture.self, from: Data(contentsOf: try fixtureURL("stateful_keras.json")))
  }
}

final class StatefulTests: XCTestCase {
  /// A stateful LSTM / GRU over two consecutive batches (with and without masks holding holes
  /// and empty rows) and again after `resetStates()` gives Keras' outputs and carried states.
  func testMatchesKerasStatefulLayers() throws {
    let fixture = try StatefulKerasFixture.load()
    XCTAssertEqual(fixture.cases.count, 4)
    for c in fixture.cases {
      let w = RecurrentWeights<Double>(
        weightIH: c.params["weight_ih"]!.tensor(), weightHH: c.params["weight_hh"]!.tensor(),
        biasIH: c.params["bias_ih"]!.tensor(), biasHH: c.params["bias_hh"]!.tensor())
      if c.cell == "lstm" {
        let cell = try LSTMCell(inputSize: c.input, hiddenSize: c.hidden, weights: w)
        try checkKerasCase(c, Stateful(RecurrentLayer(cell: cell, returnSequences: true)))
      } else {
        let cell = try GRUCell(inputSize: c.input, hiddenSize: c.hidden, weights: w)
        try checkKerasCase(c, Stateful(RecurrentLayer(cell: cell, returnSequences: true)))
      }
    }
  }

  /// Keras' Bidirectional(LSTM(stateful=True)) over two batches: the generic wrapper carries
  /// both directions' states, forward layer first.
  func testMatchesKerasStatefulBidirectional() throws {
    let c = try StatefulKerasFixture.load().bidirectional
    func lstm(_ suffix: String) throws -> RecurrentLayer<LSTMCell<Double>> {
      let w = RecurrentWeights<Double>(
        weightIH: c.params["weight_ih" + suffix]!.tensor(),
        weightHH: c.params["weight_hh" + suffix]!.tensor(),
        biasIH: c.params["bias_ih" + suffix]!.tensor(),
        biasHH: c.params["bias_hh" + suffix]!.tensor())
      let cell = try LSTMCell(inputSize: c.input, hiddenSize: c.hidden, weights: w)
      return RecurrentLayer(cell: cell, returnSequences: true)
    }
    var layer = Stateful(Bidirectional(forward: try lstm(""), backward: try lstm("_reverse")))
    assertClose(try layer.advance(c.x1.tensor()).scalars, c.out1.data, tol: 1e-12, "batch 1")
    assertClose(try layer.advance(c.x2.tensor()).scalars, c.out2.data, tol: 1e-12, "batch 2")
    XCTAssertEqual(layer.states?.count, 4)
    for (k, s) in c.states2.enumerated() {
      assertClose(layer.states![k].scalars, s.data, tol: 1e-12, "state \(k)")
    }
  }

  private func checkKerasCase<L: SequenceLayer & Layer>(
    _ c: StatefulKerasFixture.LayerCase, _ start: Stateful<L>
  ) throws where L.Scalar == Double {
    var layer = start
    let m1: Tensor<Double>? = c.mask1?.tensor()
    let m2: Tensor<Double>? = c.mask2?.tensor()
    let out1 = try layer.advance(c.x1.tensor(), mask: m1)
    assertValidSteps(out1, c.out1, mask: c.mask1, "\(c.name) batch 1")
    for (k, s) in c.states1.enumerated() {
      assertClose(layer.states![k].scalars, s.data, tol: 1e-12, "\(c.name) states after 1")
    }
    let out2 = try layer.advance(c.x2.tensor(), mask: m2)
    assertValidSteps(out2, c.out2, mask: c.mask2, "\(c.name) batch 2")
    for (k, s) in c.states2.enumerated() {
      assertClose(layer.states![k].scalars, s.data, tol: 1e-12, "\(c.name) states after 2")
    }
    layer.resetStates()
    XCTAssertNil(layer.states)
    let again = try layer.advance(c.x2.tensor(), mask: m2)
    assertValidSteps(again, c.out2_after_reset, mask: c.mask2, "\(c.name) after reset")
  }

  /// Compares `[B, T, H]` outputs at real steps (Keras repeats the previous output at masked
  /// steps where ours are zero, a documented difference).
  private func assertValidSteps(
    _ ours: Tensor<Double>, _ keras: FixtureTensor, mask: FixtureTensor?, _ message: String
  ) {
    XCTAssertEqual(ours.shape, keras.shape, message)
    let h = keras.shape[2]
    var a: [Double] = []
    var b: [Double] = []
    for step in 0..<(keras.shape[0] * keras.shape[1]) where (mask?.data[step] ?? 1) != 0 {
      a += ours.scalars[(step * h)..<((step + 1) * h)]
      b += keras.data[(step * h)..<((step + 1) * h)]
    }
    XCTAssertFalse(a.isEmpty, message)
    assertClose(a, b, tol: 1e-12, message)
  }

  /// Consecutive windows through a stateful layer equal one pass over the whole sequence, with
  /// per-row lengths ending in either window (and a zero-length row), for LSTM, GRU, SimpleRNN.
  func testWindowsEqualOneRunOverTheConcatenation() throws {
    var rng = TestRNG(seed: 5)
    try checkWindows(
      LSTM<Double>(inputSize: 3, hiddenSize: 4, returnSequences: true, generator: &rng))
    try checkWindows(
      GRU<Double>(inputSize: 3, hiddenSize: 4, returnSequences: true, generator: &rng))
    try checkWindows(
      SimpleRNN<Double>(inputSize: 3, hiddenSize: 4, returnSequences: true, generator: &rng))
  }

  private func checkWindows<C: RecurrentCell>(_ layer: RecurrentLayer<C>) throws
  where C.Scalar == Double {
    let (b, t1, t2, d) = (3, 4, 3, 3)
    let x = randomTensor([b, t1 + t2, d], seed: 9)
    let lengths = [7, 2, 0]
    let mask = Tensor<Double>(
      shape: [b, t1 + t2],
      scalars: (0..<b).flatMap { r in (0..<(t1 + t2)).map { $0 < lengths[r] ? 1 : 0 } })
    var none = NoRandomness()
    let (whole, _) = try layer.forward(
      x, initialState: nil, mask: SequenceMask(lengths: lengths), training: false,
      generator: &none)
    var stateful = Stateful(layer)
    let first = try stateful.advance(window(x, 0, t1), mask: window(mask, 0, t1))
    let second = try stateful.advance(window(x, t1, t1 + t2), mask: window(mask, t1, t1 + t2))
    assertClose(first, window(whole.output, 0, t1), tolerance: 1e-12, "\(C.kerasClassName) 1")
    assertClose(
      second, window(whole.output, t1, t1 + t2), tolerance: 1e-12, "\(C.kerasClassName) 2")
    for (k, s) in whole.states.enumerated() {
      assertClose(stateful.states![k], s, tolerance: 1e-12, "\(C.kerasClassName) state \(k)")
    }
  }

  /// Steps `from..<to` of a `[B, T, ...]` tensor.
  private func window(_ x: Tensor<Double>, _ from: Int, _ to: Int) -> Tensor<Double> {
    let (b, t) = (x.shape[0], x.shape[1])
    let inner = x.count / (b * t)
    var out: [Double] = []
    for r in 0..<b { out += x.scalars[((r * t + from) * inner)..<((r * t + to) * inner)] }
    return Tensor(shape: [b, to - from] + x.shape.dropFirst(2), scalars: out)
  }

  /// The gradients of a stateful call (input and weights, carried states held constant) match
  /// central finite differences in Double.
  func testGradientsMatchFiniteDifferences() throws {
    var rng = TestRNG(seed: 13)
    var lstm = Stateful(
      LSTM<Double>(inputSize: 2, hiddenSize: 3, returnSequences: true, generator: &rng))
    var gru = Stateful(GRU<Double>(inputSize: 2, hiddenSize: 3, generator: &rng))
    _ = try lstm.advance(randomTensor([2, 3, 2], seed: 1))
    _ = try gru.advance(randomTensor([2, 3, 2], seed: 2))
    XCTAssertNotNil(lstm.states)
    try checkStatefulGradients(lstm, "stateful lstm")
    try checkStatefulGradients(gru, "stateful gru")
  }

  private func checkStatefulGradients<L: StatefulLayer>(_ layer: L, _ message: String) throws
  where L.Scalar == Double {
    var none = NoRandomness()
    let x = randomTensor([2, 3, 2], seed: 3)
    try assertGradientsMatch(at: [x] + layer.parameters, message) { v in
      var layer = layer
      layer.parameters = v.dropFirst().map(\.value)
      let (y, _) = try layer.callAsOp(
        v[0], mask: nil, parameters: Array(v.dropFirst()), training: false, generator: &none)
      return probeLoss(y)
    }
  }

  /// A carried state for batch 3 refuses a batch of 2 until resetStates().
  func testBatchSizeIsFixedUntilReset() throws {
    var rng = TestRNG(seed: 3)
    var layer = Stateful(GRU<Double>(inputSize: 2, hiddenSize: 2, generator: &rng))
    _ = try layer.advance(randomTensor([3, 2, 2], seed: 1))
    XCTAssertThrowsError(try layer.advance(randomTensor([2, 2, 2], seed: 1))) {
      XCTAssert("\($0)".contains("batch size 3"), "\($0)")
    }
    layer.resetStates()
    XCTAssertEqual(try layer.advance(randomTensor([2, 2, 2], seed: 1)).shape, [2, 2])
  }

  /// Keras' fit of Sequential(GRU(stateful=True), Dense) with shuffle=False: the same losses,
  /// weights and carried states after two epochs (batch 2 continues batch 1's rows).
  func testStatefulFitMatchesKeras() throws {
    let f = try StatefulKerasFixture.load().fit
    var model = Sequential<Double>([
      Stateful(GRU<Double>(units: f.hidden)), Dense<Double>(units: 1),
    ])
    var rng = TestRNG(seed: 1)
    try model.build(inputShape: Array(f.x.shape.dropFirst()), generator: &rng)
    model.weights = f.initial.tensors
    model.compile(optimizer: .sgd(learningRate: 0.1), loss: .meanSquaredError)
    var sink = RecordingSink()
    let history = try model.fit(
      x: f.x.tensor(), y: f.y.tensor(), epochs: 2, batchSize: f.batch, shuffle: false,
      verbose: 0, generator: &rng, output: &sink)
    assertClose(history["loss"]!, f.loss, tol: 1e-12, "loss per epoch")
    for (k, (ours, keras)) in zip(model.weights, f.final.tensors).enumerated() {
      assertClose(ours.scalars, keras.scalars, tol: 1e-12, "weight \(k)")
    }
    let carried = try XCTUnwrap((model.layers[0] as? any StatefulLayer<Double>)?.states)
    for (k, s) in f.states.enumerated() {
      assertClose(carried[k].scalars, s.data, tol: 1e-12, "carried state \(k)")
    }
    XCTAssertTrue(model.isStateful)
    model.resetStates()
    XCTAssertNil((model.layers[0] as? any StatefulLayer<Double>)?.states)
  }

  /// fit refuses shuffling and ragged batches for stateful models, with errors naming the fix.
  func testFitRefusesShuffleAndPartialBatches() throws {
    var model = Sequential<Double>([Stateful(GRU<Double>(units: 2)), Dense<Double>(units: 1)])
    model.compile(optimizer: .sgd(), loss: .meanSquaredError)
    let x = randomTensor([4, 3, 2], seed: 1)
    let y = randomTensor([4, 1], seed: 2)
    var rng = TestRNG(seed: 1)
    var sink = RecordingSink()
    XCTAssertThrowsError(
      try model.fit(x: x, y: y, batchSize: 2, verbose: 0, generator: &rng, output: &sink)
    ) { XCTAssert("\($0)".contains("shuffle: false"), "\($0)") }
    XCTAssertThrowsError(
      try model.fit(
        x: x, y: y, batchSize: 3, shuffle: false, verbose: 0, generator: &rng, output: &sink)
    ) { XCTAssert("\($0)".contains("must divide"), "\($0)") }
  }

  /// predict on consecutive windows continues the states (Keras' stateful predict), evaluate
  /// too; resetStates starts over; a save/load round trip keeps `stateful` in the config.
  func testSequentialPredictCarriesStatesAndSaves() throws {
    var rng = TestRNG(seed: 4)
    let inner = LSTM<Double>(inputSize: 2, hiddenSize: 3, returnSequences: true, generator: &rng)
    var model = Sequential<Double>([Stateful(inner)], inputShape: [2, 2])
    let x1 = randomTensor([2, 2, 2], seed: 1)
    let x2 = randomTensor([2, 2, 2], seed: 2)
    var reference = Stateful(inner)
    _ = try reference.advance(x1)
    let expected = try reference.advance(x2)
    _ = try model.predict(x1, batchSize: 2)
    assertClose(try model.predict(x2, batchSize: 2), expected, tolerance: 0, "second window")
    model.resetStates()
    assertClose(
      try model.predict(x2, batchSize: 2), try inner(x2), tolerance: 0, "after resetStates")

    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "stateful-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try model.save(to: dir)
    let config = try String(contentsOf: dir.appendingPathComponent("config.json"), encoding: .utf8)
    XCTAssert(config.contains("\"stateful\" : true"), config)
    var loaded = try Sequential<Double>.load(from: dir)
    XCTAssertTrue(loaded.isStateful)
    _ = try loaded.predict(x1, batchSize: 2)
    assertClose(try loaded.predict(x2, batchSize: 2), expected, tolerance: 0, "loaded")
  }

  /// A functional model refuses a stateful layer called twice (one set of states), and its
  /// predict(keepingStates:) continues from the previous call.
  func testFunctionalModelCarriesStates() throws {
    var rng = TestRNG(seed: 6)
    let inner = GRU<Double>(inputSize: 2, hiddenSize: 3, returnSequences: true, generator: &rng)
    var g = ModelGraph<Double>()
    let a = g.input(shape: [2, 2])
    let shared = g.add(Stateful(inner))
    _ = try g(shared, a)
    let twice = try g(shared, a)
    XCTAssertThrowsError(try Model(graph: g, inputs: [a], outputs: [twice], generator: &rng)) {
      XCTAssert("\($0)".contains("stateful"), "\($0)")
    }
    var g2 = ModelGraph<Double>()
    let input = g2.input(shape: [2, 2])
    let out = try g2(Stateful(inner), input)
    var model = try Model(graph: g2, inputs: [input], outputs: [out], generator: &rng)
    let x1 = randomTensor([2, 2, 2], seed: 1)
    let x2 = randomTensor([2, 2, 2], seed: 2)
    var reference = Stateful(inner)
    _ = try reference.advance(x1)
    let expected = try reference.advance(x2)
    _ = try model.predict([x1], batchSize: 2, keepingStates: true)
    XCTAssertEqual(try model.predict([x2], batchSize: 2)[0].scalars, expected.scalars)
    XCTAssertEqual(
      try model.predict([x2], batchSize: 2, keepingStates: true)[0].scalars, expected.scalars)
    model.resetStates()
    XCTAssertEqual(try model.predict([x2], batchSize: 2)[0].scalars, try inner(x2).scalars)
  }

  /// fit carries states across epochs (as Keras); ResetStatesEachEpoch equals one-epoch fits
  /// with resetStates() between them.
  func testResetStatesEachEpochCallback() throws {
    func model() throws -> Sequential<Double> {
      var rng = TestRNG(seed: 2)
      var m = Sequential<Double>([Stateful(LSTM<Double>(3)), Dense<Double>(1)])
      try m.build(inputShape: [3, 2], generator: &rng)
      m.compile(optimizer: .sgd(learningRate: 0.1), loss: .meanSquaredError)
      return m
    }
    let x = randomTensor([4, 3, 2], seed: 1)
    let y = randomTensor([4, 1], seed: 2)
    var rng = TestRNG(seed: 3)
    var sink = RecordingSink()
    var a = try model()
    try a.fit(
      x: x, y: y, epochs: 2, batchSize: 2, shuffle: false, callbacks: [ResetStatesEachEpoch()],
      verbose: 0, generator: &rng, output: &sink)
    var b = try model()
    var c = try model()
    for _ in 0..<2 {
      b.resetStates()
      try b.fit(
        x: x, y: y, epochs: 1, batchSize: 2, shuffle: false, verbose: 0, generator: &rng,
        output: &sink)
      try c.fit(
        x: x, y: y, epochs: 1, batchSize: 2, shuffle: false, verbose: 0, generator: &rng,
        output: &sink)
    }
    XCTAssertEqual(a.weights.map(\.scalars), b.weights.map(\.scalars))
    XCTAssertNotEqual(a.weights.map(\.scalars), c.weights.map(\.scalars))
  }
}
