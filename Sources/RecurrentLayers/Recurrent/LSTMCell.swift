// LSTM: one step forward and backward. The equations match PyTorch's nn.LSTM documentation
// (https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html) and Keras' LSTM with
// `unit_forget_bias`, with PyTorch's gate order and two biases.
import RecurrentTensor

/// One step of a long short-term memory network, PyTorch gate order `i | f | g | o`.
///
/// For input `x` `[B, D]` and states `h`, `c` `[B, H]`:
///
///     i  = σ(W_ii x + b_ii + W_hi h + b_hi)
///     f  = σ(W_if x + b_if + W_hf h + b_hf)
///     g  = tanh(W_ig x + b_ig + W_hg h + b_hg)
///     o  = σ(W_io x + b_io + W_ho h + b_ho)
///     c' = f ⊙ c + i ⊙ g
///     h' = o ⊙ tanh(c')
///
/// `weightIH` is `[4H, D]` = rows `W_ii; W_if; W_ig; W_io`, `weightHH` is `[4H, H]` in the same
/// order, `biasIH` / `biasHH` are `[4H]` — exactly PyTorch's `weight_ih_l0`, `weight_hh_l0`,
/// `bias_ih_l0`, `bias_hh_l0`. (Keras stores the transpose and order `i, f, c, o`: the same
/// gates.) States: `[h, c]`.
///
/// ```swift
/// var rng = RandomGenerator(seed: 7)
/// let cell = LSTMCell<Float>(inputSize: 32, hiddenSize: 64, unitForgetBias: true, generator: &rng)
/// ```
public struct LSTMCell<Scalar: TensorScalar>: RecurrentCell {
  public static var gateCount: Int { 4 }
  public static var stateCount: Int { 2 }
  public let inputSize: Int
  public let hiddenSize: Int
  public var weights: RecurrentWeights<Scalar>
  /// The cache holds `tanh(c_t)` per step so backward need not recompute it.
  public var cacheWidth: Int { hiddenSize }
  public var hiddenGradientsEqualInputGradients: Bool { true }

  /// Whether initialisation sets the forget-gate bias to 1 (kept for ``resized(inputSize:generator:)``).
  public let unitForgetBias: Bool

  /// A cell with PyTorch's initialisation (uniform `±1/√H`). With `unitForgetBias` (Keras'
  /// default) both biases start at zero except `biasIH`'s forget block, which is 1, so the forget
  /// gate starts near σ(1) ≈ 0.73 (Jozefowicz et al. 2015).
  public init(
    inputSize: Int, hiddenSize: Int, unitForgetBias: Bool = false,
    generator: inout some RandomNumberGenerator
  ) {
    precondition(
      inputSize > 0 && hiddenSize > 0,
      "LSTMCell sizes must be positive, received inputSize \(inputSize), hiddenSize \(hiddenSize)")
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    self.unitForgetBias = unitForgetBias
    weights = RecurrentWeights(
      pytorchUniformGates: 4, inputSize: inputSize, hiddenSize: hiddenSize, generator: &generator)
    if unitForgetBias {
      var bias = [Scalar](repeating: 0, count: 4 * hiddenSize)
      for j in hiddenSize..<(2 * hiddenSize) { bias[j] = 1 }
      weights.biasIH = Tensor(shape: [4 * hiddenSize], scalars: bias)
      weights.biasHH = Tensor(zeros: [4 * hiddenSize])
    }
  }

  /// A cell with the given weights (PyTorch layout); throws when a shape does not fit.
  public init(inputSize: Int, hiddenSize: Int, weights: RecurrentWeights<Scalar>) throws {
    try weights.validate(gates: 4, inputSize: inputSize, hiddenSize: hiddenSize)
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    self.unitForgetBias = false
    self.weights = weights
  }

  /// A cell whose input size is not known yet (`inputSize` 0, empty weights); a layer builds
  /// it with ``resized(inputSize:generator:)`` on first use, as Keras does.
  public init(hiddenSize: Int, unitForgetBias: Bool = false) {
    precondition(hiddenSize > 0, "LSTMCell hiddenSize must be positive, received \(hiddenSize)")
    self.inputSize = 0
    self.hiddenSize = hiddenSize
    self.unitForgetBias = unitForgetBias
    weights = RecurrentWeights(zerosGates: 4, inputSize: 0, hiddenSize: hiddenSize)
  }

