import Foundation
import RecurrentTensor
import XCTest

/// Collects per-caller results from concurrent closures.
private final class ResultBox: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [[UInt32]]
  init(count: Int) { values = Array(repeating: [], count: count) }
  func set(_ i: Int, _ v: [UInt32]) { lock.withLock { values[i] = v } }
  func get(_ i: Int) -> [UInt32] { lock.withLock { values[i] } }
}

/// The portable GEMM (every SIMD level this CPU runs) and the OpenBLAS route against a Double
/// reference: all transpose combinations, odd sizes that leave edge tiles, several k blocks,
/// leading dimensions wider than the matrices, alpha/beta; and bit-identical results for any
/// thread count.
final class KernelGemmTests: XCTestCase {
  /// A deterministic problem with padded storage: the padding is filled with a sentinel that must
  /// survive the product untouched.
  struct Problem {
    var transposeA: Bool, transposeB: Bool
    var m: Int, n: Int, k: Int, pad: Int
    var alpha: Float, beta: Float
    var lda: Int { Swift.max(1, (transposeA ? m : k) + pad) }
    var ldb: Int { Swift.max(1, (transposeB ? k : n) + pad) }
    var ldc: Int { Swift.max(1, n + pad) }
    var a: [Float] = [], b: [Float] = [], c: [Float] = []

    init(
      _ transposeA: Bool, _ transposeB: Bool, _ m: Int, _ n: Int, _ k: Int, pad: Int = 0,
      alpha: Float = 1, beta: Float = 0
    ) {
      (self.transposeA, self.transposeB, self.m, self.n, self.k) = (transposeA, transposeB, m, n, k)
      (self.pad, self.alpha, self.beta) = (pad, alpha, beta)
      var state = UInt64(truncatingIfNeeded: m &* 1_000_003 &+ n &* 10_007 &+ k &* 101 &+ pad)
      func next() -> Float {  // LCG: fixed numbers on every platform
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(Int((state >> 40) % 2001) - 1000) / 1000
      }
      a = (0..<((transposeA ? k : m) * lda)).map { _ in next() }
      b = (0..<((transposeB ? n : k) * ldb)).map { _ in next() }
      c = (0..<(m * ldc)).map { _ in next() }
    }

    func elementA(_ i: Int, _ p: Int) -> Double {
      Double(transposeA ? a[p * lda + i] : a[i * lda + p])
    }
    func elementB(_ p: Int, _ j: Int) -> Double {
      Double(transposeB ? b[j * ldb + p] : b[p * ldb + j])
    }

    /// Runs `Kernels.gemm` with `configuration` and returns the whole padded C.
    func run(_ configuration: KernelConfiguration) -> [Float] {
      var out = c
      Kernels.gemm(
        transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a,
        lda: lda, b: b, ldb: ldb, beta: beta, c: &out, ldc: ldc, configuration: configuration)
      return out
    }

    /// Checks `out` against the Double product (error bound scaled by Σ|a·b|) and the padding.
    func check(_ out: [Float], _ label: String, file: StaticString = #filePath, line: UInt = #line)
    {
      var failures = 0
      for i in 0..<m {
        for j in 0..<ldc {
          let got = out[i * ldc + j]
          if j >= n {
            if got.bitPattern != c[i * ldc + j].bitPattern { failures += 1 }
            continue
          }
          var sum = 0.0, magnitude = 0.0
          for p in 0..<k {
            let t = elementA(i, p) * elementB(p, j)
            sum += t
            magnitude += abs(t)
          }
          let old = Double(c[i * ldc + j])
          let expected = Double(alpha) * sum + (beta == 0 ? 0 : Double(beta) * old)
          let bound =
            4e-7 * (Double(k) + 2) * (abs(Double(alpha)) * magnitude + abs(Double(beta) * old))
            + 1e-30
          if abs(Double(got) - expected) > bound {
            failures += 1
            if failures <= 3 {
              XCTFail(
                "\(label): C[\(i),\(j)] = \(got), expected \(expected)", file: file, line: line)
            }
          }
        }
      }
      XCTAssertEqual(failures, 0, "\(label): \(failures) wrong elements", file: file, line: line)
    }

    var label: String {
      "tA \(transposeA) tB \(transposeB) \(m)×\(n)×\(k) pad \(pad) alpha \(alpha) beta \(beta)"
    }
  }

  /// Every transpose combination over sizes that leave partial tiles at every level (MR 4/6/8,
  /// NR 8/16/32), with and without padding, for three alpha/beta pairs.
  static func smallProblems() -> [Problem] {
    var problems: [Problem] = []
    let sizes = [1, 7, 17, 33]
    let scalings: [(Float, Float)] = [(1, 0), (1.5, 1), (-0.5, 0.25)]
    var s = 0
    for ta in [false, true] {
      for tb in [false, true] {
        for m in sizes {
          for n in sizes {
            for k in [1, 7, 33] {
              let (alpha, beta) = scalings[s % 3]
              problems.append(Problem(ta, tb, m, n, k, pad: s % 2 * 3, alpha: alpha, beta: beta))
              s += 1
            }
          }
        }
      }
    }
    return problems
  }

  /// Larger shapes: several k blocks (KC = 256), several row blocks (MC ≤ 144), n > NC (2048).
  static func blockProblems() -> [Problem] {
    [
      Problem(false, false, 65, 40, 300, pad: 1, alpha: 1, beta: 0.5),
      Problem(true, true, 150, 20, 260, pad: 2, alpha: 2, beta: 0),
      Problem(false, true, 3, 2100, 5, pad: 0, alpha: 1, beta: 1),
      Problem(true, false, 17, 65, 513, pad: 5, alpha: -1, beta: 0),
    ]
  }

