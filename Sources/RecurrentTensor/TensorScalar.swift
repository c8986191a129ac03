import CRecurrentKernels
import Foundation

/// The element types a ``Tensor`` can hold: `Float` for training and inference, `Double` for
/// finite-difference gradient checks. Each scalar type routes the heavy kernels to its fastest
/// implementation (C SIMD kernels or BLAS for `Float`, plain loops for `Double`).
public protocol TensorScalar: BinaryFloatingPoint, Sendable, Codable
where Self.RawSignificand: FixedWidthInteger {
  /// `C[m×n] = alpha · op(A) · op(B) + beta · C`, all row-major; `op(X) = Xᵀ` when `transposeX`.
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
    a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int, beta: Self,
    c: UnsafeMutablePointer<Self>, ldc: Int)

  /// `y[i] = exp(x[i])` for `i < count`; `x` and `y` may be the same buffer.
  static func vectorExp(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
  /// `y[i] = 1 / (1 + exp(-x[i]))`; `x` and `y` may be the same buffer.
  static func vectorSigmoid(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
  /// `y[i] = tanh(x[i])`; `x` and `y` may be the same buffer.
  static func vectorTanh(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)

  /// `y[i] = x[i] + z[i]`; `y` may alias `x` or `z`.
  static func vectorAdd(
    _ x: UnsafePointer<Self>, _ z: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>,
    count: Int)
  /// `y[i] = x[i] · z[i]`; `y` may alias `x` or `z`.
  static func vectorMultiply(
    _ x: UnsafePointer<Self>, _ z: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>,
    count: Int)
  /// `y[i] += a · x[i]`.
  static func axpy(_ a: Self, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
  /// `y[i] = max(x[i], 0)`; NaN stays NaN; `y` may alias `x`.
  static func vectorRelu(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
  /// `Σ x[i]` in a fixed order that depends only on `count`.
  static func vectorSum(_ x: UnsafePointer<Self>, count: Int) -> Self
  /// The largest element (`-infinity` for `count == 0`; NaN if any element is NaN).
  static func vectorMax(_ x: UnsafePointer<Self>, count: Int) -> Self
}

// Plain-loop defaults (used by Double); Float overrides each with the C SIMD kernels.
extension TensorScalar {
  public static func vectorAdd(
    _ x: UnsafePointer<Self>, _ z: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>,
    count: Int
  ) {
    for i in 0..<count { y[i] = x[i] + z[i] }
  }
  public static func vectorMultiply(
    _ x: UnsafePointer<Self>, _ z: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>,
    count: Int
  ) {
    for i in 0..<count { y[i] = x[i] * z[i] }
  }
  public static func axpy(
    _ a: Self, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int
  ) {
    for i in 0..<count { y[i] += a * x[i] }
  }
  public static func vectorRelu(
    _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int
  ) {
    for i in 0..<count { y[i] = x[i] > 0 || x[i].isNaN ? x[i] : 0 }
  }
  public static func vectorSum(_ x: UnsafePointer<Self>, count: Int) -> Self {
    var s: Self = 0
    for i in 0..<count { s += x[i] }
    return s
  }
  public static func vectorMax(_ x: UnsafePointer<Self>, count: Int) -> Self {
    var m = -Self.infinity
    for i in 0..<count {
      if x[i].isNaN { return x[i] }
      if x[i] > m { m = x[i] }
    }
    return m
  }
}

extension TensorScalar where Self: ElementaryFunctionsShim {
  public static func vectorExp(
    _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int
  ) {
    for i in 0..<count { y[i] = Self.shimExp(x[i]) }
  }
  public static func vectorSigmoid(
    _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int
  ) {
    for i in 0..<count { y[i] = 1 / (1 + Self.shimExp(-x[i])) }
  }
  public static func vectorTanh(
    _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int
  ) {
    for i in 0..<count { y[i] = Self.shimTanh(x[i]) }
  }
}

/// The scalar elementary functions the portable loops use (Foundation's, per type).
public protocol ElementaryFunctionsShim {
  static func shimExp(_ x: Self) -> Self
  static func shimTanh(_ x: Self) -> Self
}

extension Float: ElementaryFunctionsShim {
  public static func shimExp(_ x: Float) -> Float { Foundation.exp(x) }
  public static func shimTanh(_ x: Float) -> Float { Foundation.tanh(x) }
}

extension Double: ElementaryFunctionsShim {
  public static func shimExp(_ x: Double) -> Double { Foundation.exp(x) }
  public static func shimTanh(_ x: Double) -> Double { Foundation.tanh(x) }
}

/// `Float` runs on the fast kernels of ``Kernels``, with ``KernelConfiguration/current``'s
/// backend and thread count (OpenBLAS or the portable SIMD GEMM; C SIMD exp/sigmoid/tanh).
extension Float: TensorScalar {
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    Kernels.gemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a,
      lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
  }

  public static func vectorExp(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int
  ) {
    Kernels.exp(x, y, count: count)
  }
  public static func vectorSigmoid(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int
  ) {
    Kernels.sigmoid(x, y, count: count)
  }
  public static func vectorTanh(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int
  ) {
    Kernels.tanh(x, y, count: count)
  }
  public static func vectorAdd(
    _ x: UnsafePointer<Float>, _ z: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
    count: Int
  ) {
    Kernels.add(x, z, y, count: count)
  }
  public static func vectorMultiply(
    _ x: UnsafePointer<Float>, _ z: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
    count: Int
  ) {
    Kernels.multiply(x, z, y, count: count)
  }
  public static func axpy(
    _ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int
  ) {
    Kernels.axpy(a, x, y, count: count)
  }
  public static func vectorRelu(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int
  ) {
    Kernels.relu(x, y, count: count)
  }
  public static func vectorSum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    Kernels.sum(x, count: count)
  }
  public static func vectorMax(_ x: UnsafePointer<Float>, count: Int) -> Float {
    Kernels.max(x, count: count)
  }
}

extension Double: TensorScalar {
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int, beta: Double,
    c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    for i in 0..<m {
      for j in 0..<n {
        var sum = 0.0
        for p in 0..<k {
          let x = transposeA ? a[p * lda + i] : a[i * lda + p]
          let y = transposeB ? b[j * ldb + p] : b[p * ldb + j]
          sum += x * y
        }
        c[i * ldc + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * ldc + j])
      }
    }
  }
}
