import Foundation
import RecurrentTensor
import XCTest
import _RecurrentTestSupport

@testable import RecurrentLayers

// MARK: - Shared helpers for the recurrent-layer tests

/// SplitMix64 (Steele et al. 2014): a tiny seeded generator so tests are reproducible.
struct TestRNG: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A tensor of normal-ish values in (-1, 1) from `rng`.
func randomTensor<S: TensorScalar>(_ shape: [Int], _ rng: inout TestRNG) -> Tensor<S> {
  Tensor(
    shape: shape,
    scalars: (0..<shape.reduce(1, *)).map { _ in S(Double.random(in: -1..<1, using: &rng)) })
}

/// One tensor of a fixture file.
struct FixtureTensor: Decodable {
  var shape: [Int]
  var data: [Double]
  func tensor<S: TensorScalar>(_: S.Type = S.self) -> Tensor<S> {
    Tensor(shape: shape, scalars: data.map { S($0) })
  }
  /// Slice `k` along the first axis, as a tensor of the remaining shape.
  func slice<S: TensorScalar>(_ k: Int, _: S.Type = S.self) -> Tensor<S> {
    let rest = Array(shape.dropFirst())
    let n = rest.reduce(1, *)
    return Tensor(shape: rest, scalars: data[(k * n)..<((k + 1) * n)].map { S($0) })
  }
}

/// One PyTorch case of rnn_torch_golden.json (see Tools/make_rnn_fixtures.py).
struct TorchCase: Decodable {
  var name: String
  var cell: String
  var nonlinearity: String
  var bidirectional: Bool
  var layers: Int
  var batch: Int
  var time: Int
  var input: Int
  var hidden: Int
  var lengths: [Int]?
  var params: [String: FixtureTensor]
  var x: FixtureTensor
  var h0: FixtureTensor
  var c0: FixtureTensor?
  var grad_out: FixtureTensor
  var grad_h: FixtureTensor
  var grad_c: FixtureTensor?
  var out: FixtureTensor
  var h_n: FixtureTensor
  var c_n: FixtureTensor?
  var grads: [String: FixtureTensor]
}

struct TorchFixture: Decodable {
  var cases: [TorchCase]
}

func fixtureURL(_ name: String) throws -> URL {
  guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil) else {
    throw XCTSkip("fixture \(name) is missing from the test bundle")
  }
  return url
}

func loadTorchCases() throws -> [String: TorchCase] {
  let data = try Data(contentsOf: try fixtureURL("rnn_torch_golden.json"))
  let fixture = try JSONDecoder().decode(TorchFixture.self, from: data)
  return Dictionary(uniqueKeysWithValues: fixture.cases.map { ($0.name, $0) })
}

// `assertClose` comes from ModelTestSupportTests.swift (same relative-error rule).

/// Parameters as one flat vector, for finite differences and comparisons.
protocol FlatParameters {
  associatedtype Scalar: TensorScalar
  var flat: [Scalar] { get set }
}

extension RecurrentWeights: FlatParameters {
  var flat: [Scalar] {
    get { weightIH.scalars + weightHH.scalars + biasIH.scalars + biasHH.scalars }
    set {
      var k = 0
      for path in [\Self.weightIH, \Self.weightHH, \Self.biasIH, \Self.biasHH] {
        let n = self[keyPath: path].count
        self[keyPath: path].scalars = Array(newValue[k..<(k + n)])
        k += n
      }
    }
  }
}

extension BidirectionalWeights: FlatParameters {
  var flat: [Scalar] {
    get { forward.flat + backward.flat }
    set {
      let n = forward.flat.count
      forward.flat = Array(newValue[0..<n])
      backward.flat = Array(newValue[n...])
    }
  }
}

extension Array: FlatParameters where Element: FlatParameters {
  var flat: [Element.Scalar] {
    get { flatMap(\.flat) }
    set {
      var k = 0
      for i in indices {
        let n = self[i].flat.count
        self[i].flat = [Element.Scalar](newValue[k..<(k + n)])
        k += n
      }
    }
  }
}