  func levels() -> [SIMDLevel] { SIMDLevel.allCases.filter(\.isSupported) }

  func testPortableMatchesDoubleReferenceAtEverySIMDLevel() {
    for level in levels() {
      let config = KernelConfiguration(backend: .portable, threads: 2, simdLevel: level)
      for problem in Self.smallProblems() + Self.blockProblems() {
        problem.check(problem.run(config), "\(level) \(problem.label)")
      }
    }
  }

  func testBetaZeroIgnoresNaNInOutput() {
    var problem = Problem(false, false, 9, 19, 5)
    problem.c = [Float](repeating: .nan, count: problem.c.count)
    for level in levels() {
      let out = problem.run(KernelConfiguration(backend: .portable, threads: 1, simdLevel: level))
      XCTAssertFalse(out.contains { $0.isNaN }, "\(level)")
    }
  }

  func testZeroSizesAndZeroAlpha() {
    let config = KernelConfiguration(backend: .portable, threads: 2)
    // k == 0 and alpha == 0 only scale C by beta.
    var p = Problem(false, false, 3, 4, 0, alpha: 1, beta: 0.5)
    XCTAssertEqual(p.run(config), p.c.map { $0 * 0.5 })
    p = Problem(false, false, 3, 4, 2, alpha: 0, beta: 0)
    XCTAssertEqual(p.run(config), [Float](repeating: 0, count: 12))
    p = Problem(false, false, 0, 4, 2)
    XCTAssertEqual(p.run(config), p.c)
  }

  /// m·n·k above the parallel threshold for GEMM and both matrix–vector forms: 1, 2 and 3
  /// threads give the same bits.
  func testThreadCountDoesNotChangeBits() {
    XCTAssertGreaterThan(130 * 131 * 200, KernelConfiguration.parallelThreshold)
    let problems = [
      Problem(false, false, 130, 131, 200, pad: 1, alpha: 1, beta: 0.5),
      Problem(true, true, 40, 300, 180, alpha: 0.5, beta: 0),
      Problem(false, false, 1, 2100, 1000, alpha: 1, beta: 0),
      Problem(false, false, 2100, 1, 1000, pad: 2, alpha: 1, beta: 0.5),
    ]
    // The detected level only: these shapes are slow in a debug build (C at -O0).
    for level in [SIMDLevel.detected] {
      for problem in problems {
        let one = problem.run(KernelConfiguration(backend: .portable, threads: 1, simdLevel: level))
        for threads in [2, 3] {
          let many = problem.run(
            KernelConfiguration(backend: .portable, threads: threads, simdLevel: level))
          XCTAssertEqual(
            one.map(\.bitPattern), many.map(\.bitPattern),
            "\(level) \(threads) threads \(problem.label)")
        }
      }
    }
  }

  /// Several threads calling gemm at once: one gets the worker pool, the others run inline
  /// (rk_parallel_for's busy path); every result must still be the single-thread bits.
  func testConcurrentCallersGetIdenticalResults() {
    let problem = Problem(false, true, 130, 131, 200, alpha: 1, beta: 0)
    let config = KernelConfiguration(backend: .portable, threads: 2)
    let expected = problem.run(KernelConfiguration(backend: .portable, threads: 1)).map(
      \.bitPattern)
    let results = ResultBox(count: 4)
    DispatchQueue.concurrentPerform(iterations: 4) { i in
      results.set(i, problem.run(config).map(\.bitPattern))
    }
    for i in 0..<4 { XCTAssertEqual(results.get(i), expected, "caller \(i)") }
  }

  func testOpenBLASMatchesDoubleReference() throws {
    guard ComputeBackend.openblas.isAvailable else {
      throw XCTSkip("libopenblas.so.0 is not installed; the OpenBLAS route cannot be tested here")
    }
    let config = KernelConfiguration(backend: .openblas, threads: 2)
    XCTAssertEqual(config.effectiveBackend, .openblas)
    for problem in Self.smallProblems() + Self.blockProblems() {
      problem.check(problem.run(config), "openblas \(problem.label)")
    }
  }

  func testUnavailableBackendFallsBackToPortable() {
    #if !canImport(Accelerate)
      let config = KernelConfiguration(backend: .accelerate, threads: 1)
      XCTAssertEqual(config.effectiveBackend, .portable)
      let problem = Problem(true, false, 7, 9, 11, alpha: 1, beta: 0)
      problem.check(problem.run(config), "accelerate fallback")
    #endif
  }

  func testFloatGemmFollowsTaskLocalConfiguration() {
    let problem = Problem(false, true, 17, 33, 7, pad: 2, alpha: 1, beta: 0.5)
    for backend in ComputeBackend.allCases where backend.isAvailable {
      let config = KernelConfiguration(backend: backend, threads: 1)
      KernelConfiguration.$current.withValue(config) {
        XCTAssertEqual(KernelConfiguration.current, config)
        var out = problem.c
        Float.gemm(
          transposeA: problem.transposeA, transposeB: problem.transposeB, m: problem.m,
          n: problem.n, k: problem.k, alpha: problem.alpha, a: problem.a, lda: problem.lda,
          b: problem.b, ldb: problem.ldb, beta: problem.beta, c: &out, ldc: problem.ldc)
        problem.check(out, "Float.gemm \(backend)")
      }
    }
  }
}
