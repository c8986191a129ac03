import Foundation
import RecurrentTensor
import XCTest

/// The SIMD exp / sigmoid / tanh against Foundation over a dense sweep of inputs (large |x|,
/// ±0, tiny and subnormal values, ±inf, NaN) at every SIMD level this CPU runs, and the simple
/// elementwise helpers against plain loops.
final class KernelVectorMathTests: XCTestCase {
  /// A dense, deterministic sweep: steps of 1e-4·max(1, |x|) over [-110, 110], powers of two
  /// down to the smallest subnormal, and the special values.
  static let inputs: [Float] = {
    var xs: [Float] = []
    var x: Float = -110
    while x <= 110 {
      xs.append(x)
      x += 0.0001 * Swift.max(1, abs(x))
    }
    for e in -149..<0 {
      xs.append(Float(sign: .plus, exponent: e, significand: 1))
      xs.append(Float(sign: .minus, exponent: e, significand: 1.37))
    }
    xs += [0, -0.0, .infinity, -.infinity, .nan, 88.7228, 88.72284, 88.7229, -87.33, -103.97, -104]
    xs += [0.625, -0.625, 0.62499994, 9, -9, 20, -20, 1e-8, -1e-8]
    return xs
  }()

  /// Relative error ≤ 1e-6, or within two subnormal ulps for subnormal results; NaN ⇔ NaN;
  /// infinities and signed zeros exact.
  func assertClose(
    _ got: [Float], _ reference: (Float) -> Double, _ name: String, _ level: SIMDLevel,
    file: StaticString = #filePath, line: UInt = #line
  ) {
    var failures = 0
    var worst = 0.0
    for (i, x) in Self.inputs.enumerated() {
      let want = reference(x)
      let y = got[i]
      var ok: Bool
      if want.isNaN {
        ok = y.isNaN
      } else if want.isInfinite || want == 0 {
        ok =
          Double(y) == want && (want != 0 || y.sign == Float(want).sign || abs(Double(y)) < 3e-45)
      } else {
        let error = abs(Double(y) - want)
        ok = error <= 1e-6 * abs(want) + 2.9e-45
        if abs(want) >= Double(Float.leastNormalMagnitude) {
          worst = Swift.max(worst, error / abs(want))
        }
      }
      if !ok {
        failures += 1
        if failures <= 3 {
          XCTFail("\(name) \(level) x=\(x): got \(y), want \(want)", file: file, line: line)
        }
      }
    }
    XCTAssertEqual(
      failures, 0, "\(name) \(level): \(failures) of \(Self.inputs.count) outside tolerance")
    XCTAssertLessThan(worst, 1e-6, "\(name) \(level) worst relative error")
  }

  func run(_ f: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
    var out = [Float](repeating: 0, count: Self.inputs.count)
    Self.inputs.withUnsafeBufferPointer { x in
      out.withUnsafeMutableBufferPointer { y in f(x.baseAddress!, y.baseAddress!, x.count) }
    }
    return out
  }

  func testExpSigmoidTanhMatchFoundationAtEverySIMDLevel() {
    for level in SIMDLevel.allCases where level.isSupported {
      let config = KernelConfiguration(backend: .portable, threads: 2, simdLevel: level)
      // Foundation's Float functions; sigmoid's reference is computed in Double, since the Float
      // formula 1/(1+exp(-x)) itself overflows for x < -88.7.
      assertClose(
        run { Kernels.exp($0, $1, count: $2, configuration: config) },
        { Double(Foundation.exp($0)) }, "exp", level)
      assertClose(
        run { Kernels.sigmoid($0, $1, count: $2, configuration: config) },
        { 1 / (1 + Foundation.exp(-Double($0))) }, "sigmoid", level)
      assertClose(
        run { Kernels.tanh($0, $1, count: $2, configuration: config) },
        { Double(Foundation.tanh($0)) }, "tanh", level)
    }
  }

  func testSignedZerosAndSpecialValues() {
    let x: [Float] = [0, -0.0, .infinity, -.infinity, .nan]
    var y = [Float](repeating: 7, count: x.count)
    Kernels.tanh(x, &y, count: x.count)
    XCTAssertEqual(y[0].bitPattern, Float(0).bitPattern)
    XCTAssertEqual(y[1].bitPattern, Float(-0.0).bitPattern)
    XCTAssertEqual(Array(y[2...3]), [1, -1])
    XCTAssertTrue(y[4].isNaN)
    Kernels.exp(x, &y, count: x.count)
    XCTAssertEqual(Array(y[0...3]), [1, 1, .infinity, 0])
    XCTAssertTrue(y[4].isNaN)
    Kernels.sigmoid(x, &y, count: x.count)
    XCTAssertEqual(Array(y[0...3]), [0.5, 0.5, 1, 0])
    XCTAssertTrue(y[4].isNaN)
  }