  public static var kerasClassName: String { "LSTM" }
  public var config: [String: ConfigValue] {
    ["units": .int(hiddenSize), "unit_forget_bias": .bool(unitForgetBias)]
  }
  public func resized(inputSize: Int, generator: inout some RandomNumberGenerator) -> Self {
    LSTMCell(
      inputSize: inputSize, hiddenSize: hiddenSize, unitForgetBias: unitForgetBias,
      generator: &generator)
  }

  public func projectionBias() -> [Scalar] {
    // Both biases are outside every product, so they fold into the input projection.
    zip(weights.biasIH.scalars, weights.biasHH.scalars).map { $0 + $1 }
  }

  @_specialize(where Scalar == Float)
  public func forward(_ s: CellForwardStep<Scalar>) {
    let h = hiddenSize
    let gh = 4 * h
    weights.weightHH.scalars.withUnsafeBufferPointer { whh in
      // gates += h_{t-1} · W_hhᵀ
      RNNKernels.hiddenProduct(
        m: s.batch, n: gh, k: h, a: s.hiddenIn, lda: h, w: whh.baseAddress!,
        packed: s.packedWeightHHTransposed, beta: 1, c: s.gates, ldc: gh)
    }
    if let kernel = RNNKernels.lstmForward(Scalar.self) {
      kernel(s.batch, h, s.gates, s.cell!, s.nextHidden, s.nextCell!, s.cache)
      return
    }
    for b in 0..<s.batch {
      let row = s.gates + b * gh
      Scalar.vectorSigmoid(row, row, count: 2 * h)  // i, f
      Scalar.vectorTanh(row + 2 * h, row + 2 * h, count: h)  // g
      Scalar.vectorSigmoid(row + 3 * h, row + 3 * h, count: h)  // o
      let cPrev = s.cell! + b * h
      let cNext = s.nextCell! + b * h
      let tanhC = s.cache + b * h
      for j in 0..<h {
        cNext[j] = row[h + j] * cPrev[j] + row[j] * row[2 * h + j]
      }
      Scalar.vectorTanh(cNext, tanhC, count: h)
      let hNext = s.nextHidden + b * h
      for j in 0..<h { hNext[j] = row[3 * h + j] * tanhC[j] }
    }
  }

  @_specialize(where Scalar == Float)
  public func backward(_ s: CellBackwardStep<Scalar>) {
    let h = hiddenSize
    let gh = 4 * h
    if let kernel = RNNKernels.lstmBackward(Scalar.self) {
      kernel(
        s.batch, h, s.gates, s.cache, s.cell!, s.gradNextHidden, s.gradNextCell!, s.gradCell!,
        s.gradGatesInput)
    } else {
      for b in 0..<s.batch {
        let gate = s.gates + b * gh
        let dG = s.gradGatesInput + b * gh
        let tanhC = s.cache + b * h
        let cPrev = s.cell! + b * h
        let dh = s.gradNextHidden + b * h
        let dcNext = s.gradNextCell! + b * h
        let dcPrev = s.gradCell! + b * h
        for j in 0..<h {
          let i = gate[j]
          let f = gate[h + j]
          let g = gate[2 * h + j]
          let o = gate[3 * h + j]
          let tc = tanhC[j]
          let dc = dcNext[j] + dh[j] * o * (1 - tc * tc)
          dG[j] = dc * g * i * (1 - i)
          dG[h + j] = dc * cPrev[j] * f * (1 - f)
          dG[2 * h + j] = dc * i * (1 - g * g)
          dG[3 * h + j] = dh[j] * tc * o * (1 - o)
          dcPrev[j] = dc * f
        }
      }
    }
    // ∂L/∂h_{t-1} = dG · W_hh (only through the hidden product).
    let target = s.gradHiddenIn ?? s.gradHidden
    weights.weightHH.scalars.withUnsafeBufferPointer { whh in
      RNNKernels.gradientProduct(
        m: s.batch, n: h, k: gh, a: s.gradGatesInput, lda: gh, w: whh.baseAddress!, ldw: h,
        packed: s.packedWeightHH, beta: 0, c: target, ldc: h)
    }
    if s.gradHiddenIn != nil { RecurrentMath.zero(s.gradHidden, count: s.batch * h) }
  }
}
