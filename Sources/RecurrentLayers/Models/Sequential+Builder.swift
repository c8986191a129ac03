// `Sequential { Embedding(...); LSTM(8); Dense(1, activation: .sigmoid) }`: the layers listed one
// per line, as Keras's `Sequential([...])` or a run of `model.add(...)`.
import RecurrentTensor

/// Collects the layers written one per line in a ``Sequential`` initializer.
///
/// ```swift
/// var model = Sequential<Float> {
///   Embedding(inputDim: 100, outputDim: 8)
///   LSTM(8)
///   Dense(1, activation: .sigmoid)
/// }
/// ```
@resultBuilder
public enum LayerBuilder<Scalar: TensorScalar> {
  public static func buildExpression(_ layer: any Layer<Scalar>) -> [any Layer<Scalar>] {
    [layer]
  }
  public static func buildBlock(_ layers: [any Layer<Scalar>]...) -> [any Layer<Scalar>] {
    layers.flatMap { $0 }
  }
  public static func buildOptional(_ layers: [any Layer<Scalar>]?) -> [any Layer<Scalar>] {
    layers ?? []
  }
  public static func buildEither(first layers: [any Layer<Scalar>]) -> [any Layer<Scalar>] {
    layers
  }
  public static func buildEither(second layers: [any Layer<Scalar>]) -> [any Layer<Scalar>] {
    layers
  }
  public static func buildArray(_ layers: [[any Layer<Scalar>]]) -> [any Layer<Scalar>] {
    layers.flatMap { $0 }
  }
}

extension Sequential {
  /// A model of the layers listed in `layers`, one per line (see ``LayerBuilder``).
  public init(
    inputShape: [Int]? = nil, name: String = "sequential",
    @LayerBuilder<Scalar> _ layers: () -> [any Layer<Scalar>]
  ) {
    self.init(layers(), inputShape: inputShape, name: name)
  }
}
