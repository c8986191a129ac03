import CRecurrentKernels

#if canImport(Accelerate)
  import Accelerate
#endif

/// Float kernels on raw buffers: matrix products and vectorized elementwise math, run by the
/// backend and thread count of a ``KernelConfiguration`` (``KernelConfiguration/current`` unless
/// given). ``TensorScalar``'s `Float` methods call these.
///
/// ```swift
/// // C[2×2] = A[2×3] · B[3×2]
/// let a: [Float] = [1, 2, 3, 4, 5, 6], b: [Float] = [7, 8, 9, 10, 11, 12]
/// var c = [Float](repeating: 0, count: 4)
/// Kernels.gemm(m: 2, n: 2, k: 3, a: a, lda: 3, b: b, ldb: 2, c: &c, ldc: 2)  // [58, 64, 139, 154]
/// ```
public enum Kernels {
  /// `C[m×n] = alpha · op(A) · op(B) + beta · C`, row-major; `op(X) = Xᵀ` when `transposeX`.
  ///
  /// `lda`, `ldb`, `ldc` are the row strides of the matrices as stored (A is stored `k×m` when
  /// transposed, B `n×k`). `beta == 0` ignores C's old contents, as BLAS does. With the portable
  /// backend the result is bit-identical for any `threads`.
  /// - Precondition: sizes ≥ 0, strides at least the stored row width, all below `Int32.max`.
  public static func gemm(
    transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float = 0,
    c: UnsafeMutablePointer<Float>, ldc: Int,
    configuration: KernelConfiguration = .current
  ) {
    precondition(
      m >= 0 && n >= 0 && k >= 0, "gemm sizes must be non-negative, received \(m)×\(n)×\(k)")
    precondition(
      lda >= Swift.max(1, transposeA ? m : k) && ldb >= Swift.max(1, transposeB ? k : n)
        && ldc >= Swift.max(1, n),
      "gemm strides too small: lda \(lda), ldb \(ldb), ldc \(ldc) for m \(m) n \(n) k \(k)")
    let limit = Int(Int32.max)
    precondition(
      m < limit && n < limit && k < limit && lda < limit && ldb < limit && ldc < limit,
      "gemm sizes and strides must be below Int32.max")
    let (ta, tb): (Int32, Int32) = (transposeA ? 1 : 0, transposeB ? 1 : 0)
    let threads = Int32(clamping: configuration.threads)
    switch configuration.effectiveBackend {
    case .openblas:
      if rk_openblas_sgemm(
        threads, ta, tb, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta,
        c, Int32(ldc)) == 0
      {
        return
      }
    case .accelerate:
      #if canImport(Accelerate)
        if m > 0 && n > 0 {
          cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha, a,
            Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
        return
      #endif
    case .portable:
      break
    }
    rk_sgemm(
      configuration.effectiveSIMDLevel.rawValue, threads, ta, tb, Int32(m), Int32(n), Int32(k),
      alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// `y[i] = exp(x[i])` for `i < count`; `x` and `y` may be the same buffer. Relative error
  /// ≤ 1e-6 against Foundation; overflow gives +inf, NaN propagates.
  public static func exp(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
    configuration: KernelConfiguration = .current
  ) {
    vmath(RK_OP_EXP, x, y, count, configuration)
  }

  /// `y[i] = 1 / (1 + exp(-x[i]))`; `x` and `y` may be the same buffer.
  public static func sigmoid(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
    configuration: KernelConfiguration = .current
  ) {
    vmath(RK_OP_SIGMOID, x, y, count, configuration)
  }

  /// `y[i] = tanh(x[i])`; `x` and `y` may be the same buffer.
  public static func tanh(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
    configuration: KernelConfiguration = .current
  ) {
    vmath(RK_OP_TANH, x, y, count, configuration)
  }

  private static func vmath(
    _ op: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int,
    _ configuration: KernelConfiguration
  ) {
    precondition(count >= 0, "count must be non-negative, received \(count)")
    rk_vmath(
      Int32(op), configuration.effectiveSIMDLevel.rawValue, Int32(clamping: configuration.threads),
      x, y, count)
  }

  /// `y[i] = x[i] + z[i]`; `y` may alias `x` or `z`.
  public static func add(
    _ x: UnsafePointer<Float>, _ z: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
    count: Int
  ) {
    rk_vadd(x, z, y, count)
  }

  /// `y[i] = x[i] · z[i]`; `y` may alias `x` or `z`.
  public static func multiply(
    _ x: UnsafePointer<Float>, _ z: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
    count: Int
  ) {
    rk_vmul(x, z, y, count)
  }

  /// `y[i] += a · x[i]` (one multiply and one add per element on every CPU).
  public static func axpy(
    _ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int
  ) {
    rk_vaxpy(a, x, y, count)
  }

  /// `y[i] = max(x[i], 0)`; NaN stays NaN; `y` may alias `x`.
  public static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    rk_vrelu(x, y, count)
  }

  /// `Σ x[i]`, in a fixed summation order that depends only on `count`.
  public static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    rk_vsum(x, count)
  }

  /// The largest element (`-inf` when `count == 0`, NaN if any element is NaN).
  public static func max(_ x: UnsafePointer<Float>, count: Int) -> Float {
    rk_vmax(x, count)
  }
}