  /// In place, odd lengths (vector tails), and above the parallel threshold: same bits with 1
  /// and 2 threads, and the TensorScalar entry points agree with Kernels.
  func testInPlaceTailsAndThreadInvariance() {
    let n = 100_003
    let x = (0..<n).map { Float($0 % 2000 - 1000) / 97 }
    for level in SIMDLevel.allCases where level.isSupported {
      let one = KernelConfiguration(backend: .portable, threads: 1, simdLevel: level)
      let two = KernelConfiguration(backend: .portable, threads: 2, simdLevel: level)
      var a = x
      var b = [Float](repeating: 0, count: n)
      a.withUnsafeMutableBufferPointer {
        Kernels.tanh($0.baseAddress!, $0.baseAddress!, count: n, configuration: one)
      }
      Kernels.tanh(x, &b, count: n, configuration: two)
      XCTAssertEqual(a.map(\.bitPattern), b.map(\.bitPattern), "\(level)")
      for count in [1, 3, 5, 9, 15, 17, 31] {
        var tail = [Float](repeating: 0, count: count)
        Kernels.sigmoid(x, &tail, count: count, configuration: one)
        XCTAssertEqual(
          tail.map(\.bitPattern), Array(sigmoidPrefix(x, count, one)).map(\.bitPattern))
      }
    }
    var viaScalar = [Float](repeating: 0, count: 64)
    Float.vectorSigmoid(x, &viaScalar, count: 64)
    var viaKernels = [Float](repeating: 0, count: 64)
    Kernels.sigmoid(x, &viaKernels, count: 64)
    XCTAssertEqual(viaScalar, viaKernels)
  }

  /// Sigmoid of the first `count` elements computed inside a longer call (full vectors).
  private func sigmoidPrefix(_ x: [Float], _ count: Int, _ config: KernelConfiguration)
    -> ArraySlice<Float>
  {
    var y = [Float](repeating: 0, count: 64)
    Kernels.sigmoid(x, &y, count: 64, configuration: config)
    return y[0..<count]
  }

  func testElementwiseHelpersMatchLoops() {
    let n = 1037
    let x = (0..<n).map { Float(($0 * 37) % 101 - 50) / 7 }
    let z = (0..<n).map { Float(($0 * 53) % 89 - 44) / 5 }
    var y = [Float](repeating: 0, count: n)
    Float.vectorAdd(x, z, &y, count: n)
    XCTAssertEqual(y, zip(x, z).map { $0 + $1 })
    Float.vectorMultiply(x, z, &y, count: n)
    XCTAssertEqual(y, zip(x, z).map { $0 * $1 })
    y = z
    Float.axpy(0.75, x, &y, count: n)
    XCTAssertEqual(y, zip(x, z).map { $1 + 0.75 * $0 })
    Float.vectorRelu(x + [.nan, -0.0], &y, count: n)  // only the first n are read
    XCTAssertEqual(y, x.map { Swift.max($0, 0) })
    var withNaN: [Float] = [-1, .nan, 2]
    Float.vectorRelu(withNaN, &withNaN, count: 3)
    XCTAssertEqual(withNaN[0], 0)
    XCTAssertTrue(withNaN[1].isNaN)
    let exact = x.reduce(0.0) { $0 + Double($1) }
    XCTAssertEqual(Double(Float.vectorSum(x, count: n)), exact, accuracy: 1e-3)
    // The fixed order: 16 running partial sums (lane = index mod 16), combined pairwise.
    var lanes = [Float](repeating: 0, count: 16)
    for (i, v) in x.enumerated() { lanes[i % 16] += v }
    for width in [8, 4, 2, 1] { for l in 0..<width { lanes[l] += lanes[l + width] } }
    XCTAssertEqual(Float.vectorSum(x, count: n).bitPattern, lanes[0].bitPattern)
    XCTAssertEqual(Float.vectorMax(x, count: n), x.max())
    XCTAssertEqual(Float.vectorMax(x, count: 0), -.infinity)
    XCTAssertTrue(Float.vectorMax([1, .nan, 3], count: 3).isNaN)
  }
}
