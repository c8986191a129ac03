// Word dropout (Iyyer et al. 2015's DAN, Dai & Le 2015): while training, some words of each
// sentence become the out-of-vocabulary id, so the network cannot lean on single rare words and
// the OOV vector — which test sentences use for every word the training folds lack — is trained.
import RecurrentLayers
import RecurrentTensor

/// Replaces each real word id (≥ 2) of `[B, T]` id rows by `replacement` (the OOV id 1 by
/// default) with probability `rate` while training; padding (0) and OOV ids stay. The identity
/// at inference. It sits before the `Embedding`, so its input gradient is never used; it passes
/// the incoming gradient through unchanged.
///
/// ```swift
/// let drop = WordDropout<Float>(rate: 0.1)
/// let f = try drop.forward(ids, mask: nil, training: true, generator: &rng)   // [B, T]
/// ```
public struct WordDropout<Scalar: TensorScalar>: ParameterlessLayer {
  /// The fraction of real words replaced, in `[0, 1)`.
  public var rate: Double
  /// The id a dropped word becomes.
  public var replacement: Int

  public init(rate: Double, replacement: Int = WordSequences.oovID) {
    precondition(rate >= 0 && rate < 1, "WordDropout rate must be in [0, 1), received \(rate)")
    self.rate = rate
    self.replacement = replacement
  }

  /// The class name saved configs use.
  public static var className: String { "WordDropout" }
  public var kerasClassName: String { Self.className }
  public var config: [String: ConfigValue] {
    ["rate": .double(rate), "replacement": .int(replacement)]
  }

  public func forward<G: RandomNumberGenerator>(
    _ input: Tensor<Scalar>, mask: Tensor<Scalar>?, training: Bool, generator: inout G
  ) throws -> LayerForward<Scalar> {
    guard training, rate > 0 else {
      return LayerForward(output: input, mask: mask) { LayerGradients(input: $0, parameters: []) }
    }
    var ids = input.scalars
    let firstWord = Scalar(WordSequences.oovID + 1)
    for i in ids.indices where ids[i] >= firstWord {
      // A uniform double in [0, 1) from the top 53 bits, as Dropout draws; one draw per real
      // word only, so padding length does not change the stream.
      let u = Double(generator.next() >> 11) * 0x1p-53
      if u < rate { ids[i] = Scalar(replacement) }
    }
    return LayerForward(output: Tensor(shape: input.shape, scalars: ids), mask: mask) {
      LayerGradients(input: $0, parameters: [])
    }
  }
}
