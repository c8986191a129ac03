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

extension Float: TensorScalar {
  @inlinable
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, beta: Float,
    c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    rk_sgemm_portable(
      transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b,
      Int32(ldb), beta, c, Int32(ldc))
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
