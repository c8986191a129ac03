// The names users reach for: LSTM, GRU, SimpleRNN, each a RecurrentLayer over its cell.
import RecurrentTensor

/// A long short-term memory layer: ``RecurrentLayer`` over ``LSTMCell`` (gate order `i|f|g|o`,
/// PyTorch weight layout). States `[h, c]`.
///
/// ```swift
/// var rng = RandomGenerator(seed: 1)
/// let lstm = LSTM<Float>(inputSize: 32, hiddenSize: 64, generator: &rng)
/// let last = try lstm(Tensor<Float>(zeros: [8, 20, 32]))   // [8, 64]
/// ```
public typealias LSTM<Scalar: TensorScalar> = RecurrentLayer<LSTMCell<Scalar>>

/// A gated recurrent unit layer: ``RecurrentLayer`` over ``GRUCell`` (gate order `r|z|n`,
/// reset-after by default as PyTorch). State `[h]`.
///
/// ```swift
/// var rng = RandomGenerator(seed: 1)
/// let gru = GRU<Float>(inputSize: 32, hiddenSize: 64, returnSequences: true, generator: &rng)
/// ```
public typealias GRU<Scalar: TensorScalar> = RecurrentLayer<GRUCell<Scalar>>

/// A fully connected recurrent layer: ``RecurrentLayer`` over ``SimpleRNNCell`` (tanh or relu).
/// State `[h]`.
///
/// ```swift
/// var rng = RandomGenerator(seed: 1)
/// let rnn = SimpleRNN<Double>(inputSize: 3, hiddenSize: 4, activation: .relu, generator: &rng)
/// ```
public typealias SimpleRNN<Scalar: TensorScalar> = RecurrentLayer<SimpleRNNCell<Scalar>>

extension RecurrentLayer {
  /// An LSTM layer with PyTorch's initialisation; `unitForgetBias` as ``LSTMCell``.
  public init<S>(
    inputSize: Int, hiddenSize: Int, unitForgetBias: Bool = false, returnSequences: Bool = false,
    goBackwards: Bool = false, dropout: Double = 0, recurrentDropout: Double = 0,
    generator: inout some RandomNumberGenerator
  ) where Cell == LSTMCell<S> {
    self.init(
      cell: LSTMCell(
        inputSize: inputSize, hiddenSize: hiddenSize, unitForgetBias: unitForgetBias,
        generator: &generator),
      returnSequences: returnSequences, goBackwards: goBackwards, dropout: dropout,
      recurrentDropout: recurrentDropout)
  }

  /// A GRU layer with PyTorch's initialisation; `resetAfter: false` is Keras'
  /// `reset_after=False`.
  public init<S>(
    inputSize: Int, hiddenSize: Int, resetAfter: Bool = true, returnSequences: Bool = false,
    goBackwards: Bool = false, dropout: Double = 0, recurrentDropout: Double = 0,
    generator: inout some RandomNumberGenerator
  ) where Cell == GRUCell<S> {
    self.init(
      cell: GRUCell(
        inputSize: inputSize, hiddenSize: hiddenSize, resetAfter: resetAfter,
        generator: &generator),
      returnSequences: returnSequences, goBackwards: goBackwards, dropout: dropout,
      recurrentDropout: recurrentDropout)
  }

  /// A SimpleRNN layer with PyTorch's initialisation.
  public init<S>(
    inputSize: Int, hiddenSize: Int, activation: SimpleRNNCell<S>.Activation = .tanh,
    returnSequences: Bool = false, goBackwards: Bool = false, dropout: Double = 0,
    recurrentDropout: Double = 0, generator: inout some RandomNumberGenerator
  ) where Cell == SimpleRNNCell<S> {
    self.init(
      cell: SimpleRNNCell(
        inputSize: inputSize, hiddenSize: hiddenSize, activation: activation,
        generator: &generator),
      returnSequences: returnSequences, goBackwards: goBackwards, dropout: dropout,
      recurrentDropout: recurrentDropout)
  }
}