/// The scalar loss `Σ outputs ⊙ gOut + Σ states ⊙ gStates` that the gradient checks use.
func weightedLoss(
  _ result: RecurrentResult<Double>, gradOutputs: [Tensor<Double>], gradStates: [Tensor<Double>]
) -> Double {
  var loss = 0.0
  for (o, g) in zip(result.outputs, gradOutputs) {
    loss += zip(o.scalars, g.scalars).reduce(0) { $0 + $1.0 * $1.1 }
  }
  for (s, g) in zip(result.states, gradStates) {
    loss += zip(s.scalars, g.scalars).reduce(0) { $0 + $1.0 * $1.1 }
  }
  return loss
}

/// Central finite differences in Double for every input, initial-state and weight entry of
/// `layer`, compared with its hand-written backward pass. The dropout masks are redrawn from
/// the same seed at every evaluation, so they stay fixed.
func checkGradients<L: SequenceLayer>(
  _ layer: L, batch: Int, time: Int, mask: SequenceMask? = nil, withInitialState: Bool = true,
  training: Bool = false, seed: UInt64 = 1, tol: Double = 1e-6, _ what: String,
  file: StaticString = #filePath, line: UInt = #line
) throws where L.Scalar == Double, L.Weights: FlatParameters, L.Weights.Scalar == Double {
  var rng = TestRNG(seed: seed &+ 1000)
  let x: Tensor<Double> = randomTensor([batch, time, layer.inputSize], &rng)
  let shapes = try stateShapes(layer, batch: batch, time: time)
  let states: [Tensor<Double>]? =
    withInitialState ? shapes.map { randomTensor($0, &rng) } : nil
  var probe = TestRNG(seed: seed)
  let (result0, record) = try layer.forward(
    x, initialState: states, mask: mask, training: training, generator: &probe)
  let gOut = result0.outputs.map { randomTensor($0.shape, &rng) as Tensor<Double> }
  let gStates = result0.states.map { randomTensor($0.shape, &rng) as Tensor<Double> }
  let grads = try layer.backward(record, gradOutputs: gOut, gradStates: gStates)

  func loss(_ l: L, _ x: Tensor<Double>, _ s: [Tensor<Double>]?) throws -> Double {
    var g = TestRNG(seed: seed)
    let (r, _) = try l.forward(x, initialState: s, mask: mask, training: training, generator: &g)
    return weightedLoss(r, gradOutputs: gOut, gradStates: gStates)
  }
  let eps = 1e-6
  func numeric(_ count: Int, _ f: (Int, Double) throws -> Double) rethrows -> [Double] {
    try (0..<count).map { i in (try f(i, eps) - f(i, -eps)) / (2 * eps) }
  }
  let dx = try numeric(x.count) { i, e in
    var xp = x
    xp.scalars[i] += e
    return try loss(layer, xp, states)
  }
  assertClose(grads.input.scalars, dx, tol: tol, "\(what) dx", file: file, line: line)
  if let states {
    for k in states.indices {
      let ds = try numeric(states[k].count) { i, e in
        var sp = states
        sp[k].scalars[i] += e
        return try loss(layer, x, sp)
      }
      assertClose(
        grads.initialStates[k].scalars, ds, tol: tol, "\(what) dState[\(k)]", file: file, line: line
      )
    }
  }
  let w0 = layer.weights.flat
  let dw = try numeric(w0.count) { i, e in
    var lp = layer
    var w = w0
    w[i] += e
    lp.weights.flat = w
    return try loss(lp, x, states)
  }
  assertClose(grads.weights.flat, dw, tol: tol, "\(what) dWeights", file: file, line: line)
}

