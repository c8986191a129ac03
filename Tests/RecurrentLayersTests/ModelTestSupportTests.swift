// Shared test helpers for the training tests: fixture loading, tensors from fixture arrays,
// closeness assertions and a central finite-difference gradient check in Double.
import Foundation
import RecurrentLayers
import RecurrentTensor
import XCTest

/// A parsed JSON fixture written by Tools/make_training_fixtures.py.
struct Fixture {
  let root: [String: Any]

  init(_ name: String) throws {
    guard
      let url = Bundle.module.url(
        forResource: name, withExtension: "json", subdirectory: "Fixtures")
    else { throw XCTSkip("fixture \(name).json missing from the test bundle") }
    let data = try Data(contentsOf: url)
    root = try JSONSerialization.jsonObject(with: data) as! [String: Any]
  }

  /// The `cases` dictionary, sorted by name so failures come in a stable order.
  var cases: [(String, [String: Any])] {
    (root["cases"] as! [String: Any]).map { ($0.key, $0.value as! [String: Any]) }
      .sorted { $0.0 < $1.0 }
  }
}

func doubles(_ any: Any?) -> [Double] { (any as! [Any]).map { ($0 as! NSNumber).doubleValue } }

/// A tensor from a fixture `{"shape": [...], "values": [...]}` object.
func tensor<S: TensorScalar>(_ any: Any?, as: S.Type = S.self) -> Tensor<S> {
  let d = any as! [String: Any]
  let shape = (d["shape"] as! [Any]).map { ($0 as! NSNumber).intValue }
  return Tensor(shape: shape, scalars: doubles(d["values"]).map { S($0) })
}

func assertClose<S: TensorScalar>(
  _ a: [S], _ b: [Double], tol: Double, _ message: String = "",
  file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertEqual(a.count, b.count, "count: \(message)", file: file, line: line)
  var worst = 0.0
  var at = -1
  for i in 0..<min(a.count, b.count) {
    let err = abs(Double(a[i]) - b[i]) / max(1, abs(b[i]))
    if !(err <= worst) { worst = err.isNaN ? .infinity : err; at = i }
  }
  XCTAssert(
    worst <= tol,
    "\(message): max error \(worst) at \(at) (\(at >= 0 ? Double(a[at]) : 0) "
      + "vs \(at >= 0 ? b[at] : 0)), tolerance \(tol)", file: file, line: line)
}

/// Central finite differences of `f` at `x` (Double, step `h`).
func numericalGradient(_ x: [Double], h: Double = 1e-6, _ f: ([Double]) throws -> Double) rethrows
  -> [Double]
{
  var g = [Double](repeating: 0, count: x.count)
  var probe = x
  for i in x.indices {
    probe[i] = x[i] + h
    let up = try f(probe)
    probe[i] = x[i] - h
    let down = try f(probe)
    probe[i] = x[i]
    g[i] = (up - down) / (2 * h)
  }
  return g
}

/// A tiny deterministic generator for tests (SplitMix64).
struct TestGenerator: RandomNumberGenerator {
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

func randomDoubles(_ n: Int, seed: UInt64, in range: ClosedRange<Double> = -1...1) -> [Double] {
  var g = TestGenerator(seed: seed)
  return (0..<n).map { _ in Double.random(in: range, using: &g) }
}

/// Finite-difference check of a layer's backward: the objective is `Σ output ⊙ R` for a fixed
/// random `R`; checks the input gradient (unless `checkInput` is false) and every parameter's.
func checkLayerGradients<L: Layer>(
  _ layer: L, input: Tensor<Double>, checkInput: Bool = true, tol: Double = 1e-7,
  _ message: String, file: StaticString = #filePath, line: UInt = #line
) throws where L.Scalar == Double {
  var none = TestGenerator(seed: 0)
  let f = try layer.forward(input, mask: nil, training: false, generator: &none)
  let r = randomDoubles(f.output.count, seed: 99)
  let grads = f.backward(Tensor(shape: f.output.shape, scalars: r))
  func objective(_ l: L, _ x: Tensor<Double>) throws -> Double {
    var g = TestGenerator(seed: 0)
    let y = try l.forward(x, mask: nil, training: false, generator: &g).output.scalars
    return zip(y, r).reduce(0) { $0 + $1.0 * $1.1 }
  }
  if checkInput {
    let numeric = try numericalGradient(input.scalars) {
      try objective(layer, Tensor(shape: input.shape, scalars: $0))
    }
    assertClose(
      grads.input!.scalars, numeric, tol: tol, "\(message): input", file: file, line: line)
  }
  XCTAssertEqual(grads.parameters.count, layer.parameters.count, message, file: file, line: line)
  for (k, p) in layer.parameters.enumerated() {
    let numeric = try numericalGradient(p.scalars) { values in
      var probe = layer
      probe.parameters[k] = Tensor(shape: p.shape, scalars: values)
      return try objective(probe, input)
    }
    assertClose(
      grads.parameters[k].scalars, numeric, tol: tol,
      "\(message): \(layer.parameterNames[k])", file: file, line: line)
  }
}

/// Exact equality of shape and elements (Tensor is not Equatable in RecurrentTensor).
func same<S: TensorScalar>(_ a: Tensor<S>, _ b: Tensor<S>) -> Bool {
  a.shape == b.shape && a.scalars == b.scalars
}
