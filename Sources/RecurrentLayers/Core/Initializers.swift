import RecurrentTensor

/// Keras's default initializers, drawn from an explicit generator.
enum Initializer {
  /// Glorot (Xavier) uniform: `U(−l, l)`, `l = √(6 / (fanIn + fanOut))`.
  static func glorotUniform<S: TensorScalar, G: RandomNumberGenerator>(
    shape: [Int], fanIn: Int, fanOut: Int, generator: inout G
  ) -> Tensor<S> {
    let limit = (6.0 / Double(max(fanIn + fanOut, 1))).squareRoot()
    return uniform(shape: shape, limit: limit, generator: &generator)
  }

  /// `U(−limit, limit)` (Keras's Embedding uses `limit = 0.05`).
  static func uniform<S: TensorScalar, G: RandomNumberGenerator>(
    shape: [Int], limit: Double, generator: inout G
  ) -> Tensor<S> {
    let count = shape.reduce(1, *)
    var values = [S]()
    values.reserveCapacity(count)
    for _ in 0..<count { values.append(S(Double.random(in: -limit..<limit, using: &generator))) }
    return Tensor(shape: shape, scalars: values)
  }
}