/// The shapes of the states of `layer`, found by a dry run.
func stateShapes<L: SequenceLayer>(_ layer: L, batch: Int, time: Int) throws -> [[Int]] {
  var none = NoRandomness()
  let x = Tensor<L.Scalar>(zeros: [batch, time, layer.inputSize])
  return try layer.forward(x, initialState: nil, mask: nil, training: false, generator: &none).0
    .states.map(\.shape)
}

// MARK: - Building layers from PyTorch fixtures

/// Makes one direction's cell from the fixture's weights with suffix `_l{layer}[_reverse]`.
func fixtureWeights<S: TensorScalar>(_ c: TorchCase, layer: Int, reverse: Bool) -> RecurrentWeights<
  S
> {
  let suffix = "_l\(layer)" + (reverse ? "_reverse" : "")
  return RecurrentWeights(
    weightIH: c.params["weight_ih" + suffix]!.tensor(),
    weightHH: c.params["weight_hh" + suffix]!.tensor(),
    biasIH: c.params["bias_ih" + suffix]!.tensor(), biasHH: c.params["bias_hh" + suffix]!.tensor())
}

/// The fixture's initial states in our order: layer by layer, direction by direction, `h` then
/// `c`.
func fixtureStates<S: TensorScalar>(_ c: TorchCase, _ h: FixtureTensor, _ cc: FixtureTensor?)
  -> [Tensor<S>]
{
  let dirs = c.bidirectional ? 2 : 1
  var out: [Tensor<S>] = []
  for k in 0..<(c.layers * dirs) {
    out.append(h.slice(k))
    if let cc { out.append(cc.slice(k)) }
  }
  return out
}

/// Runs the fixture case through `layer` (a stack built from the fixture) and compares outputs,
/// final states and every gradient with PyTorch's.
func checkAgainstTorch<L: SequenceLayer>(
  _ layer: L, _ c: TorchCase, tol: Double, file: StaticString = #filePath, line: UInt = #line
) throws where L.Weights == [RecurrentWeights<L.Scalar>] {
  try checkAgainstTorchFlat(
    layer, c, weightNames: (0..<c.layers).map { ["_l\($0)"] }, flatWeights: { $0 }, tol: tol,
    file: file, line: line)
}

func checkAgainstTorch<L: SequenceLayer>(
  _ layer: L, _ c: TorchCase, tol: Double, file: StaticString = #filePath, line: UInt = #line
) throws where L.Weights == [BidirectionalWeights<L.Scalar>] {
  try checkAgainstTorchFlat(
    layer, c, weightNames: (0..<c.layers).map { ["_l\($0)", "_l\($0)_reverse"] },
    flatWeights: { $0.flatMap { [$0.forward, $0.backward] } }, tol: tol, file: file, line: line)
}

func checkAgainstTorchFlat<L: SequenceLayer>(
  _ layer: L, _ c: TorchCase, weightNames: [[String]],
  flatWeights: (L.Weights) -> [RecurrentWeights<L.Scalar>], tol: Double, file: StaticString,
  line: UInt
) throws {
  let x: Tensor<L.Scalar> = c.x.tensor()
  let states: [Tensor<L.Scalar>] = fixtureStates(c, c.h0, c.c0)
  var none = NoRandomness()
  let mask = c.lengths.map { SequenceMask(lengths: $0) }
  let (result, record) = try layer.forward(
    x, initialState: states, mask: mask, training: false, generator: &none)
  assertClose(
    result.output.scalars, c.out.data, tol: tol, "\(c.name) output", file: file, line: line)
  let expectedStates: [Tensor<Double>] = fixtureStates(c, c.h_n, c.c_n)
  for (k, (s, e)) in zip(result.states, expectedStates).enumerated() {
    assertClose(s.scalars, e.scalars, tol: tol, "\(c.name) state \(k)", file: file, line: line)
  }
  let grads = try layer.backward(
    record, gradOutputs: [c.grad_out.tensor()],
    gradStates: fixtureStates(c, c.grad_h, c.grad_c) as [Tensor<L.Scalar>])
  assertClose(
    grads.input.scalars, c.grads["x"]!.data, tol: tol, "\(c.name) dx", file: file, line: line)
  let dStates: [Tensor<Double>] = fixtureStates(c, c.grads["h0"]!, c.grads["c0"])
  for (k, (s, e)) in zip(grads.initialStates, dStates).enumerated() {
    assertClose(s.scalars, e.scalars, tol: tol, "\(c.name) dState \(k)", file: file, line: line)
  }
  let ours = flatWeights(grads.weights)
  for (w, suffix) in zip(ours, weightNames.flatMap { $0 }) {
    for (name, t) in [
      ("weight_ih", w.weightIH), ("weight_hh", w.weightHH), ("bias_ih", w.biasIH),
      ("bias_hh", w.biasHH),
    ] {
      assertClose(
        t.scalars, c.grads[name + suffix]!.data, tol: tol, "\(c.name) d\(name + suffix)",
        file: file,
        line: line)
    }
  }
}

