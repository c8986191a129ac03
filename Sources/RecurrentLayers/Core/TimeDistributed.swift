import RecurrentTensor

/// Applies a layer to every time step: `[B, T, ...]` → `[B, T, ...]`, by folding time into the
/// batch (`[B·T, ...]`), so the wrapped layer runs once on all steps (one GEMM for a Dense).
/// The mask passes through unchanged.
///
/// ```swift
/// let td = TimeDistributed(Dense<Float>(units: 5, activation: .softmax))  // [B, T, H] → [B, T, 5]
/// ```
public struct TimeDistributed<Wrapped: Layer>: Layer {
  public typealias Scalar = Wrapped.Scalar
  public var layer: Wrapped

  public init(_ layer: Wrapped) { self.layer = layer }

  public var kerasClassName: String { "TimeDistributed" }
  public var isBuilt: Bool { layer.isBuilt }
  public var isTrainable: Bool { layer.isTrainable }
  public var parameterNames: [String] { layer.parameterNames }
  public var parameters: [Tensor<Scalar>] {
    get { layer.parameters }
    set { layer.parameters = newValue }
  }
  public var config: [String: ConfigValue] {
    [
      "layer": .object([
        "class_name": .string(layer.kerasClassName), "config": .object(layer.config),
      ])
    ]
  }

  public mutating func build<G: RandomNumberGenerator>(inputShape: [Int], generator: inout G)
    throws
  {
    guard inputShape.count >= 2 else {
      throw LayerError.shapeMismatch(
        layer: "TimeDistributed", expected: "[B, T, ...]", received: inputShape)
    }
    try layer.build(inputShape: Array(inputShape.dropFirst()), generator: &generator)
  }

  public func outputShape(inputShape: [Int]) throws -> [Int] {
    [inputShape[0]] + (try layer.outputShape(inputShape: Array(inputShape.dropFirst())))
  }

  public func forward<G: RandomNumberGenerator>(
    _ input: Tensor<Scalar>, mask: Tensor<Scalar>?, training: Bool, generator: inout G
  ) throws -> LayerForward<Scalar> {
    guard input.rank >= 3 else {
      throw LayerError.shapeMismatch(
        layer: "TimeDistributed", expected: "[B, T, ...]", received: input.shape)
    }
    let (b, t) = (input.shape[0], input.shape[1])
    let folded = Tensor(shape: [b * t] + input.shape.dropFirst(2), scalars: input.scalars)
    let inner = try layer.forward(folded, mask: nil, training: training, generator: &generator)
    let output = Tensor(
      shape: [b, t] + inner.output.shape.dropFirst(), scalars: inner.output.scalars)
    return LayerForward(output: output, mask: mask) { dy in
      let g = inner.backward(
        Tensor(shape: [b * t] + dy.shape.dropFirst(2), scalars: dy.scalars))
      return LayerGradients(
        input: g.input.map { Tensor(shape: input.shape, scalars: $0.scalars) },
        parameters: g.parameters)
    }
  }
}
