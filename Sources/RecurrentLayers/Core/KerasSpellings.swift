// The spellings of the Keras examples users copy: `LSTM(8)`, `Dense(1, activation: .sigmoid)`,
// `loss: .binaryCrossentropy` — positional units and loss names without parentheses, with Keras's
// defaults. Each forwards to the labelled initializer or factory it abbreviates.
import RecurrentTensor

extension Dense {
  /// Keras's `Dense(units, activation=...)`, built on first use.
  ///
  /// ```swift
  /// let head = Dense<Float>(1, activation: .sigmoid)     // [B, D] → [B, 1]
  /// ```
  public init(_ units: Int, activation: Activation = .linear, useBias: Bool = true) {
    self.init(units: units, activation: activation, useBias: useBias)
  }
}

extension RecurrentLayer {
  /// Keras's `LSTM(units)`: an LSTM layer built on first use (unit forget bias on, as Keras).
  ///
  /// ```swift
  /// let lstm = LSTM<Float>(8)                     // [B, T, D] → [B, 8]
  /// ```
  public init<S>(
    _ units: Int, unitForgetBias: Bool = true, returnSequences: Bool = false,
    goBackwards: Bool = false, dropout: Double = 0, recurrentDropout: Double = 0
  ) where Cell == LSTMCell<S> {
    self.init(
      units: units, unitForgetBias: unitForgetBias, returnSequences: returnSequences,
      goBackwards: goBackwards, dropout: dropout, recurrentDropout: recurrentDropout)
  }

  /// Keras's `GRU(units)`: a GRU layer (reset-after) built on first use.
  ///
  /// ```swift
  /// let gru = GRU<Float>(8, returnSequences: true)   // [B, T, D] → [B, T, 8]
  /// ```
  public init<S>(
    _ units: Int, resetAfter: Bool = true, returnSequences: Bool = false,
    goBackwards: Bool = false, dropout: Double = 0, recurrentDropout: Double = 0
  ) where Cell == GRUCell<S> {
    self.init(
      units: units, resetAfter: resetAfter, returnSequences: returnSequences,
      goBackwards: goBackwards, dropout: dropout, recurrentDropout: recurrentDropout)
  }

  /// Keras's `SimpleRNN(units)`, built on first use.
  ///
  /// ```swift
  /// let rnn = SimpleRNN<Float>(8, activation: .relu)
  /// ```
  public init<S>(
    _ units: Int, activation: SimpleRNNCell<S>.Activation = .tanh, returnSequences: Bool = false,
    goBackwards: Bool = false, dropout: Double = 0, recurrentDropout: Double = 0
  ) where Cell == SimpleRNNCell<S> {
    self.init(
      units: units, activation: activation, returnSequences: returnSequences,
      goBackwards: goBackwards, dropout: dropout, recurrentDropout: recurrentDropout)
  }
}

extension Loss where Self == BinaryCrossentropy {
  /// Keras `"binary_crossentropy"` (on probabilities).
  ///
  /// ```swift
  /// model.compile(optimizer: .adam, loss: .binaryCrossentropy, metrics: [.accuracy])
  /// ```
  public static var binaryCrossentropy: BinaryCrossentropy { .binaryCrossentropy() }
}

extension Loss where Self == CategoricalCrossentropy {
  /// Keras `"categorical_crossentropy"` (on probabilities, one-hot targets).
  public static var categoricalCrossentropy: CategoricalCrossentropy { .categoricalCrossentropy() }
}

extension Loss where Self == SparseCategoricalCrossentropy {
  /// Keras `"sparse_categorical_crossentropy"` (on probabilities, class-id targets).
  public static var sparseCategoricalCrossentropy: SparseCategoricalCrossentropy {
    .sparseCategoricalCrossentropy()
  }
}
