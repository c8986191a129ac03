// Pooling over the real time steps of a recurrent layer's outputs, and channel-wise dropout of
// word vectors: the two Keras layers a sentence classifier adds around its BiLSTM
// (`GlobalMaxPooling1D` / `GlobalAveragePooling1D` with masking, `SpatialDropout1D`). They live
// with the sentiment task until the layer library grows them; saved models name them in their
// config and ``SentimentClassifier`` registers them when loading.
import RecurrentLayers
import RecurrentTensor

/// Pools `[B, T, D]` over each row's real time steps (the mask's nonzero entries) into `[B, D]`
/// (`.max`, `.mean`) or `[B, 2D]` (`.maxMean`: the max features, then the mean features).
///
/// Keras's `GlobalMaxPooling1D` / `GlobalAveragePooling1D` on a masked input; padded steps never
/// win the max nor count in the mean. A row without a real step pools to zeros (its gradient is
/// zero). Without a mask every step is real. The max's gradient goes to the first maximal step.
///
/// ```swift
/// let pool = MaskedGlobalPooling<Float>(mode: .max)
/// let f = try pool.forward(outputs, mask: mask, training: false, generator: &rng)
/// f.output.shape   // [B, D]
/// ```
public struct MaskedGlobalPooling<Scalar: TensorScalar>: ParameterlessLayer {
  /// What each feature keeps of its time steps.
  public enum Mode: String, Sendable, Codable, CaseIterable {
    /// The largest value over the real steps (Kim 2014's max-over-time pooling).
    case max
    /// The mean over the real steps.
    case mean
    /// Both, concatenated (max first): `[B, 2D]`.
    case maxMean
  }

  /// The pooling.
  public var mode: Mode

  public init(mode: Mode) {
    self.mode = mode
  }

  /// The class name saved configs use.
  public static var className: String { "MaskedGlobalPooling1D" }
  public var kerasClassName: String { Self.className }
  public var config: [String: ConfigValue] { ["mode": .string(mode.rawValue)] }

  public func outputShape(inputShape: [Int]) throws -> [Int] {
    guard inputShape.count == 2 else {
      throw LayerError.shapeMismatch(
        layer: Self.className, expected: "[T, D]", received: inputShape)
    }
    return [mode == .maxMean ? 2 * inputShape[1] : inputShape[1]]
  }

  public func forward<G: RandomNumberGenerator>(
    _ input: Tensor<Scalar>, mask: Tensor<Scalar>?, training: Bool, generator: inout G
  ) throws -> LayerForward<Scalar> {
    guard input.rank == 3 else {
      throw LayerError.shapeMismatch(
        layer: Self.className, expected: "[B, T, D]", received: input.shape)
    }
    let (b, t, d) = (input.shape[0], input.shape[1], input.shape[2])
    if let mask, mask.shape != [b, t] {
      throw LayerError.shapeMismatch(
        layer: Self.className, expected: "a mask [\(b), \(t)]", received: mask.shape)
    }
    let real: [Bool] =
      mask.map { $0.scalars.map { $0 != 0 } } ?? Array(repeating: true, count: b * t)
    let counts = (0..<b).map { row in (0..<t).reduce(0) { $0 + (real[row * t + $1] ? 1 : 0) } }
    let x = input.scalars
    let width = mode == .maxMean ? 2 * d : d
    var y = [Scalar](repeating: 0, count: b * width)
    // For each (row, feature) the flat input index of the winning step; -1 for an empty row.
    var winner = [Int](repeating: -1, count: mode == .mean ? 0 : b * d)
    let meanOffset = mode == .maxMean ? d : 0
    for row in 0..<b where counts[row] > 0 {
      if mode != .mean {
        for j in 0..<d {
          var best = -1
          for step in 0..<t where real[row * t + step] {
            let i = (row * t + step) * d + j
            if best < 0 || x[i] > x[best] { best = i }
          }
          winner[row * d + j] = best
          y[row * width + j] = x[best]
        }
      }
      if mode != .max {
        let scale = 1 / Scalar(counts[row])
        for step in 0..<t where real[row * t + step] {
          let base = (row * t + step) * d
          for j in 0..<d { y[row * width + meanOffset + j] += x[base + j] * scale }
        }
      }
    }
    let mode = self.mode
    return LayerForward(output: Tensor(shape: [b, width], scalars: y), mask: nil) { dy in
      var dx = [Scalar](repeating: 0, count: b * t * d)
      let g = dy.scalars
      for row in 0..<b where counts[row] > 0 {
        if mode != .mean {
          for j in 0..<d { dx[winner[row * d + j]] += g[row * width + j] }
        }
        if mode != .max {
          let scale = 1 / Scalar(counts[row])
          for step in 0..<t where real[row * t + step] {
            let base = (row * t + step) * d
            for j in 0..<d { dx[base + j] += g[row * width + meanOffset + j] * scale }
          }
        }
      }
      return LayerGradients(input: Tensor(shape: [b, t, d], scalars: dx), parameters: [])
    }
  }
}

