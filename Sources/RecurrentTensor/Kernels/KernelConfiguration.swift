import CRecurrentKernels
import Foundation

/// Which implementation computes matrix products.
///
/// ```swift
/// ComputeBackend.openblas.isAvailable  // true when libopenblas.so.0 is installed
/// ```
public enum ComputeBackend: String, Sendable, CaseIterable, CustomStringConvertible {
  /// OpenBLAS, loaded at run time with `dlopen("libopenblas.so.0")` (`cblas_sgemm`, and
  /// `cblas_sgemv` when m == 1 or n == 1). OpenBLAS splits each product by its own thread count,
  /// so results are bit-identical from run to run for a fixed thread count, but may differ in the
  /// last bits between thread counts; use ``portable`` when the bits must not depend on it.
  case openblas
  /// Recurrent's own C kernels: packed, register-blocked SIMD micro-kernels (AVX-512, AVX2+FMA or
  /// SSE2, chosen at run time). Always available; results are bit-identical for any thread count.
  case portable
  /// Apple's Accelerate framework (macOS only).
  case accelerate

  /// Whether this backend can run on this machine.
  public var isAvailable: Bool {
    switch self {
    case .portable: return true
    case .openblas: return rk_openblas_available() != 0
    case .accelerate:
      #if canImport(Accelerate)
        return true
      #else
        return false
      #endif
    }
  }

  /// The fastest available backend: Accelerate on Apple platforms, else OpenBLAS if installed,
  /// else the portable kernels.
  public static var best: ComputeBackend {
    if ComputeBackend.accelerate.isAvailable { return .accelerate }
    if ComputeBackend.openblas.isAvailable { return .openblas }
    return .portable
  }

  public var description: String { rawValue }
}

/// The SIMD instruction level of the portable kernels, detected at run time from the CPU.
///
/// ```swift
/// SIMDLevel.detected  // .avx2 on a CPU with AVX2 and FMA but no AVX-512
/// ```
public enum SIMDLevel: Int32, Sendable, CaseIterable, Comparable, CustomStringConvertible {
  /// Plain C with compiler vector extensions (non-x86 machines).
  case scalar = 0
  /// Baseline x86-64 (4-wide, no FMA).
  case sse2 = 1
  /// AVX2 with FMA (8-wide).
  case avx2 = 2
  /// AVX-512F with FMA (16-wide).
  case avx512 = 3

  /// The best level this CPU supports.
  public static var detected: SIMDLevel { SIMDLevel(rawValue: rk_simd_level()) ?? .scalar }

  /// Whether this CPU can run code of this level.
  public var isSupported: Bool { rk_simd_clamp_level(rawValue) == rawValue }

  public static func < (lhs: SIMDLevel, rhs: SIMDLevel) -> Bool { lhs.rawValue < rhs.rawValue }

  public var description: String {
    switch self {
    case .scalar: return "scalar"
    case .sse2: return "sse2"
    case .avx2: return "avx2"
    case .avx512: return "avx512"
    }
  }
}

/// How the kernels run: which backend, how many threads, which SIMD level for the portable code.
///
/// The value in effect is ``current``, a task-local: set it for a scope rather than globally.
///
/// ```swift
/// let config = KernelConfiguration(backend: .portable, threads: 1)
/// KernelConfiguration.$current.withValue(config) {
///   // every Float.gemm / vectorTanh in here uses one thread of the portable kernels
/// }
/// ```
/// The process default comes from the environment, read once: `RECURRENT_BACKEND=portable|openblas|
/// accelerate` and `RECURRENT_THREADS=N` (see ``fromEnvironment(_:)``).
public struct KernelConfiguration: Sendable, Equatable, CustomStringConvertible {
  /// The requested backend for matrix products (elementwise math always uses the C SIMD kernels).
  public var backend: ComputeBackend
  /// The number of threads (≥ 1). Products with m·n·k below ``parallelThreshold`` use one.
  public var threads: Int
  /// The SIMD level of the portable kernels; clamped to what the CPU supports.
  public var simdLevel: SIMDLevel

  /// - Precondition: `threads >= 1`.
  public init(
    backend: ComputeBackend = .best, threads: Int = KernelConfiguration.defaultThreads,
    simdLevel: SIMDLevel = .detected
  ) {
    precondition(
      threads >= 1, "KernelConfiguration threads must be at least 1, received \(threads)")
    self.backend = backend
    self.threads = threads
    self.simdLevel = simdLevel
  }

  /// The configuration in effect for the current task (see ``KernelConfiguration`` for scoping).
  @TaskLocal public static var current: KernelConfiguration = processDefault