/// Builds the fixture's network as a stack of unidirectional layers and checks it.
func checkTorchCase<Cell: RecurrentCell>(
  _ c: TorchCase, _: Cell.Scalar.Type, tol: Double,
  makeCell: (RecurrentWeights<Cell.Scalar>) throws -> Cell, file: StaticString = #filePath,
  line: UInt = #line
) throws {
  if c.bidirectional {
    let layers = try (0..<c.layers).map { l in
      Bidirectional(
        forward: RecurrentLayer(cell: try makeCell(fixtureWeights(c, layer: l, reverse: false))),
        backward: RecurrentLayer(cell: try makeCell(fixtureWeights(c, layer: l, reverse: true))),
        merge: .concat)
    }
    var stack = RecurrentStack(layers)
    stack.returnSequences = true
    try checkAgainstTorch(stack, c, tol: tol, file: file, line: line)
  } else {
    let layers = try (0..<c.layers).map { l in
      RecurrentLayer(cell: try makeCell(fixtureWeights(c, layer: l, reverse: false)))
    }
    var stack = RecurrentStack(layers)
    stack.returnSequences = true
    try checkAgainstTorch(stack, c, tol: tol, file: file, line: line)
  }
}

// MARK: - Tests of the generic loop

final class RecurrentLayerTests: XCTestCase {
  func testLastOutputIsLastStepOfSequenceAndFinalState() throws {
    var rng = TestRNG(seed: 3)
    var layer = GRU<Double>(inputSize: 3, hiddenSize: 4, generator: &rng)
    let x: Tensor<Double> = randomTensor([2, 5, 3], &rng)
    layer.returnSequences = true
    let sequence = try layer(x)
    layer.returnSequences = false
    let last = try layer(x)
    XCTAssertEqual(last.shape, [2, 4])
    for b in 0..<2 {
      XCTAssertEqual(
        Array(last.scalars[(b * 4)..<(b * 4 + 4)]),
        Array(sequence.scalars[((b * 5 + 4) * 4)..<((b * 5 + 4) * 4 + 4)]))
    }
  }

  func testBadInputsThrowErrorsThatNameTheFix() throws {
    var rng = TestRNG(seed: 1)
    let lstm = LSTM<Float>(inputSize: 3, hiddenSize: 2, generator: &rng)
    XCTAssertThrowsError(try lstm(Tensor(zeros: [2, 4, 5]))) { error in
      XCTAssertEqual("\(error)", "input must have shape [B, T, 3], received [2, 4, 5]")
    }
    XCTAssertThrowsError(
      try lstm(Tensor(zeros: [2, 4, 3]), initialState: [Tensor(zeros: [2, 2])])
    ) { error in
      XCTAssert("\(error)".contains("initialState must hold 2 tensor(s)"), "\(error)")
    }
    XCTAssertThrowsError(try lstm(Tensor(zeros: [2, 4, 3]), mask: SequenceMask(lengths: [4, 5]))) {
      error in
      XCTAssertEqual("\(error)", "lengths[1] must be in 0...4 (the input's T), received 5")
    }
    XCTAssertThrowsError(
      try LSTMCell<Float>(
        inputSize: 3, hiddenSize: 2,
        weights: RecurrentWeights(zerosGates: 4, inputSize: 4, hiddenSize: 2))
    ) { error in
      XCTAssertEqual("\(error)", "weightIH must have shape [8, 3], received [8, 4]")
    }
  }

