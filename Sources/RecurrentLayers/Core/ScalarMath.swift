import Foundation
import RecurrentTensor

/// Scalar elementary functions for any ``TensorScalar``, evaluated in `Double` and rounded back.
///
/// Losses, metrics and optimizers call these a handful of times per element, far from the hot
/// loops; the round trip through `Double` keeps them generic without widening `TensorScalar`.
/// Hot paths (activations) use the vector hooks `Scalar.vectorExp` / `vectorSigmoid` / `vectorTanh`.
enum ScalarMath {
  @inline(__always) static func log<S: TensorScalar>(_ x: S) -> S { S(Foundation.log(Double(x))) }
  @inline(__always) static func exp<S: TensorScalar>(_ x: S) -> S { S(Foundation.exp(Double(x))) }
  @inline(__always) static func log1p<S: TensorScalar>(_ x: S) -> S {
    S(Foundation.log1p(Double(x)))
  }
  @inline(__always) static func sqrt<S: TensorScalar>(_ x: S) -> S { x.squareRoot() }
  @inline(__always) static func sign<S: TensorScalar>(_ x: S) -> S { x > 0 ? 1 : (x < 0 ? -1 : 0) }
}