  /// The environment's choice if it is valid, else ``automatic``. Read once per process.
  public static let processDefault: KernelConfiguration =
    (try? fromEnvironment()) ?? automatic

  /// The best available backend, one thread per processor, the CPU's best SIMD level.
  public static var automatic: KernelConfiguration { KernelConfiguration() }

  /// One thread per online processor.
  public static var defaultThreads: Int { max(1, Int(rk_cpu_count())) }

  /// m·n·k below which a product runs on one thread (waking a thread costs more than it saves).
  public static var parallelThreshold: Int { Int(rk_sgemm_parallel_threshold()) }

  /// The backend that actually runs: ``backend`` if available, else the portable kernels.
  public var effectiveBackend: ComputeBackend { backend.isAvailable ? backend : .portable }

  /// The SIMD level the portable kernels actually use.
  public var effectiveSIMDLevel: SIMDLevel {
    SIMDLevel(rawValue: rk_simd_clamp_level(simdLevel.rawValue)) ?? .scalar
  }

  /// Reads `RECURRENT_BACKEND` (`portable`, `openblas`, `accelerate`; default: the best available)
  /// and `RECURRENT_THREADS` (a positive integer; default: one per processor).
  /// - Throws: ``KernelConfigurationError`` naming the variable, the value and the fix.
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> KernelConfiguration {
    var config = KernelConfiguration.automatic
    if let raw = environment["RECURRENT_BACKEND"], !raw.isEmpty {
      guard let backend = ComputeBackend(rawValue: raw.lowercased()) else {
        throw KernelConfigurationError.unknownBackend(raw)
      }
      guard backend.isAvailable else { throw KernelConfigurationError.unavailableBackend(backend) }
      config.backend = backend
    }
    if let raw = environment["RECURRENT_THREADS"], !raw.isEmpty {
      guard let n = Int(raw.trimmingCharacters(in: .whitespaces)), n >= 1, n <= 1024 else {
        throw KernelConfigurationError.invalidThreads(raw)
      }
      config.threads = n
    }
    return config
  }

  /// A one-line summary, e.g. `backend=openblas simd=avx2 threads=2`.
  public var description: String {
    "backend=\(effectiveBackend) simd=\(effectiveSIMDLevel) threads=\(threads)"
  }
}

extension KernelConfiguration {
  /// Makes the process keep freed memory for reuse instead of returning it to the kernel
  /// (glibc's malloc; elsewhere nothing happens and the result is `false`).
  ///
  /// A training step frees and reallocates tens of megabytes of per-step buffers (gates, states,
  /// gradients); by default glibc gives them back to the kernel after every step and the next
  /// step pays a page fault and a freshly zeroed page for every 4 KiB — 10–20% of the benchmark
  /// configurations' training time. The cost is that the process keeps its peak heap size.
  /// Process-wide, so the library never calls it itself: executables that train do, once at
  /// start (the `recurrent` and `recurrent-bench` commands).
  ///
  /// ```swift
  /// @main struct Train {
  ///   static func main() throws {
  ///     KernelConfiguration.keepFreedMemoryForReuse()
  ///     // build, compile and fit a model
  ///   }
  /// }
  /// ```
  @discardableResult
  public static func keepFreedMemoryForReuse() -> Bool { rk_keep_freed_memory() != 0 }
}

/// A bad value in `RECURRENT_BACKEND` or `RECURRENT_THREADS`.
public enum KernelConfigurationError: Error, Equatable, CustomStringConvertible {
  /// `RECURRENT_BACKEND` names no backend.
  case unknownBackend(String)
  /// `RECURRENT_BACKEND` names a backend this machine does not have.
  case unavailableBackend(ComputeBackend)
  /// `RECURRENT_THREADS` is not a positive integer.
  case invalidThreads(String)

  public var description: String {
    switch self {
    case .unknownBackend(let raw):
      return
        "RECURRENT_BACKEND=\(raw) is not a backend; use portable, openblas or accelerate "
        + "(or unset it to pick the best available)"
    case .unavailableBackend(let backend):
      let fix =
        backend == .openblas
        ? "install libopenblas0 (libopenblas.so.0) or set RECURRENT_BACKEND=portable"
        : "Accelerate exists only on Apple platforms; set RECURRENT_BACKEND=portable"
      return "RECURRENT_BACKEND=\(backend) is not available on this machine: \(fix)"
    case .invalidThreads(let raw):
      return "RECURRENT_THREADS=\(raw) is not a thread count; use a positive integer such as 2"
    }
  }
}