  func testStackGradientsMatchFiniteDifferences() throws {
    var rng = TestRNG(seed: 8)
    let stack = RecurrentStack([
      LSTM<Double>(inputSize: 2, hiddenSize: 3, generator: &rng),
      LSTM<Double>(inputSize: 3, hiddenSize: 2, goBackwards: true, generator: &rng),
    ])
    try checkGradients(stack, batch: 2, time: 3, mask: SequenceMask(lengths: [3, 2]), "stack")
  }
}

final class RecurrentLayerProtocolTests: XCTestCase {
  /// Through the `Layer` protocol: lazy build, mask from Embedding(maskZero:), and the backward
  /// closure equal to the explicit backward pass.
  func testLayerProtocolMatchesExplicitCalls() throws {
    var rng = TestRNG(seed: 61)
    var emb = Embedding<Double>(inputDim: 6, outputDim: 3, maskZero: true, generator: &rng)
    try emb.build(inputShape: [4], generator: &rng)
    var lstm = LSTM<Double>(units: 2, returnSequences: true)
    XCTAssertFalse(lstm.isBuilt)
    try lstm.build(inputShape: [4, 3], generator: &rng)
    XCTAssertTrue(lstm.isBuilt)
    XCTAssertEqual(lstm.parameters.map(\.shape), [[8, 3], [8, 2], [8], [8]])
    XCTAssertEqual(
      lstm.parameterNames, ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"])
    XCTAssertEqual(try lstm.outputShape(inputShape: [4, 3]), [4, 2])
    XCTAssertEqual(lstm.cell.weights.biasIH.scalars[2..<4], [1, 1])  // Keras' unit forget bias

    let ids = Tensor<Double>(shape: [2, 4], scalars: [3, 1, 0, 0, 5, 0, 2, 4])
    let embedded = try emb.forward(ids, mask: nil, training: false, generator: &rng)
    let f = try lstm.forward(embedded.output, mask: embedded.mask, training: false, generator: &rng)
    XCTAssertEqual(f.mask?.scalars, embedded.mask?.scalars)
    var none = NoRandomness()
    let (explicit, record) = try lstm.forward(
      embedded.output,
      mask: SequenceMask(mask: [[true, true, false, false], [true, false, true, true]]),
      training: false, generator: &none)
    XCTAssertEqual(f.output.scalars, explicit.output.scalars)
    let dy: Tensor<Double> = randomTensor([2, 4, 2], &rng)
    let viaLayer = f.backward(dy)
    let g = try lstm.backward(record, gradOutput: dy)
    XCTAssertEqual(viaLayer.input?.scalars, g.input.scalars)
    XCTAssertEqual(viaLayer.parameters.map(\.scalars), g.weights.tensors.map(\.scalars))
  }

  func testBidirectionalAndStackAsLayers() throws {
    var rng = TestRNG(seed: 62)
    var stack = RecurrentStack([
      Bidirectional(GRU<Float>(units: 3, returnSequences: true)),
      Bidirectional(GRU<Float>(units: 2), merge: .sum),
    ])
    try stack.build(inputShape: [5, 4], generator: &rng)
    XCTAssertEqual(try stack.outputShape(inputShape: [5, 4]), [2])
    XCTAssertEqual(
      stack.parameterNames.filter { $0.hasPrefix("weight_ih") },
      ["weight_ih_l0", "weight_ih_l0_reverse", "weight_ih_l1", "weight_ih_l1_reverse"])
    XCTAssertEqual(stack.parameters[8].shape, [6, 6])  // layer 1 reads [fw | bw] = 6 features
    let x: Tensor<Float> = randomTensor([3, 5, 4], &rng)
    let f = try stack.forward(x, mask: nil, training: false, generator: &rng)
    XCTAssertEqual(f.output.shape, [3, 2])
    let g = f.backward(Tensor(repeating: 1, shape: [3, 2]))
    XCTAssertEqual(g.parameters.map(\.shape), stack.parameters.map(\.shape))
    XCTAssertEqual(g.input?.shape, [3, 5, 4])
  }
}

/// The fused C kernels (Float) against the Swift reference loops they replace.
final class RecurrentKernelTests: XCTestCase {
  func compareKernelsWithReference<L: SequenceLayer>(
    _ layer: L, batch: Int = 3, _ what: String
  ) throws
  where L.Scalar == Float, L.Weights: FlatParameters, L.Weights.Scalar == Float {
    var rng = TestRNG(seed: 71)
    let x: Tensor<Float> = randomTensor([batch, 5, layer.inputSize], &rng)
    let shapes = try stateShapes(layer, batch: batch, time: 5)
    let lengths = [5, 2, 4, 1, 3, 5, 5, 0, 2][..<batch]
    let h0: [Tensor<Float>] = shapes.map { randomTensor($0, &rng) }
    func run() throws -> [[Float]] {
      var none = NoRandomness()
      let (r, record) = try layer.forward(
        x, initialState: h0, mask: SequenceMask(lengths: Array(lengths)), training: false,
        generator: &none)
      var g = TestRNG(seed: 72)
      let gOut: Tensor<Float> = randomTensor(r.output.shape, &g)
      let grads = try layer.backward(record, gradOutputs: [gOut], gradStates: [])
      return [r.output.scalars, grads.input.scalars, grads.weights.flat]
        + r.states.map(\.scalars) + grads.initialStates.map(\.scalars)
    }
    let fast = try run()
    RNNKernels.enabled = false
    defer { RNNKernels.enabled = true }
    let reference = try run()
    for (k, (a, b)) in zip(fast, reference).enumerated() {
      assertClose(a, b.map(Double.init), tol: 2e-5, "\(what) tensor \(k)")
    }
  }

