import RecurrentTensor

/// A lookup table from integer ids to vectors: ids `[B, T]` (stored as scalars) → `[B, T, D]`.
///
/// Table `[V, D]` (`inputDim` V, `outputDim` D), initialized `U(−0.05, 0.05)` as Keras, or from
/// pretrained vectors. With `maskZero`, id 0 is padding: the layer emits a mask `[B, T]` (1 for
/// ids ≠ 0) that recurrent layers and losses use; V must then count the padding id. Frozen
/// (`trainable: false`) tables keep their values and are counted as non-trainable.
///
/// ```swift
/// var emb = Embedding<Float>(inputDim: 100, outputDim: 8, maskZero: true, generator: &rng)
/// let (y, mask, ids) = try emb.forward(Tensor(shape: [1, 3], scalars: [4, 2, 0]))
/// // y [1, 3, 8], mask [1, 3] = [1, 1, 0]
/// let dTable = emb.backward(Tensor(ones: [1, 3, 8]), ids: ids)   // [100, 8]
/// ```
public struct Embedding<Scalar: TensorScalar>: Layer {
  public var inputDim: Int
  public var outputDim: Int
  public var maskZero: Bool
  public var trainable: Bool
  /// `[inputDim, outputDim]`; `[0, outputDim]` until built.
  public var embeddings: Tensor<Scalar>

  /// A layer whose table is drawn on ``build(inputShape:generator:)`` (Keras's
  /// `Embedding(inputDim, outputDim)`).
  public init(inputDim: Int, outputDim: Int, maskZero: Bool = false, trainable: Bool = true) {
    precondition(inputDim > 0, "Embedding inputDim must be positive, received \(inputDim)")
    precondition(outputDim > 0, "Embedding outputDim must be positive, received \(outputDim)")
    self.inputDim = inputDim
    self.outputDim = outputDim
    self.maskZero = maskZero
    self.trainable = trainable
    embeddings = Tensor(zeros: [0, outputDim])
  }

  /// A built layer with a `U(−0.05, 0.05)` table.
  public init<G: RandomNumberGenerator>(
    inputDim: Int, outputDim: Int, maskZero: Bool = false, trainable: Bool = true,
    generator: inout G
  ) {
    self.init(inputDim: inputDim, outputDim: outputDim, maskZero: maskZero, trainable: trainable)
    embeddings = Initializer.uniform(
      shape: [inputDim, outputDim], limit: 0.05, generator: &generator)
  }

  /// A layer over pretrained vectors `[V, D]` (say word2vec rows in vocabulary order).
  public init(weights: Tensor<Scalar>, maskZero: Bool = false, trainable: Bool = false) {
    precondition(weights.rank == 2, "Embedding weights must be [V, D], received \(weights.shape)")
    self.init(
      inputDim: weights.shape[0], outputDim: weights.shape[1], maskZero: maskZero,
      trainable: trainable)
    embeddings = weights
  }

  public var kerasClassName: String { "Embedding" }
  public var isBuilt: Bool { embeddings.shape[0] == inputDim }
  public var isTrainable: Bool { trainable }
  public var parameterNames: [String] { ["embeddings"] }
  public var parameters: [Tensor<Scalar>] {
    get { [embeddings] }
    set { embeddings = newValue[0] }
  }
  public var config: [String: ConfigValue] {
    [
      "input_dim": .int(inputDim), "output_dim": .int(outputDim), "mask_zero": .bool(maskZero),
      "trainable": .bool(trainable),
    ]
  }

  public mutating func build<G: RandomNumberGenerator>(inputShape: [Int], generator: inout G)
    throws
  {
    if !isBuilt {
      embeddings = Initializer.uniform(
        shape: [inputDim, outputDim], limit: 0.05, generator: &generator)
    }
  }

  public func outputShape(inputShape: [Int]) throws -> [Int] { inputShape + [outputDim] }

  /// Forward: ids of any shape `S` → vectors `S + [D]`, the padding mask (`S`, when `maskZero`)
  /// and the validated row indices the backward needs. Throws on an id outside `0..<V`.
  @_specialize(where Scalar == Float)
  public func forward(_ ids: Tensor<Scalar>) throws -> (
    output: Tensor<Scalar>, mask: Tensor<Scalar>?, rows: [Int]
  ) {
    var rows = [Int]()
    rows.reserveCapacity(ids.count)
    for (i, v) in ids.scalars.enumerated() {
      guard let id = Int(exactly: Double(v)), id >= 0, id < inputDim else {
        throw LayerError.indexOutOfRange(
          layer: "Embedding", flatIndex: i, value: Double(v), limit: inputDim)
      }
      rows.append(id)
    }
    let mask: Tensor<Scalar>? =
      maskZero ? Tensor(shape: ids.shape, scalars: rows.map { $0 == 0 ? 0 : 1 }) : nil
    return (try embeddings.gatherRows(rows, indexShape: ids.shape), mask, rows)
  }

  /// Backward: the table gradient `[V, D]`, rows scatter-added (an id used twice sums).
  @_specialize(where Scalar == Float)
  public func backward(_ dOutput: Tensor<Scalar>, rows: [Int]) -> Tensor<Scalar> {
    // `rows` were validated by `forward`, so the scatter cannot fail.
    let flat = dOutput.reshaped([rows.count, outputDim])
    return try! Tensor.scatterAddingRows(flat, indices: rows, rowCount: inputDim)
  }

  public func forward<G: RandomNumberGenerator>(
    _ input: Tensor<Scalar>, mask: Tensor<Scalar>?, training: Bool, generator: inout G
  ) throws -> LayerForward<Scalar> {
    let (output, outMask, rows) = try forward(input)
    return LayerForward(output: output, mask: outMask ?? mask) { dy in
      LayerGradients(input: nil, parameters: [backward(dy, rows: rows)])
    }
  }
}