/// Keras's `SpatialDropout1D`: while training, drops whole feature channels of each sequence
/// `[B, T, D]` — one keep mask `[B, D]` shared by every time step, survivors scaled by
/// `1 / (1 − rate)` — so a dropped word-vector dimension is gone from the whole sentence rather
/// than from single words. The identity at inference; the input mask is passed on.
///
/// ```swift
/// let drop = SpatialDropout1D<Float>(rate: 0.3)
/// let f = try drop.forward(vectors, mask: mask, training: true, generator: &rng)   // [B, T, D]
/// ```
public struct SpatialDropout1D<Scalar: TensorScalar>: ParameterlessLayer {
  /// The fraction of channels dropped, in `[0, 1)`.
  public var rate: Double

  public init(rate: Double) {
    precondition(rate >= 0 && rate < 1, "SpatialDropout1D rate must be in [0, 1), received \(rate)")
    self.rate = rate
  }

  public var kerasClassName: String { "SpatialDropout1D" }
  public var config: [String: ConfigValue] { ["rate": .double(rate)] }

  public func forward<G: RandomNumberGenerator>(
    _ input: Tensor<Scalar>, mask: Tensor<Scalar>?, training: Bool, generator: inout G
  ) throws -> LayerForward<Scalar> {
    guard training, rate > 0 else {
      return LayerForward(output: input, mask: mask) { LayerGradients(input: $0, parameters: []) }
    }
    guard input.rank == 3 else {
      throw LayerError.shapeMismatch(
        layer: "SpatialDropout1D", expected: "[B, T, D]", received: input.shape)
    }
    let (b, t, d) = (input.shape[0], input.shape[1], input.shape[2])
    let scale = Scalar(1 / (1 - rate))
    var keep = [Scalar](repeating: 0, count: b * d)
    for i in keep.indices {
      // A uniform double in [0, 1) from the top 53 bits, as Dropout draws.
      let u = Double(generator.next() >> 11) * 0x1p-53
      keep[i] = u >= rate ? scale : 0
    }
    func apply(_ values: [Scalar]) -> [Scalar] {
      var out = values
      for row in 0..<b {
        for step in 0..<t {
          let base = (row * t + step) * d
          for j in 0..<d { out[base + j] *= keep[row * d + j] }
        }
      }
      return out
    }
    return LayerForward(
      output: Tensor(shape: input.shape, scalars: apply(input.scalars)), mask: mask
    ) { dy in
      LayerGradients(input: Tensor(shape: dy.shape, scalars: apply(dy.scalars)), parameters: [])
    }
  }
}

extension LayerRegistry {
  /// The built-in layers plus the sentiment task's pooling, spatial dropout, word dropout and
  /// pretrained embedding.
  static var sentiment: LayerRegistry {
    var registry = LayerRegistry.builtIn
    registry.register(MaskedGlobalPooling<Scalar>.className) { c, _ in
      guard let mode = c["mode"]?.stringValue.flatMap(MaskedGlobalPooling<Scalar>.Mode.init) else {
        throw LayerRegistryError.badConfig(MaskedGlobalPooling<Scalar>.className, c)
      }
      return MaskedGlobalPooling<Scalar>(mode: mode)
    }
    registry.register("SpatialDropout1D") { c, _ in
      guard let rate = c["rate"]?.doubleValue, rate >= 0, rate < 1 else {
        throw LayerRegistryError.badConfig("SpatialDropout1D", c)
      }
      return SpatialDropout1D<Scalar>(rate: rate)
    }
    registry.register(WordDropout<Scalar>.className) { c, _ in
      guard let rate = c["rate"]?.doubleValue, rate >= 0, rate < 1,
        let replacement = c["replacement"]?.intValue
      else { throw LayerRegistryError.badConfig(WordDropout<Scalar>.className, c) }
      return WordDropout<Scalar>(rate: rate, replacement: replacement)
    }
    registry.register(PretrainedEmbedding<Scalar>.className) { c, _ in
      guard let v = c["input_dim"]?.intValue, v > 0, let d = c["output_dim"]?.intValue, d > 0,
        let channels = c["channels"]?.stringValue.flatMap(SentimentEmbeddingChannels.init),
        let l2sp = c["l2sp"]?.doubleValue, l2sp >= 0
      else { throw LayerRegistryError.badConfig(PretrainedEmbedding<Scalar>.className, c) }
      return PretrainedEmbedding<Scalar>(inputDim: v, outputDim: d, channels: channels, l2sp: l2sp)
    }
    return registry
  }
}
