import RecurrentLayers
import RecurrentTensor
import XCTest

final class MergeTests: XCTestCase {
  func testConcatenateForwardBackwardOnEveryAxis() throws {
    let a = Tensor<Double>(shape: [2, 1, 3], scalars: randomDoubles(6, seed: 1))
    let b = Tensor<Double>(shape: [2, 2, 3], scalars: randomDoubles(12, seed: 2))
    let y = try Concatenate(axis: 1).forward([a, b])
    XCTAssertEqual(y.shape, [2, 3, 3])
    XCTAssertEqual(Array(y.scalars[0..<3]), Array(a.scalars[0..<3]))
    XCTAssertEqual(Array(y.scalars[3..<9]), Array(b.scalars[0..<6]))
    // The objective Σ y ⊙ R is linear, so each input's gradient is R restricted to its part;
    // compare with finite differences through forward.
    let r = randomDoubles(18, seed: 3)
    let grads = Concatenate(axis: 1).backward(
      Tensor(shape: y.shape, scalars: r), inputShapes: [a.shape, b.shape])
    for (k, x) in [a, b].enumerated() {
      let numeric = try numericalGradient(x.scalars) { values in
        var inputs = [a, b]
        inputs[k] = Tensor(shape: x.shape, scalars: values)
        return zip(try Concatenate(axis: 1).forward(inputs).scalars, r).reduce(0) {
          $0 + $1.0 * $1.1
        }
      }
      assertClose(grads[k].scalars, numeric, tol: 1e-8, "concat input \(k)")
    }
    let last = try Concatenate().forward([
      Tensor<Float>(shape: [2, 1], scalars: [1, 2]), Tensor(shape: [2, 2], scalars: [3, 4, 5, 6]),
    ])
    XCTAssertEqual(last.scalars, [1, 3, 4, 2, 5, 6])
    XCTAssertThrowsError(try Concatenate().forward([a, Tensor<Double>(zeros: [3, 1, 3])]))
  }

  func testAdd() throws {
    let a = Tensor<Float>(shape: [2], scalars: [1, 2])
    let y = try Add().forward([a, a, a])
    XCTAssertEqual(y.scalars, [3, 6])
    XCTAssert(Add().backward(y, inputCount: 2).allSatisfy { same($0, y) })
    XCTAssertThrowsError(try Add().forward([a, Tensor<Float>(zeros: [3])]))
  }
}
