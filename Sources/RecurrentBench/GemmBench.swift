import ArgumentParser
import Foundation
import Recurrent

/// `recurrent-bench gemm`: GFLOP/s of `Kernels.gemm` per backend on the shapes that matter for
/// recurrent layers (per-step gate products, the hoisted input projection, batch 1) plus 2048³,
/// and Gelem/s of the SIMD sigmoid/tanh over 1M floats. Backends are timed alternately inside
/// each repeat (the machine is shared), after a warm-up; the median repeat is reported.
///
/// ```
/// swift run -c release recurrent-bench gemm --json
/// {"case":"gemm","backend":"portable","m":64,"n":1024,"k":384,"threads":2,"gflops":…}
/// ```
/// Compare with `Tools/bench_gemm_reference.py` (numpy) run in the same session.
struct GemmBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gemm", abstract: "Matrix-product and elementwise-math throughput.")

  @Flag(help: "Print one JSON object per case.")
  var json = false

  @Option(help: "Threads (default: RECURRENT_THREADS, else one per processor).")
  var threads: Int?

  @Option(help: "Timed repeats per case; the median is reported.")
  var repeats = 7

  @Option(help: "Seconds per repeat (iterations are sized to fill it).")
  var seconds = 0.15

  @Option(help: "Only this backend (portable, openblas or accelerate); default: every available.")
  var backend: String?

  @Option(help: "Shapes as m,n,k separated by ';' (default: the standard five).")
  var shapes: String?

  func validate() throws {
    if let threads, threads < 1 {
      throw ValidationError("--threads must be ≥ 1, received \(threads)")
    }
    if repeats < 1 { throw ValidationError("--repeats must be ≥ 1, received \(repeats)") }
    if let backend {
      guard let b = ComputeBackend(rawValue: backend) else {
        throw ValidationError("--backend \(backend) is not portable, openblas or accelerate")
      }
      guard b.isAvailable else {
        throw ValidationError("--backend \(backend) is not available here")
      }
    }
    _ = try parsedShapes()
  }

  func parsedShapes() throws -> [(m: Int, n: Int, k: Int)] {
    guard let shapes else {
      return [
        (64, 1024, 384), (64, 1024, 256), (256, 1024, 64), (2048, 2048, 2048), (1, 1024, 384),
      ]
    }
    return try shapes.split(separator: ";").map { item in
      let parts = item.split(separator: ",").compactMap {
        Int($0.trimmingCharacters(in: .whitespaces))
      }
      guard parts.count == 3, parts.allSatisfy({ $0 > 0 }) else {
        throw ValidationError("--shapes item '\(item)' is not m,n,k with positive integers")
      }
      return (parts[0], parts[1], parts[2])
    }
  }

  func run() throws {
    var base = try KernelConfiguration.fromEnvironment()
    if let threads { base.threads = threads }
    let backends =
      backend.flatMap { ComputeBackend(rawValue: $0) }.map { [$0] }
      ?? ComputeBackend.allCases.filter(\.isAvailable)
    if !json { print("# \(base); backends \(backends.map(\.rawValue))") }
    for shape in try parsedShapes() {
      let gflops = timeGemm(shape, backends: backends, base: base)
      for (b, g) in zip(backends, gflops) {
        emit(
          [
            "case": "gemm", "backend": b.rawValue, "m": shape.m, "n": shape.n, "k": shape.k,
            "threads": base.threads, "simd": base.effectiveSIMDLevel.description,
            "gflops": rounded(g.wall), "cpu_gflops": rounded(g.cpu),
          ],
          text: String(
            format: "gemm %-10@ %5d×%5d×%5d threads %d  %7.1f GFLOP/s (%.1f per CPU-second)",
            b.rawValue, shape.m, shape.n, shape.k, base.threads, g.wall, g.cpu))
      }
    }
    for (op, name) in [(Kernels.sigmoid, "sigmoid"), (Kernels.tanh, "tanh")] {
      let (fast, fastCPU, foundation) = timeElementwise(op, name: name, config: base)
      emit(
        [
          "case": "elementwise", "op": name, "count": Self.elementCount, "threads": base.threads,
          "simd": base.effectiveSIMDLevel.description, "gelems": rounded(fast),
          "cpu_gelems": rounded(fastCPU),
          "foundation_gelems_1thread": rounded(foundation),
        ],
        text: String(
          format: "%-8@ 1M floats threads %d  %6.2f Gelem/s  (Foundation loop, 1 thread: %.3f)",
          name, base.threads, fast, foundation))
    }
  }

  static let elementCount = 1 << 20

  private func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

  private func emit(_ fields: [String: Any], text: String) {
    if json {
      // Fixed key order for readable, diffable output.
      let order = [
        "case", "backend", "op", "m", "n", "k", "count", "threads", "simd", "gflops", "cpu_gflops",
        "gelems", "cpu_gelems", "foundation_gelems_1thread",
      ]
      let body = order.compactMap { key -> String? in
        guard let v = fields[key] else { return nil }
        if let s = v as? String { return "\"\(key)\":\"\(s)\"" }
        return "\"\(key)\":\(v)"
      }
      print("{" + body.joined(separator: ",") + "}")
    } else {
      print(text)
    }
  }

  /// Median GFLOP/s per backend, per wall second and per CPU second of the whole process (the
  /// latter shows the kernel's efficiency when the shared machine is busy); backends alternate
  /// inside each repeat.
  private func timeGemm(
    _ s: (m: Int, n: Int, k: Int), backends: [ComputeBackend], base: KernelConfiguration
  ) -> [(wall: Double, cpu: Double)] {
    var rng = SplitMix(seed: 42)
    let a = (0..<(s.m * s.k)).map { _ in rng.nextFloat() }
    let b = (0..<(s.k * s.n)).map { _ in rng.nextFloat() }
    var c = [Float](repeating: 0, count: s.m * s.n)
    let flops = 2.0 * Double(s.m) * Double(s.n) * Double(s.k)
    let configs = backends.map { b -> KernelConfiguration in
      var cfg = base
      cfg.backend = b
      return cfg
    }
    func once(_ cfg: KernelConfiguration) {
      Kernels.gemm(
        m: s.m, n: s.n, k: s.k, a: a, lda: s.k, b: b, ldb: s.n, c: &c, ldc: s.n, configuration: cfg)
    }
    // Warm-up (thread pools, page faults), and size the iteration count from the fastest.
    var perCall = Double.infinity
    for cfg in configs {
      once(cfg)
      let t0 = DispatchTime.now().uptimeNanoseconds
      once(cfg)
      perCall = min(perCall, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    let iterations = max(1, Int(seconds / max(perCall, 1e-7)))
    var samples = [[Double]](repeating: [], count: configs.count)
    var cpuSamples = samples
    for _ in 0..<repeats {
      for (i, cfg) in configs.enumerated() {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let c0 = processCPUSeconds()
        for _ in 0..<iterations { once(cfg) }
        let t = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        samples[i].append(flops * Double(iterations) / t / 1e9)
        cpuSamples[i].append(flops * Double(iterations) / (processCPUSeconds() - c0) / 1e9)
      }
    }
    return zip(samples, cpuSamples).map { (median($0), median($1)) }
  }

  /// Median Gelem/s of the SIMD kernel on `config.threads` threads, and of a Foundation loop.
  private func timeElementwise(
    _ op: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, KernelConfiguration) -> Void,
    name: String, config: KernelConfiguration
  ) -> (Double, Double, Double) {
    let n = Self.elementCount
    var rng = SplitMix(seed: 7)
    let x = (0..<n).map { _ in rng.nextFloat() * 8 }
    var y = [Float](repeating: 0, count: n)
    op(x, &y, n, config)
    var fast: [Double] = []
    var fastCPU: [Double] = []
    var slow: [Double] = []
    let iterations = 20
    for _ in 0..<repeats {
      var t0 = DispatchTime.now().uptimeNanoseconds
      let c0 = processCPUSeconds()
      for _ in 0..<iterations { op(x, &y, n, config) }
      var t = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
      fast.append(Double(n * iterations) / t / 1e9)
      fastCPU.append(Double(n * iterations) / (processCPUSeconds() - c0) / 1e9)
      t0 = DispatchTime.now().uptimeNanoseconds
      x.withUnsafeBufferPointer { xs in
        y.withUnsafeMutableBufferPointer { ys in
          if name == "sigmoid" {
            for i in 0..<n { ys[i] = 1 / (1 + Foundation.exp(-xs[i])) }
          } else {
            for i in 0..<n { ys[i] = Foundation.tanh(xs[i]) }
          }
        }
      }
      t = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
      slow.append(Double(n) / t / 1e9)
    }
    return (median(fast), median(fastCPU), median(slow))
  }
}

/// CPU time consumed by every thread of this process so far.
private func processCPUSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

private func median(_ xs: [Double]) -> Double {
  let s = xs.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// SplitMix64: a fixed, seedable source of benchmark inputs.
private struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// Uniform in [-1, 1).
  mutating func nextFloat() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }
}