  func testFusedKernelsMatchSwiftReference() throws {
    var rng = TestRNG(seed: 70)
    // H = 37: two AVX-512 vectors (or four AVX2 vectors) plus a scalar tail.
    try compareKernelsWithReference(
      LSTM<Float>(inputSize: 6, hiddenSize: 37, returnSequences: true, generator: &rng), "lstm")
    try compareKernelsWithReference(
      GRU<Float>(
        inputSize: 6, hiddenSize: 37, returnSequences: true, goBackwards: true,
        generator: &rng), "gru")
    try compareKernelsWithReference(
      LSTM<Float>(inputSize: 6, hiddenSize: 3, generator: &rng), "lstm tiny")
    // Batch 1 (the one-row kernel, 128 columns at a time) and 9 rows (6 + 3 row blocks).
    try compareKernelsWithReference(
      LSTM<Float>(inputSize: 5, hiddenSize: 40, returnSequences: true, generator: &rng), batch: 1,
      "lstm batch 1")
    try compareKernelsWithReference(
      SimpleRNN<Float>(inputSize: 5, hiddenSize: 33, returnSequences: true, generator: &rng),
      batch: 9, "rnn batch 9")
    try compareKernelsWithReference(
      GRU<Float>(inputSize: 5, hiddenSize: 50, generator: &rng), batch: 9, "gru batch 9")
  }
}

/// The layers as one coarse op on the autodiff tape, checked with the tensor helper's
/// finite-difference checker (every input: x, initial states, every parameter).
final class RecurrentTapeTests: XCTestCase {
  func tapeCheck<L: SequenceLayer & Layer>(
    _ layer: L, batch: Int, time: Int, mask: SequenceMask?, training: Bool, _ what: String
  ) throws where L.Scalar == Double {
    var rng = TestRNG(seed: 81)
    let x: Tensor<Double> = randomTensor([batch, time, layer.inputSize], &rng)
    let shapes = try stateShapes(layer, batch: batch, time: time)
    let states: [Tensor<Double>] = shapes.map { randomTensor($0, &rng) }
    var probeRNG = TestRNG(seed: 82)
    var none = NoRandomness()
    let outShape = try layer.forward(
      x, initialState: nil, mask: nil, training: false, generator: &none
    ).0.output.shape
    let probes: [Tensor<Double>] =
      [randomTensor(outShape, &probeRNG)] + shapes.map { randomTensor($0, &probeRNG) }
    let n = states.count
    let result = try checkGradients(at: [x] + states + layer.parameters) { v in
      var dropout = TestRNG(seed: 83)  // the same masks at every evaluation
      let (outputs, finals) = try layer(
        v[0], initialState: Array(v[1..<(1 + n)]), parameters: Array(v[(1 + n)...]), mask: mask,
        training: training, generator: &dropout)
      var loss = (outputs[0] * Variable(probes[0])).sum()
      for (k, s) in finals.enumerated() { loss = loss + (s * Variable(probes[k + 1])).sum() }
      return loss
    }
    XCTAssertTrue(result.passed, "\(what): \(result)")
    XCTAssertGreaterThan(result.checkedCount, x.count)
  }

