// Ways to keep what pretrained word vectors know while the classifier trains: Kim (2014)'s
// multichannel embedding (a frozen "static" copy beside the fine-tuned table) and L2-SP (Li et
// al. 2018: an L2 penalty towards the starting point instead of towards zero).
import RecurrentLayers
import RecurrentTensor

/// How a ``PretrainedEmbedding`` combines its tables.
public enum SentimentEmbeddingChannels: String, Sendable, Codable, CaseIterable {
  /// One table (fine-tuned, or frozen with `freezeEmbeddings`): Keras's `Embedding`.
  case single
  /// Static + tuned summed, `[B, T, D]`: Kim (2014)'s multichannel CNN applies each filter to
  /// both channels and adds the results, which for the linear input projection of a recurrent
  /// layer is the same as projecting the sum.
  case sum
  /// Static and tuned concatenated, `[B, T, 2D]`: the recurrent layer's input projection gets
  /// separate weights for each channel.
  case concat
}

/// An embedding table initialized from pretrained vectors, with an optional frozen copy of them
/// (the "static" channel, ``SentimentEmbeddingChannels``) and an optional L2-SP penalty pulling
/// the fine-tuned rows towards their pretrained values: ids `[B, T]` → `[B, T, D]` (`sum`,
/// `single`) or `[B, T, 2D]` (`concat`). Id 0 is padding (masked).
///
/// Parameters: `embeddings` `[V, D]` (fine-tuned) and, when there is a static channel or a
/// penalty, `pretrained` `[V, D]` (the starting table; its gradient is always zero, so Adam and
/// SGD never move it). The penalty `λ/2 · ‖W − W₀‖²` adds `λ(W − W₀)` to the table's gradient
/// (every row, every step — as PyTorch's L2-SP recipes add it to the loss); the reported loss
/// leaves the penalty out.
///
/// ```swift
/// var emb = PretrainedEmbedding<Float>(weights: table, channels: .sum, l2sp: 0.01)
/// let f = try emb.forward(ids, mask: nil, training: true, generator: &rng)   // [B, T, D]
/// ```
public struct PretrainedEmbedding<Scalar: TensorScalar>: Layer {
  /// V, rows of each table (including the padding id 0).
  public var inputDim: Int
  /// D, the vector size of each table.
  public var outputDim: Int
  /// How the static and tuned tables are combined.
  public var channels: SentimentEmbeddingChannels
  /// λ of the L2-SP penalty; 0 for none.
  public var l2sp: Double
  /// `[V, D]`, fine-tuned.
  public var embeddings: Tensor<Scalar>
  /// `[V, D]`, the starting values (static channel and penalty anchor); `[0, D]` when neither
  /// needs it.
  public var pretrained: Tensor<Scalar>

  /// A layer over pretrained vectors `[V, D]`: both tables start from `weights`.
  public init(weights: Tensor<Scalar>, channels: SentimentEmbeddingChannels, l2sp: Double = 0) {
    precondition(weights.rank == 2, "weights must be [V, D], received \(weights.shape)")
    self.init(
      inputDim: weights.shape[0], outputDim: weights.shape[1], channels: channels, l2sp: l2sp)
    embeddings = weights
    if keepsPretrained { pretrained = weights }
  }

  /// An unbuilt layer (loading a saved model fills the tables).
  public init(inputDim: Int, outputDim: Int, channels: SentimentEmbeddingChannels, l2sp: Double) {
    precondition(inputDim > 0 && outputDim > 0, "inputDim and outputDim must be positive")
    precondition(l2sp >= 0, "l2sp must be non-negative, received \(l2sp)")
    self.inputDim = inputDim
    self.outputDim = outputDim
    self.channels = channels
    self.l2sp = l2sp
    embeddings = Tensor(zeros: [0, outputDim])
    pretrained = Tensor(zeros: [0, outputDim])
  }

  /// Whether the layer keeps the starting table (a static channel or a penalty needs it).
  public var keepsPretrained: Bool { channels != .single || l2sp > 0 }

