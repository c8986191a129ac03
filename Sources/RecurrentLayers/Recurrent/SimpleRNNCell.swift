// Elman RNN: one step forward and backward, as PyTorch's nn.RNN
// (https://pytorch.org/docs/stable/generated/torch.nn.RNN.html) and Keras' SimpleRNN.
import RecurrentTensor

/// One step of a fully connected (Elman) recurrent network.
///
/// For input `x` `[B, D]` and state `h` `[B, H]`:
///
///     h' = act(W_ih x + b_ih + W_hh h + b_hh),   act = tanh (default) or relu
///
/// `weightIH` is `[H, D]`, `weightHH` is `[H, H]`, `biasIH` / `biasHH` are `[H]` — PyTorch's
/// `weight_ih_l0`, `weight_hh_l0`, `bias_ih_l0`, `bias_hh_l0`. State: `[h]`.
///
/// ```swift
/// var rng = RandomGenerator(seed: 5)
/// let cell = SimpleRNNCell<Float>(inputSize: 4, hiddenSize: 8, activation: .relu, generator: &rng)
/// ```
public struct SimpleRNNCell<Scalar: TensorScalar>: RecurrentCell {
  /// The nonlinearity of a ``SimpleRNNCell`` (PyTorch `nonlinearity`).
  public enum Activation: String, Sendable, CaseIterable {
    /// `tanh` (PyTorch and Keras default).
    case tanh
    /// `max(0, ·)`.
    case relu
  }

  public static var gateCount: Int { 1 }
  public static var stateCount: Int { 1 }
  public let inputSize: Int
  public let hiddenSize: Int
  /// The nonlinearity applied to the pre-activation.
  public let activation: Activation
  public var weights: RecurrentWeights<Scalar>
  public var cacheWidth: Int { 0 }
  public var hiddenGradientsEqualInputGradients: Bool { true }

  /// A cell with PyTorch's initialisation (uniform `±1/√H`).
  public init(
    inputSize: Int, hiddenSize: Int, activation: Activation = .tanh,
    generator: inout some RandomNumberGenerator
  ) {
    precondition(
      inputSize > 0 && hiddenSize > 0,
      "SimpleRNNCell sizes must be positive, received inputSize \(inputSize), "
        + "hiddenSize \(hiddenSize)")
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    self.activation = activation
    weights = RecurrentWeights(
      pytorchUniformGates: 1, inputSize: inputSize, hiddenSize: hiddenSize, generator: &generator)
  }

  /// A cell with the given weights (PyTorch layout); throws when a shape does not fit.
  public init(
    inputSize: Int, hiddenSize: Int, activation: Activation = .tanh,
    weights: RecurrentWeights<Scalar>
  ) throws {
    try weights.validate(gates: 1, inputSize: inputSize, hiddenSize: hiddenSize)
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    self.activation = activation
    self.weights = weights
  }

  /// A cell whose input size is not known yet (`inputSize` 0, empty weights); a layer builds
  /// it with ``resized(inputSize:generator:)`` on first use, as Keras does.
  public init(hiddenSize: Int, activation: Activation = .tanh) {
    precondition(
      hiddenSize > 0, "SimpleRNNCell hiddenSize must be positive, received \(hiddenSize)")
    self.inputSize = 0
    self.hiddenSize = hiddenSize
    self.activation = activation
    weights = RecurrentWeights(zerosGates: 1, inputSize: 0, hiddenSize: hiddenSize)
  }

  public static var kerasClassName: String { "SimpleRNN" }
  public var config: [String: ConfigValue] {
    ["units": .int(hiddenSize), "activation": .string(activation.rawValue)]
  }
  public func resized(inputSize: Int, generator: inout some RandomNumberGenerator) -> Self {
    SimpleRNNCell(
      inputSize: inputSize, hiddenSize: hiddenSize, activation: activation, generator: &generator)
  }

  public func projectionBias() -> [Scalar] {
    zip(weights.biasIH.scalars, weights.biasHH.scalars).map { $0 + $1 }
  }

  @_specialize(where Scalar == Float)
  public func forward(_ s: CellForwardStep<Scalar>) {
    let h = hiddenSize
    let n = s.batch * h
    weights.weightHH.scalars.withUnsafeBufferPointer { whh in
      RNNKernels.hiddenProduct(
        m: s.batch, n: h, k: h, a: s.hiddenIn, lda: h, w: whh.baseAddress!,
        packed: s.packedWeightHHTransposed, beta: 1, c: s.gates, ldc: h)
    }
    // The gates buffer keeps the activated value (= h_t) for backward.
    switch activation {
    case .tanh: Scalar.vectorTanh(s.gates, s.gates, count: n)
    case .relu:
      for i in 0..<n where s.gates[i] < 0 { s.gates[i] = 0 }
    }
    RecurrentMath.copy(s.gates, to: s.nextHidden, count: n)
  }

  @_specialize(where Scalar == Float)
  public func backward(_ s: CellBackwardStep<Scalar>) {
    let h = hiddenSize
    let n = s.batch * h
    for i in 0..<n {
      let y = s.gates[i]
      switch activation {
      case .tanh: s.gradGatesInput[i] = s.gradNextHidden[i] * (1 - y * y)
      case .relu: s.gradGatesInput[i] = y > 0 ? s.gradNextHidden[i] : 0
      }
    }
    let target = s.gradHiddenIn ?? s.gradHidden
    weights.weightHH.scalars.withUnsafeBufferPointer { whh in
      RNNKernels.gradientProduct(
        m: s.batch, n: h, k: h, a: s.gradGatesInput, lda: h, w: whh.baseAddress!, ldw: h,
        packed: s.packedWeightHH, beta: 0, c: target, ldc: h)
    }
    if s.gradHiddenIn != nil { RecurrentMath.zero(s.gradHidden, count: n) }
  }
}