  func testTapeOpMatchesFiniteDifferences() throws {
    var rng = TestRNG(seed: 80)
    try tapeCheck(
      LSTM<Double>(
        inputSize: 3, hiddenSize: 2, returnSequences: true, dropout: 0.2, recurrentDropout: 0.3,
        generator: &rng), batch: 3, time: 3, mask: SequenceMask(lengths: [3, 0, 2]),
      training: true, "lstm")
    try tapeCheck(
      RecurrentStack([
        Bidirectional(
          forward: GRU<Double>(inputSize: 2, hiddenSize: 2, returnSequences: true, generator: &rng),
          backward: GRU<Double>(inputSize: 2, hiddenSize: 2, generator: &rng)),
        Bidirectional(
          forward: GRU<Double>(inputSize: 4, hiddenSize: 2, resetAfter: false, generator: &rng),
          backward: GRU<Double>(inputSize: 4, hiddenSize: 2, resetAfter: false, generator: &rng),
          merge: .sum),
      ]), batch: 2, time: 3, mask: SequenceMask(lengths: [1, 3]), training: false, "stack")
  }

  func testTapeGradientsByPyTorchName() throws {
    var rng = TestRNG(seed: 84)
    let gru = GRU<Float>(inputSize: 3, hiddenSize: 4, generator: &rng)
    let tape = Tape<Float>()
    let params = zip(gru.parameters, gru.parameterNames).map { tape.variable($0, name: $1) }
    let x: Tensor<Float> = randomTensor([2, 5, 3], &rng)
    let (outputs, states) = try gru(tape.variable(x), parameters: params, generator: &rng)
    XCTAssertEqual(states.count, 1)
    let grads = tape.gradients(of: outputs[0].sum())
    var none = NoRandomness()
    let (_, record) = try gru.forward(x, training: false, generator: &none)
    let direct = try gru.backward(record, gradOutput: Tensor(repeating: 1, shape: [2, 4]))
    XCTAssertEqual(grads.named["weight_hh_l0"]?.scalars, direct.weights.weightHH.scalars)
    XCTAssertEqual(grads.named["bias_ih_l0"]?.scalars, direct.weights.biasIH.scalars)
  }
}
