// Keras's string names (`optimizer="adam"`) as static members without parentheses, with
// Keras's defaults: `compile(optimizer: .adam, ...)`.
import RecurrentTensor

extension Optimizer {
  /// Keras `"adam"`: Adam with lr 0.001 and Keras's defaults (``adam(learningRate:beta1:beta2:epsilon:amsgrad:clipNorm:clipValue:globalClipNorm:)``).
  ///
  /// ```swift
  /// model.compile(optimizer: .adam, loss: .binaryCrossentropy, metrics: [.accuracy])
  /// ```
  public static var adam: Self { .adam() }
  /// Keras `"adamw"`: AdamW with lr 0.001 and weight decay 0.004.
  public static var adamW: Self { .adamW() }
  /// Keras `"sgd"`: plain SGD with lr 0.01.
  public static var sgd: Self { .sgd() }
  /// Keras `"rmsprop"`: RMSprop with lr 0.001.
  public static var rmsprop: Self { .rmsprop() }
  /// Keras `"adagrad"`: Adagrad with lr 0.001.
  public static var adagrad: Self { .adagrad() }
}
