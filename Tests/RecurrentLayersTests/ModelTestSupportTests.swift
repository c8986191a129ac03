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