  /// The class name saved configs use.
  public static var className: String { "PretrainedEmbedding" }
  public var kerasClassName: String { Self.className }
  public var config: [String: ConfigValue] {
    [
      "input_dim": .int(inputDim), "output_dim": .int(outputDim),
      "channels": .string(channels.rawValue), "l2sp": .double(l2sp),
    ]
  }
  public var isBuilt: Bool {
    embeddings.shape[0] == inputDim && (!keepsPretrained || pretrained.shape[0] == inputDim)
  }
  public var parameterNames: [String] {
    keepsPretrained ? ["embeddings", "pretrained"] : ["embeddings"]
  }
  public var parameters: [Tensor<Scalar>] {
    get { keepsPretrained ? [embeddings, pretrained] : [embeddings] }
    set {
      embeddings = newValue[0]
      if keepsPretrained { pretrained = newValue[1] }
    }
  }

  public mutating func build<G: RandomNumberGenerator>(inputShape: [Int], generator: inout G)
    throws
  {
    // Placeholders until saved weights are loaded (a fresh layer is made with `weights:`).
    if embeddings.shape[0] != inputDim {
      embeddings =
        Embedding<Scalar>(inputDim: inputDim, outputDim: outputDim, generator: &generator)
        .embeddings
    }
    if keepsPretrained && pretrained.shape[0] != inputDim { pretrained = embeddings }
  }

  public func outputShape(inputShape: [Int]) throws -> [Int] {
    inputShape + [channels == .concat ? 2 * outputDim : outputDim]
  }

  // Specialized for Float: the penalty loop runs over all V·D entries every step.
  @_specialize(where Scalar == Float, G == RandomGenerator)
  public func forward<G: RandomNumberGenerator>(
    _ input: Tensor<Scalar>, mask: Tensor<Scalar>?, training: Bool, generator: inout G
  ) throws -> LayerForward<Scalar> {
    let tuned = Embedding<Scalar>(weights: embeddings, maskZero: true, trainable: true)
    let (vectors, outMask, rows) = try tuned.forward(input)
    let output: Tensor<Scalar>
    switch channels {
    case .single:
      output = vectors
    case .sum:
      let fixed = try pretrained.gatherRows(rows, indexShape: input.shape)
      output = Tensor(
        shape: vectors.shape, scalars: zip(vectors.scalars, fixed.scalars).map { $0 + $1 })
    case .concat:
      let fixed = try pretrained.gatherRows(rows, indexShape: input.shape)
      var scalars = [Scalar]()
      scalars.reserveCapacity(2 * vectors.count)
      let d = outputDim
      for r in 0..<rows.count {
        scalars += fixed.scalars[(r * d)..<((r + 1) * d)]
        scalars += vectors.scalars[(r * d)..<((r + 1) * d)]
      }
      output = Tensor(shape: input.shape + [2 * d], scalars: scalars)
    }
    let (channels, l2sp, d) = (self.channels, self.l2sp, outputDim)
    let (table, anchor) = (embeddings, pretrained)
    let keeps = keepsPretrained
    return LayerForward(output: output, mask: outMask) { dy in
      // The static channel is the first half of each concatenated row; only the tuned half
      // reaches the tuned table.
      var dTuned = dy
      if channels == .concat {
        var half = [Scalar]()
        half.reserveCapacity(dy.count / 2)
        for r in 0..<rows.count { half += dy.scalars[((2 * r + 1) * d)..<((2 * r + 2) * d)] }
        dTuned = Tensor(shape: input.shape + [d], scalars: half)
      }
      var dTable = tuned.backward(dTuned, rows: rows)
      if l2sp > 0 {
        let lambda = Scalar(l2sp)
        dTable.scalars.withUnsafeMutableBufferPointer { g in
          table.scalars.withUnsafeBufferPointer { w in
            anchor.scalars.withUnsafeBufferPointer { w0 in
              for j in g.indices { g[j] += lambda * (w[j] - w0[j]) }
            }
          }
        }
      }
      let grads = keeps ? [dTable, Tensor(zeros: anchor.shape)] : [dTable]
      return LayerGradients(input: nil, parameters: grads)
    }
  }
}
