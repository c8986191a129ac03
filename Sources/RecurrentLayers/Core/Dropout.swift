import RecurrentTensor

/// Inverted dropout: while training, each element is zeroed with probability `rate` and the
/// survivors are scaled by `1 / (1 − rate)`, so inference is the identity. Any shape.
///
/// The keep mask is drawn from the generator passed in, so a seed fixes it.
///
/// ```swift
/// let dropout = Dropout<Float>(rate: 0.5)
/// let (y, keep) = dropout.forward(x, training: true, generator: &rng)
/// let dx = dropout.backward(dy, keep: keep)
/// ```
public struct Dropout<Scalar: TensorScalar>: ParameterlessLayer {
  public var rate: Double

  public init(rate: Double) {
    precondition(rate >= 0 && rate < 1, "Dropout rate must be in [0, 1), received \(rate)")
    self.rate = rate
  }

  public var kerasClassName: String { "Dropout" }
  public var config: [String: ConfigValue] { ["rate": .double(rate)] }

  /// Forward: the output and the scaled keep mask (`0` or `1 / (1 − rate)` per element; `nil`
  /// when not training or `rate == 0`).
  public func forward<G: RandomNumberGenerator>(
    _ x: Tensor<Scalar>, training: Bool, generator: inout G
  ) -> (output: Tensor<Scalar>, keep: [Scalar]?) {
    guard training, rate > 0 else { return (x, nil) }
    let scale = Scalar(1 / (1 - rate))
    var keep = [Scalar](repeating: 0, count: x.count)
    var y = x.scalars
    for i in 0..<x.count {
      // A uniform double in [0, 1) from the top 53 bits.
      let u = Double(generator.next() >> 11) * 0x1p-53
      keep[i] = u >= rate ? scale : 0
      y[i] *= keep[i]
    }
    return (Tensor(shape: x.shape, scalars: y), keep)
  }

  /// Backward: `dx = dy ⊙ keep`.
  public func backward(_ dOutput: Tensor<Scalar>, keep: [Scalar]?) -> Tensor<Scalar> {
    guard let keep else { return dOutput }
    var dx = dOutput.scalars
    for i in dx.indices { dx[i] *= keep[i] }
    return Tensor(shape: dOutput.shape, scalars: dx)
  }

  public func forward<G: RandomNumberGenerator>(
    _ input: Tensor<Scalar>, mask: Tensor<Scalar>?, training: Bool, generator: inout G
  ) throws -> LayerForward<Scalar> {
    let (output, keep) = forward(input, training: training, generator: &generator)
    return LayerForward(output: output, mask: mask) { dy in
      LayerGradients(input: backward(dy, keep: keep), parameters: [])
    }
  }
}
