import Foundation
import XCTest
import _RecurrentTestSupport

@testable import RecurrentTensor

final class RandomTests: XCTestCase {
  func testMatchesIndependentReferenceImplementation() throws {
    // Fixtures/random_reference.json: xoshiro256** + SplitMix64 seeding transcribed from the
    // authors' C code into Python (Tools/make_tensor_fixtures.py).
    let data = try Data(contentsOf: fixtureURL("random_reference.json"))
    let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    let raw = try XCTUnwrap(json["xoshiro_seed42"] as? [String]).map { UInt64($0)! }
    var rng = RandomGenerator(seed: 42)
    XCTAssertEqual((0..<5).map { _ in rng.next() }, raw)
    let normals = try XCTUnwrap(json["normals_seed7"] as? [Double])
    var rng7 = RandomGenerator(seed: 7)
    for expected in normals { XCTAssertEqual(rng7.nextNormal(), expected, accuracy: 1e-14) }
  }

  func testSameSeedSameBitsAndSplitStreamsAreIndependentOfThreads() {
    var a = RandomGenerator(seed: 5)
    var b = RandomGenerator(seed: 5)
    XCTAssertEqual(
      Tensor<Float>(glorotUniform: [8, 4], using: &a),
      Tensor<Float>(glorotUniform: [8, 4], using: &b))
    var c = RandomGenerator(seed: 6)
    XCTAssertNotEqual(Tensor<Float>(normal: [8], using: &a), Tensor<Float>(normal: [8], using: &c))

    // Four streams split from one seed, filled on concurrent threads, equal the serial fill.
    func streams() -> [RandomGenerator] {
      var root = RandomGenerator(seed: 99)
      return (0..<4).map { _ in root.split() }
    }
    var serial = streams()
    let expected = (0..<4).map { Tensor<Float>(normal: [64], using: &serial[$0]) }
    let lock = NSLock()
    nonisolated(unsafe) var parallel = [Tensor<Float>?](repeating: nil, count: 4)
    let seeds = streams()
    DispatchQueue.concurrentPerform(iterations: 4) { i in
      var rng = seeds[i]
      let t = Tensor<Float>(normal: [64], using: &rng)
      lock.lock()
      parallel[i] = t
      lock.unlock()
    }
    XCTAssertEqual(parallel.map { $0! }, expected)
    XCTAssertNotEqual(expected[0], expected[1])
  }

  func testNormalAndUniformMoments() {
    var rng = RandomGenerator(seed: 1)
    let n = Tensor<Double>(normal: [20000], mean: 2, standardDeviation: 3, using: &rng)
    let mean = n.mean().scalar
    let variance = (n + -mean).map { $0 * $0 }.mean().scalar
    XCTAssertEqual(mean, 2, accuracy: 0.1)  // 4.4 standard errors
    XCTAssertEqual(variance.squareRoot(), 3, accuracy: 0.1)
    let u = Tensor<Float>(uniform: [10000], bound: 0.25, using: &rng)
    XCTAssertTrue(u.scalars.allSatisfy { $0 >= -0.25 && $0 < 0.25 })
    XCTAssertEqual(Double(u.mean().scalar), 0, accuracy: 0.01)
    XCTAssertGreaterThan(u.scalars.max()!, 0.24)
    XCTAssertLessThan(u.scalars.min()!, -0.24)
  }

  func testGlorotUniformUsesKerasFans() {
    var rng = RandomGenerator(seed: 2)
    let w = Tensor<Float>(glorotUniform: [30, 10], using: &rng)
    let limit = Float((6.0 / 40.0).squareRoot())
    XCTAssertTrue(w.scalars.allSatisfy { abs($0) <= limit })
    XCTAssertGreaterThan(w.scalars.map(abs).max()!, limit * 0.95)
  }

  func testOrthogonalHasOrthonormalColumnsOrRows() {
    var rng = RandomGenerator(seed: 3)
    for shape in [[6, 4], [4, 6], [5, 5], [2, 3, 4]] {
      let q = Tensor<Double>(orthogonal: shape, gain: 2, using: &rng)
      XCTAssertEqual(q.shape, shape)
      let flat = q.reshaped([-1, shape.last!])
      let (rows, cols) = (flat.shape[0], flat.shape[1])
      // Gram matrix over the smaller side must be gain² · I.
      let gram =
        rows >= cols ? matmul(flat, flat, transposeA: true) : matmul(flat, flat, transposeB: true)
      let k = min(rows, cols)
      var identity = Tensor<Double>(zeros: [k, k])
      for i in 0..<k { identity.scalars[i * k + i] = 4 }
      assertClose(gram, identity, tolerance: 1e-12, "orthogonal \(shape)")
    }
  }

  func testOrthogonalFactorMatchesNumpyQRWithKerasSignFix() throws {
    // Fixture: numpy.linalg.qr of a 6×4 normal matrix, Q · sign(diag R) (Keras's Orthogonal).
    let t = try Safetensors.read(contentsOf: fixtureURL("torch_ops.safetensors"), as: Double.self)
    let a = try XCTUnwrap(t["ortho_a"])
    let q = Tensor<Double>.orthonormalColumns(a.scalars, rows: 6, cols: 4)
    assertClose(
      Tensor(shape: [6, 4], scalars: q), try XCTUnwrap(t["ortho_q"]), tolerance: 1e-12, "Q")
  }
}
