import RecurrentTensor
import XCTest

/// Backend/thread selection: environment parsing (valid values and typed errors), detection,
/// and the task-local scoping of the configuration.
final class KernelConfigurationTests: XCTestCase {
  func testEnvironmentValues() throws {
    let config = try KernelConfiguration.fromEnvironment([
      "RECURRENT_BACKEND": "portable", "RECURRENT_THREADS": "3",
    ])
    XCTAssertEqual(config.backend, .portable)
    XCTAssertEqual(config.threads, 3)
    XCTAssertEqual(config.description, "backend=portable simd=\(SIMDLevel.detected) threads=3")
    let defaults = try KernelConfiguration.fromEnvironment([:])
    XCTAssertEqual(defaults, KernelConfiguration.automatic)
    XCTAssertEqual(defaults.backend, ComputeBackend.best)
    XCTAssertGreaterThanOrEqual(defaults.threads, 1)
  }

  func testEnvironmentErrorsNameTheFix() {
    XCTAssertThrowsError(try KernelConfiguration.fromEnvironment(["RECURRENT_BACKEND": "cuda"])) {
      XCTAssertEqual($0 as? KernelConfigurationError, .unknownBackend("cuda"))
      XCTAssertTrue("\($0)".contains("use portable, openblas or accelerate"))
    }
    for bad in ["0", "-2", "two"] {
      XCTAssertThrowsError(try KernelConfiguration.fromEnvironment(["RECURRENT_THREADS": bad])) {
        XCTAssertEqual($0 as? KernelConfigurationError, .invalidThreads(bad))
        XCTAssertTrue("\($0)".contains("positive integer"))
      }
    }
    for backend in ComputeBackend.allCases where !backend.isAvailable {
      XCTAssertThrowsError(
        try KernelConfiguration.fromEnvironment(["RECURRENT_BACKEND": backend.rawValue])
      ) {
        XCTAssertEqual($0 as? KernelConfigurationError, .unavailableBackend(backend))
        XCTAssertTrue("\($0)".contains("RECURRENT_BACKEND=portable"))
      }
    }
  }

  func testDetectionIsConsistent() {
    XCTAssertTrue(SIMDLevel.detected.isSupported)
    XCTAssertTrue(ComputeBackend.portable.isAvailable)
    XCTAssertTrue(ComputeBackend.best.isAvailable)
    // A level above the CPU's is clamped down; the portable kernels never run unsupported code.
    let config = KernelConfiguration(backend: .portable, simdLevel: .avx512)
    XCTAssertEqual(
      config.effectiveSIMDLevel, SIMDLevel.detected == .avx512 ? .avx512 : SIMDLevel.detected)
  }

  func testTaskLocalScoping() {
    let outer = KernelConfiguration.current
    let inner = KernelConfiguration(backend: .portable, threads: 1, simdLevel: .sse2)
    KernelConfiguration.$current.withValue(inner) {
      XCTAssertEqual(KernelConfiguration.current, inner)
    }
    XCTAssertEqual(KernelConfiguration.current, outer)
  }

  /// glibc accepts both allocator settings; other C libraries report that nothing was applied.
  /// (The effect itself — 750k → 58k page faults in a config-B GRU benchmark — is measured with
  /// `perf stat -e page-faults recurrent-bench rnn ...`, see NOTES.md.)
  func testKeepFreedMemoryForReuseIsAppliedOnGlibc() {
    #if os(Linux) && canImport(Glibc)
      XCTAssertTrue(KernelConfiguration.keepFreedMemoryForReuse())
      XCTAssertTrue(KernelConfiguration.keepFreedMemoryForReuse(), "calling it twice is harmless")
    #else
      XCTAssertFalse(KernelConfiguration.keepFreedMemoryForReuse())
    #endif
  }
}
